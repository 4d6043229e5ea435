// Sign-in under attack: `npx tsx bench/login.ts [--attempts 600] [--concurrency N]` (or `npm run bench login`).
//
// A real `serve` (default login limits) on 127.0.0.1 with a small simulated library. Two floods of
// --attempts concurrent wrong passwords, each on its own connection:
//   one address   all from 127.0.0.1;
//   many addresses each from its own loopback address (127.1.x.y; Linux answers on all of 127/8).
// During each flood and after it, the admin signs in with the right password from an address that has
// not failed (127.0.0.2, 127.0.0.3). Reports how many wrong passwords were verified (answered 401),
// refused per address (429) or answered busy (503), how many connections failed (the server caps
// its connections), and whether and how fast the admin got in.
// Goal: one address verifies at most the per-address limit (10), and the admin always gets in.
import { request, type IncomingHttpHeaders } from 'node:http';
import { parseArgs } from 'node:util';
import { DEFAULT_LOGIN_LIMITS } from '../src/web/auth/login-limiter.js';
import { spawnSim, startSagewire } from './live-support/harness.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: { attempts: { type: 'string', default: '600' }, concurrency: { type: 'string' }, json: { type: 'boolean', default: false } },
});
const ATTEMPTS = Number(args.attempts);
/** Requests in flight at once (default: all of them); each on its own connection. */
const CONCURRENCY = Math.min(ATTEMPTS, Number(args.concurrency ?? ATTEMPTS));
const PASSWORD = 'bench-password';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

function send(
  base: string,
  localAddress: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, localAddress, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A signed-out browser at `localAddress`: its login cookie and form token. */
async function loginForm(base: string, localAddress: string): Promise<{ cookie: string; token: string }> {
  const page = await send(base, localAddress, 'GET', '/login', { accept: 'text/html' });
  const cookie = (page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  return { cookie, token: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
}

function postLogin(base: string, localAddress: string, form: { cookie: string; token: string }, password: string): Promise<Answer> {
  const body = new URLSearchParams({ _csrf: form.token, password, next: '/' }).toString();
  return send(
    base,
    localAddress,
    'POST',
    '/login',
    { accept: 'text/html', cookie: form.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  );
}

/** The admin signing in from `localAddress`: status of the POST and the whole time, GET included. */
async function adminSignIn(base: string, localAddress: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  try {
    const res = await postLogin(base, localAddress, await loginForm(base, localAddress), PASSWORD);
    return { status: res.status, ms: Math.round(performance.now() - started) };
  } catch {
    return { status: -1, ms: Math.round(performance.now() - started) };
  }
}

interface Flood {
  attempts: number;
  verified: number;
  refused429: number;
  busy503: number;
  other: number;
  errors: number;
  floodMs: number;
  adminDuring: { status: number; ms: number };
  adminAfter: { status: number; ms: number };
}

async function flood(base: string, addressOf: (i: number) => string, adminDuringFrom: string, adminAfterFrom: string): Promise<Flood> {
  const forms = new Map<string, { cookie: string; token: string }>();
  for (let i = 0; i < ATTEMPTS; i++) {
    const address = addressOf(i);
    if (!forms.has(address)) forms.set(address, await loginForm(base, address).catch(() => ({ cookie: '', token: '' })));
  }
  const started = performance.now();
  const statuses: number[] = [];
  let nextAttempt = 0;
  const attacker = async () => {
    while (nextAttempt < ATTEMPTS) {
      const i = nextAttempt++;
      statuses.push(
        await postLogin(base, addressOf(i), forms.get(addressOf(i))!, 'wrong-password').then(
          (r) => r.status,
          () => -1,
        ),
      );
    }
  };
  const attackers = Array.from({ length: CONCURRENCY }, attacker);
  const adminDuring = await adminSignIn(base, adminDuringFrom);
  await Promise.all(attackers);
  const floodMs = Math.round(performance.now() - started);
  const adminAfter = await adminSignIn(base, adminAfterFrom);
  const count = (s: number) => statuses.filter((x) => x === s).length;
  return {
    attempts: ATTEMPTS,
    verified: count(401),
    refused429: count(429),
    busy503: count(503),
    other: statuses.filter((s) => ![401, 429, 503, -1].includes(s)).length,
    errors: count(-1),
    floodMs,
    adminDuring,
    adminAfter,
  };
}

// Templates cached as in a built install (from .ts sources they are re-read on every render).
process.env.NODE_ENV ??= 'production';
const sim = await spawnSim(200);
const bench = await startSagewire(sim, { register: false });
try {
  const oneAddress = await flood(bench.url, () => '127.0.0.1', '127.0.0.2', '127.0.0.3');
  const manyAddresses = await flood(bench.url, (i) => `127.1.${(i >> 8) & 255}.${(i & 255) + 1}`, '127.0.0.4', '127.0.0.5');
  const result = { limits: DEFAULT_LOGIN_LIMITS, oneAddress, manyAddresses };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const said = (a: { status: number }) =>
      a.status === 302 ? 'signed in' : a.status === -1 ? 'connection failed' : `answered ${a.status}`;
    const line = (name: string, f: Flood) =>
      `${name}: ${f.attempts} wrong passwords, ${CONCURRENCY} at once, in ${f.floodMs} ms → ` +
      `verified ${f.verified}, 429 ${f.refused429}, 503 ${f.busy503}, other ${f.other}, errors ${f.errors}\n` +
      `  admin from a clean address during the flood: ${said(f.adminDuring)} in ${f.adminDuring.ms} ms; ` +
      `after it: ${said(f.adminAfter)} in ${f.adminAfter.ms} ms\n`;
    const { perIp, global, verification } = DEFAULT_LOGIN_LIMITS;
    process.stdout.write(
      `limits: ${perIp.max} per address per ${perIp.windowMs / 60_000} min; ` +
        `verification ${verification.concurrency} at a time, queue ${verification.queue}; ` +
        `global pace 1 per ${global.paceMs} ms past ${global.max} failures per ${global.windowMs / 60_000} min\n` +
        line('one address (127.0.0.1)', oneAddress) +
        line(`many addresses (${ATTEMPTS} loopback addresses)`, manyAddresses),
    );
  }
  const ok =
    oneAddress.verified <= DEFAULT_LOGIN_LIMITS.perIp.max &&
    [oneAddress, manyAddresses].every((f) => f.adminDuring.status === 302 && f.adminAfter.status === 302);
  if (!ok) process.exitCode = 1;
} finally {
  await bench.close();
  sim.child.kill();
}
