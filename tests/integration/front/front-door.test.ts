// The front door: a worker thread owns the public socket, answers webhooks and /api/health itself and
// proxies the rest to the main thread's web app. Over real HTTP: the client's own address reaches the
// app (and cannot be forged), a slow client is cut off, another program holding the database gets a
// quick 503 while /api/health keeps answering, and a thread that dies is restarted.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type BuildOptions, type Sagewire } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';

const SECRET = 'front-test-secret-0123456789';
const PASSWORD = 'front-test-password';

interface Started {
  app: Sagewire;
  url: string;
  dir: string;
  /** Resolves with the first log record whose msg is `msg` (past or future). */
  log(msg: string): Promise<Record<string, unknown>>;
}

let running: Started | null = null;
afterEach(async () => {
  if (!running) return;
  await running.app.close();
  rmSync(running.dir, { recursive: true, force: true });
  running = null;
});

async function start(options: BuildOptions = {}): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-front-'));
  const records: Record<string, unknown>[] = [];
  const waiters: Array<{ msg: string; resolve: (r: Record<string, unknown>) => void }> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const record = JSON.parse(line) as Record<string, unknown>;
        records.push(record);
        for (const w of waiters.filter((x) => x.msg === record.msg)) w.resolve(record);
      }
      done();
    },
  });
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_SECRET: SECRET,
    ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'info',
  });
  const app = await buildApp(config, createLogger('info', sink), options);
  const url = await app.listen();
  running = {
    app,
    url,
    dir,
    log: (msg) => {
      const seen = records.find((r) => r.msg === msg);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ msg, resolve }));
    },
  };
  return running;
}

function webhook(url: string): Promise<Response> {
  const form = new FormData();
  form.append(
    'payload',
    JSON.stringify({
      event: 'media.rate',
      user: true,
      owner: true,
      rating: 8,
      Metadata: { type: 'track', ratingKey: '101', librarySectionType: 'artist' },
    }),
  );
  return fetch(`${url}/webhooks/plex/${SECRET}`, { method: 'POST', body: form });
}

