// Sign-in limits over real HTTP, counting the argon2 verifications that actually run: concurrent wrong
// passwords from one address verify at most the per-address limit and cannot lock out another address;
// a full verification queue answers 503 at once with Retry-After.
import { request, type IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Client, PASSWORD, startWeb, type Reply } from './harness.js';

// A spy around the real argon2 verify: counts calls, and can hold them until the test lets them finish.
const argon = vi.hoisted(() => ({
  calls: 0,
  hold: null as Promise<void> | null,
  listeners: [] as Array<() => void>,
}));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...real,
    verify: async (...args: Parameters<typeof real.verify>) => {
      argon.calls += 1;
      for (const l of argon.listeners.splice(0)) l();
      if (argon.hold) await argon.hold;
      return real.verify(...args);
    },
  };
});

function verificationsStarted(n: number): Promise<void> {
  return new Promise((resolve) => {
    const test = () => (argon.calls >= n ? resolve() : argon.listeners.push(test));
    test();
  });
}

beforeEach(() => {
  argon.calls = 0;
  argon.hold = null;
});
afterEach(() => {
  argon.listeners.length = 0;
});

/** GET /login then POST the password over a connection from `localAddress` (Linux answers on all of 127/8). */
async function loginFrom(
  base: string,
  localAddress: string,
  password: string,
): Promise<{ status: number; location?: string; text: string }> {
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const req = request(`${base}${path}`, { method, headers, localAddress, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const page = await send('GET', '/login', { accept: 'text/html' });
  const cookie = (page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const body = new URLSearchParams({ _csrf: Client.csrfOf(page.text), password, next: '/' }).toString();
  const res = await send('POST', '/login', { accept: 'text/html', cookie, 'content-type': 'application/x-www-form-urlencoded' }, body);
  return { status: res.status, location: res.headers.location as string | undefined, text: res.text };
}

describe('sign-in limits under concurrency', () => {
  it('verifies at most the per-address limit of 60 concurrent wrong passwords, and another address still signs in', async () => {
    const web = await startWeb({}, { loginLimits: { perIp: { max: 3, windowMs: 60_000 }, global: { max: 5, windowMs: 60_000 } } });
    try {
      const attacker = new Client(web.url);
      const token = Client.csrfOf((await attacker.get('/login')).text);
      argon.calls = 0;
      const replies = await Promise.all(
        Array.from({ length: 60 }, () => attacker.post('/login', { _csrf: token, password: 'wrong-password', next: '/' })),
      );
      const statuses = replies.map((r) => r.status);
      expect(argon.calls).toBeLessThanOrEqual(3);
      expect(statuses.filter((s) => s === 401)).toHaveLength(argon.calls);
      expect(statuses.filter((s) => s === 429)).toHaveLength(60 - argon.calls);
      const refused = replies.find((r) => r.status === 429) as Reply;
      expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(refused.text).toMatch(
        /Too many (failed sign-ins|sign-ins at once) from your address\. Try again in \d+ (seconds?|minutes?)\./,
      );

      // The admin, from another address, is not locked out by the attacker's failures.
      const admin = await loginFrom(web.url, '127.0.0.2', PASSWORD);
      expect(admin).toMatchObject({ status: 302, location: '/' });
      expect(
        web
          .logLines()
          .filter((l) => l.includes('admin: signed in'))
          .map((l) => JSON.parse(l).ip),
      ).toEqual(['127.0.0.2']);
      // The attacker's own address stays limited, even with the right password.
      const again = await attacker.post('/login', { _csrf: token, password: PASSWORD, next: '/' });
      expect(again.status).toBe(429);
      expect(again.text).toContain('Too many failed sign-ins from your address');
    } finally {
      await web.close();
    }
  });

  it('answers 503 with Retry-After at once when the verification queue is full, and verifies the rest in turn', async () => {
    const web = await startWeb(
      { TRUST_PROXY: 'true' },
      {
        loginLimits: {
          perIp: { max: 3, windowMs: 60_000 },
          global: { max: 1_000, windowMs: 60_000 },
          verification: { concurrency: 1, queue: 2 },
        },
      },
    );
    let release = () => {};
    try {
      const clients = Array.from({ length: 6 }, (_, i) => new Client(web.url, { 'x-forwarded-for': `198.51.100.${i + 1}` }));
      const tokens = await Promise.all(clients.map(async (c) => Client.csrfOf((await c.get('/login')).text)));
      argon.hold = new Promise<void>((resolve) => (release = resolve));
      const first = clients[0].post('/login', { _csrf: tokens[0], password: 'wrong-password', next: '/' });
      await verificationsStarted(1);
      const rest = clients.slice(1).map((c, i) => c.post('/login', { _csrf: tokens[i + 1], password: 'wrong-password', next: '/' }));
      // One running, two waiting: three of the five others are answered while the first is still held.
      const answered: Reply[] = [];
      await new Promise<void>((resolve) => {
        for (const p of rest) void p.then((r) => answered.push(r) >= 3 && resolve());
      });
      expect(answered.map((r) => r.status)).toEqual([503, 503, 503]);
      for (const r of answered) {
        expect(r.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
        expect(r.text).toMatch(/Sign-in is busy with other attempts\. Try again in \d+ seconds?\./);
      }
      expect(argon.calls).toBe(1);
      release();
      const all = await Promise.all([first, ...rest]);
      expect(all.map((r) => r.status).sort()).toEqual([401, 401, 401, 503, 503, 503]);
      expect(argon.calls).toBe(3);
    } finally {
      release();
      await web.close();
    }
  });
});
