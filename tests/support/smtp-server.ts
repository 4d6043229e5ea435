// A minimal SMTP server for tests: plain TCP, EHLO/HELO, AUTH PLAIN and LOGIN (checked against the given
// credentials), MAIL, RCPT, DATA, RSET, NOOP, QUIT. It offers no STARTTLS, so a client must be told to
// send in clear. Every message it accepts is kept with its envelope and the credentials it was sent with.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as sent (headers and body), dot-stuffing undone. */
  data: string;
  /** The user name it was sent as, or null without AUTH. */
  user: string | null;
}

export interface SmtpServer {
  host: string;
  port: number;
  mails: ReceivedMail[];
  /** Every AUTH attempt, accepted or not: [user, password]. */
  logins: [string, string][];
  close(): Promise<void>;
}

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

export async function startSmtpServer(credentials: { user: string; pass: string } | null = null): Promise<SmtpServer> {
  const mails: ReceivedMail[] = [];
  const logins: [string, string][] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setEncoding('utf8');
    const reply = (line: string) => socket.write(`${line}\r\n`);
    let buffer = '';
    let user: string | null = null;
    let envelope: { from: string; to: string[] } | null = null;
    let data: string[] | null = null;
    let loginStep: 'user' | 'pass' | null = null;
    let loginUser = '';
    const tryLogin = (name: string, pass: string) => {
      logins.push([name, pass]);
      if (credentials && name === credentials.user && pass === credentials.pass) {
        user = name;
        reply('235 2.7.0 Authentication successful');
      } else reply('535 5.7.8 Authentication credentials invalid');
    };
    const onLine = (line: string) => {
      if (data) {
        if (line === '.') {
          mails.push({ from: envelope?.from ?? '', to: envelope?.to ?? [], data: data.join('\r\n'), user });
          data = null;
          envelope = null;
          reply('250 2.0.0 Queued');
        } else data.push(line.startsWith('..') ? line.slice(1) : line);
        return;
      }
      if (loginStep === 'user') {
        loginUser = decode(line);
        loginStep = 'pass';
        reply(`334 ${Buffer.from('Password:').toString('base64')}`);
        return;
      }
      if (loginStep === 'pass') {
        loginStep = null;
        tryLogin(loginUser, decode(line));
        return;
      }
      const [verb, ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          socket.write('250-test.smtp greets you\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
          return;
        case 'HELO':
          return reply('250 test.smtp');
        case 'AUTH': {
          const [mech, initial] = arg.split(' ');
          if (mech.toUpperCase() === 'PLAIN') {
            const [, name = '', pass = ''] = decode(initial ?? '').split('\u0000');
            return tryLogin(name, pass);
          }
          if (mech.toUpperCase() === 'LOGIN') {
            loginStep = 'user';
            return reply(`334 ${Buffer.from('Username:').toString('base64')}`);
          }
          return reply('504 5.5.4 Unrecognized authentication type');
        }
        case 'MAIL':
          if (credentials && !user) return reply('530 5.7.0 Authentication required');
          envelope = { from: /<([^>]*)>/.exec(arg)?.[1] ?? '', to: [] };
          return reply('250 2.1.0 OK');
        case 'RCPT':
          if (!envelope) return reply('503 5.5.1 MAIL first');
          envelope.to.push(/<([^>]*)>/.exec(arg)?.[1] ?? '');
          return reply('250 2.1.5 OK');
        case 'DATA':
          if (!envelope || envelope.to.length === 0) return reply('503 5.5.1 RCPT first');
          data = [];
          return reply('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          envelope = null;
          return reply('250 2.0.0 OK');
        case 'NOOP':
          return reply('250 2.0.0 OK');
        case 'QUIT':
          reply('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          return reply('502 5.5.2 Command not recognized');
      }
    };
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let cut = buffer.indexOf('\r\n'); cut >= 0; cut = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        onLine(line);
      }
    });
    reply('220 test.smtp ESMTP ready');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    mails,
    logins,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