/** A request from a given local address (127.0.0.2 is loopback too), with the reply's body and cookies. */
function requestFrom(
  localAddress: string,
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  return new Promise<{ status: number; text: string; cookies: string[] }>((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', localAddress, headers: options.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, cookies: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A failed sign-in from `localAddress`; the app logs the address it saw. */
async function failSignIn(localAddress: string, url: string, extraHeaders: Record<string, string> = {}) {
  const page = await requestFrom(localAddress, `${url}/login`, { headers: extraHeaders });
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
  const cookie = page.cookies.map((c) => c.split(';')[0]).join('; ');
  const body = new URLSearchParams({ _csrf: token, password: 'wrong-password', next: '/' }).toString();
  return requestFrom(localAddress, `${url}/login`, {
    method: 'POST',
    body,
    headers: {
      ...extraHeaders,
      cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
    },
  });
}

describe('front door', () => {
  it('acknowledges a webhook while the main thread’s event loop is not running at all', async () => {
    const { app, url } = await start();
    const signal = new Int32Array(new SharedArrayBuffer(8));
    // A sender on its own thread; this thread (the app's main thread: engine, pages) then blocks until the
    // sender has its answer. A receiver that needed this thread's event loop could never answer.
    const sender = new Worker(
      `const { workerData } = require('node:worker_threads');
       const signal = new Int32Array(workerData.buffer);
       const form = new FormData();
       form.append('payload', workerData.payload);
       fetch(workerData.url, { method: 'POST', body: form })
         .then((res) => res.status, () => -1)
         .then((status) => { Atomics.store(signal, 1, status); Atomics.store(signal, 0, 1); Atomics.notify(signal, 0); });`,
      {
        eval: true,
        workerData: {
          buffer: signal.buffer,
          url: `${url}/webhooks/plex/${SECRET}`,
          payload: JSON.stringify({ event: 'media.rate', user: true, rating: 6, Metadata: { type: 'track', ratingKey: '202' } }),
        },
      },
    );
    try {
      // The bound only keeps a broken receiver from hanging the test run.
      Atomics.wait(signal, 0, 0, 20_000);
      expect(Atomics.load(signal, 1)).toBe(200);
      // Committed to the receiver's spool before the answer; moved into the inbox once this thread runs.
      app.moveReceived();
      expect(app.database.sqlite.prepare("select count(*) from webhook_events where item_key = '202'").pluck().get()).toBe(1);
    } finally {
      await sender.terminate();
    }
  });

  it('hands the client’s own address to the app, and ignores an address a client names itself', async () => {
    const { url, log } = await start();
    const res = await failSignIn('127.0.0.2', url, { 'x-sagewire-peer': '10.9.9.9', 'x-sagewire-front': 'guess' });
    expect(res.status).toBe(401);
    expect((await log('admin: failed sign-in')).ip).toBe('127.0.0.2');
  });

  it('proxies the pages with their status, cookies and security headers', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/login`);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('sagewire_login='))).toBe(true);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toContain('name="password"');
    const health = await fetch(`${url}/api/health`);
    expect(health.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await fetch(`${url}/nowhere`, { headers: { accept: 'application/json' } })).status).toBe(404);
  });

  it.each([
    [
      'a webhook',
      (port: number) =>
        `POST /webhooks/plex/${SECRET} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        'Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 1000\r\n\r\n--x\r\n',
    ],
    [
      'a page',
      (port: number) =>
        `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\npassword=',
    ],
    ['headers that never end', (port: number) => `GET /login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `],
  ])('cuts off a client that sends %s too slowly (408, connection closed)', async (_name, opening) => {
    const { url } = await start({ server: { requestTimeoutMs: 400, headersTimeoutMs: 400, checkIntervalMs: 100 } });
    const port = Number(new URL(url).port);
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (answer += d));
    socket.write(opening(port));
    // The rest of the body never comes: the server ends the connection.
    await new Promise((resolve) => socket.on('close', resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('takes webhooks while another program holds the database, keeps /api/health answering, and files them after', async () => {
    const { app, url } = await start();
    expect((await webhook(url)).status).toBe(200);
    const holder = new SQLite(app.config.dbPath);
    let heldId = 0;
    try {
      holder.exec('begin immediate');
      holder.prepare("insert into settings (key, value, updated_at) values ('held-by-test', '1', 0) on conflict (key) do nothing").run();
      // The receiver commits to its own spool: a lock on the database does not hold the answer back.
      const held = await webhook(url);
      expect(held.status).toBe(200);
      heldId = ((await held.json()) as { id: number }).id;
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      // It cannot reach the inbox until the lock is released; nothing is lost meanwhile.
      app.moveReceived();
      expect(app.database.sqlite.prepare('select count(*) from webhook_events where receipt_id = ?').pluck().get(heldId)).toBe(0);
      // A page that writes (a session) on the main thread: a 503 that says why, not a 500 after a long wait.
      const page = await fetch(`${url}/login`);
      const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
      const cookie = page.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const signIn = await fetch(`${url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: token, password: PASSWORD, next: '/' }).toString(),
      });
      expect(signIn.status).toBe(503);
      expect(await signIn.text()).toContain('database is busy (another program holds it); try again');
    } finally {
      if (holder.inTransaction) holder.exec('rollback');
      holder.close();
    }
    app.moveReceived();
    expect(app.database.sqlite.prepare('select status from webhook_events where receipt_id = ?').pluck().get(heldId)).toBe('pending');
    const accepted = await webhook(url);
    expect(accepted.status).toBe(200);
    const { id } = (await accepted.json()) as { id: number };
    app.moveReceived();
    expect(app.database.sqlite.prepare('select status from webhook_events where receipt_id = ?').pluck().get(id)).toBe('pending');
  });

  it('caps the connections one address holds, so a flood from one address leaves room for another', async () => {
    const { url } = await start({ server: { maxConnectionsPerAddress: 2 } });
    const port = Number(new URL(url).port);
    const connect = (localAddress: string) =>
      new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect({ port, host: '127.0.0.1', localAddress }, () => resolve(socket));
        socket.once('error', reject);
      });
    const held = [await connect('127.0.0.1'), await connect('127.0.0.1')];
    const third = await connect('127.0.0.1');
    await new Promise((resolve) => third.once('close', resolve)); // refused: the server closes it
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/api/health', localAddress: '127.0.0.2', agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .once('error', reject);
    });
    expect(status).toBe(200);
    for (const socket of held) socket.destroy();
  });

  it('restarts the receiver’s thread when it dies, on the same port', async () => {
    const { app, url, log } = await start();
    await app.front!.thread!.terminate();
    await log('front: the receiver thread is back');
    const res = await webhook(url);
    expect(res.status).toBe(200);
  });
});
