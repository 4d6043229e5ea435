// Delivery through each channel to local servers: the JSON webhook and ntfy to an HTTP receiver (bodies and
// headers checked), email to a tiny SMTP server; failures (an error status, a redirect, a refused connection,
// a wrong password) come back as a sentence without secrets after one retry.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver, sendersOf } from '../../../src/notify/delivery.js';
import { sendEmail } from '../../../src/notify/email.js';
import { testMessage } from '../../../src/notify/messages.js';
import { notifySettingsFrom } from '../../../src/notify/settings.js';
import { startSmtpServer, type SmtpServer } from '../../support/smtp-server.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

describe('notification channels', () => {
  let server: Server;
  let base = '';
  let received: Received[] = [];
  let status = 200;
  let location: string | null = null;
  let smtp: SmtpServer;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(status, location ? { location } : {}).end('<h1>not for your eyes</h1>');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    smtp = await startSmtpServer({ user: 'mailer', pass: 'smtp-pass-42' });
  });

  beforeEach(() => {
    received = [];
    status = 200;
    location = null;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await smtp.close();
  });

  const message = testMessage('test', Date.UTC(2026, 11, 7));

  it('posts the JSON webhook to the saved URL', async () => {
    const senders = sendersOf(notifySettingsFrom({ NOTIFY_WEBHOOK_URL: `${base}/hook/tok_9f8e7d6c5b?k=v` }));
    const result = await deliver('webhook', senders.get('webhook')!, message, []);
    expect(result).toMatchObject({ channel: 'webhook', ok: true, attempts: 1, problem: null });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/hook/tok_9f8e7d6c5b?k=v' });
    expect(JSON.parse(received[0].body)).toMatchObject({ source: 'sagewire', kind: 'test', title: 'Sagewire test notification' });
  });

  it('publishes to ntfy with the token bound to its URL, and without it elsewhere', async () => {
    const rows = {
      NOTIFY_NTFY_URL: `${base}/ntfy/alerts`,
      NOTIFY_NTFY_TOKEN: 'tk_boundtoken',
      NOTIFY_NTFY_TOKEN_BOUND: `${base}/ntfy/alerts`,
    };
    let result = await deliver('ntfy', sendersOf(notifySettingsFrom(rows)).get('ntfy')!, message, []);
    expect(result.ok).toBe(true);
    expect(received[0].url).toBe('/ntfy/');
    expect(received[0].headers.authorization).toBe('Bearer tk_boundtoken');
    expect(JSON.parse(received[0].body)).toMatchObject({ topic: 'alerts', title: 'Sagewire test notification', priority: 3 });

    // The URL moved without the token being typed again: it is sent without the token.
    const moved = { ...rows, NOTIFY_NTFY_URL: `${base}/other/alerts` };
    result = await deliver('ntfy', sendersOf(notifySettingsFrom(moved)).get('ntfy')!, message, []);
    expect(result.ok).toBe(true);
    expect(received[1].url).toBe('/other/');
    expect(received[1].headers.authorization).toBeUndefined();
  });

  it.each([
    { name: 'an error status', answer: 500, where: null, problem: 'the destination answered HTTP 500' },
    {
      name: 'a redirect',
      answer: 307,
      where: 'http://127.0.0.1:9/elsewhere',
      problem: 'the destination answered with a redirect (HTTP 307), which is not followed',
    },
  ])('retries once after $name, then reports it without the secret', async ({ answer, where, problem }) => {
    status = answer;
    location = where;
    const url = `${base}/hook/tok_verysecret99`;
    const result = await deliver('webhook', sendersOf(notifySettingsFrom({ NOTIFY_WEBHOOK_URL: url })).get('webhook')!, message, [url], {
      retryAfterMs: 1,
    });
    expect(result).toMatchObject({ ok: false, attempts: 2, problem });
    expect(received).toHaveLength(2);
    expect(result.problem).not.toContain('tok_verysecret99');
  });

  it('gives up on a destination that does not answer in time', async () => {
    const silent = createServer(() => {}); // reads the request and never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const senders = sendersOf(notifySettingsFrom({ NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${port}/x` }));
      const result = await deliver('webhook', senders.get('webhook')!, message, [], { timeoutMs: 200, retryAfterMs: 1 });
      expect(result).toMatchObject({ ok: false, attempts: 2, problem: 'no answer within 0.2 s' });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('reports a refused connection by its code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const senders = sendersOf(notifySettingsFrom({ NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${port}/x` }));
    const result = await deliver('webhook', senders.get('webhook')!, message, [], { retryAfterMs: 1 });
    expect(result).toMatchObject({ ok: false, attempts: 2, problem: 'could not connect (ECONNREFUSED)' });
  });

  it('sends an email through SMTP with the saved credentials', async () => {
    const rows = {
      NOTIFY_SMTP_HOST: smtp.host,
      NOTIFY_SMTP_PORT: String(smtp.port),
      NOTIFY_SMTP_SECURITY: 'none',
      NOTIFY_SMTP_USER: 'mailer',
      NOTIFY_SMTP_PASSWORD: 'smtp-pass-42',
      NOTIFY_SMTP_PASSWORD_BOUND: `${smtp.host}:${smtp.port}`,
      NOTIFY_SMTP_FROM: 'sagewire@example.com',
      NOTIFY_SMTP_TO: 'me@example.com, you@example.com',
    };
    const result = await deliver('email', sendersOf(notifySettingsFrom(rows)).get('email')!, message, []);
    expect(result).toMatchObject({ ok: true, attempts: 1 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail).toMatchObject({ from: 'sagewire@example.com', to: ['me@example.com', 'you@example.com'], user: 'mailer' });
    expect(mail.data).toContain('Subject: [Sagewire] Sagewire test notification');
    expect(mail.data).toContain('If you can read it, the channel works.');
  });

  it('reports a refused password without the password', async () => {
    await expect(
      sendEmail(
        {
          host: smtp.host,
          port: smtp.port,
          security: 'none',
          user: 'mailer',
          password: 'wrong-pass',
          from: 'a@example.com',
          to: ['b@example.com'],
        },
        message,
        5_000,
      ),
    ).rejects.toThrow(/^the server refused the user name or password \(535\)$/);
    expect(smtp.logins.at(-1)).toEqual(['mailer', 'wrong-pass']);
  });
});
