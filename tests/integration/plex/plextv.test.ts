// The plex.tv client of "Sign in with Plex" against the simulator's plex.tv stand-in: PIN create and check
// before and after approval, a PIN that expired, is unknown or is another client's, the account's servers,
// and answers the client refuses (unreachable, oversized, not what plex.tv sends).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlexClient } from '../../../src/plex/index.js';
import { PlexTv, PlexTvError, type PlexTvProblem } from '../../../src/plex/plextv.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';

let sim: RunningSimulator;

const clientFor = (url: string, clientIdentifier = 'sagewire-test-client') =>
  new PlexTv({ url, clientIdentifier, product: 'Sagewire', version: '0.0.0-test', timeoutMs: 5000 });

async function control(action: 'approve' | 'expire', code: string): Promise<number> {
  const res = await fetch(`${sim.url}/__sim/plextv/${action}?code=${encodeURIComponent(code)}`, {
    method: 'POST',
    headers: { 'X-Plex-Token': sim.token },
  });
  return res.status;
}

async function problemOf(promise: Promise<unknown>): Promise<{ problem: PlexTvProblem; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PlexTvError) return { problem: err.problem, message: err.message };
    throw err;
  }
  throw new Error('expected a PlexTvError');
}

/** A server answering every request with `body` (for answers plex.tv would not send). */
async function fakePlexTv(body: string | Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, tracks: 50, seed: 3 });
});
afterAll(() => sim.close());

describe('PIN flow', () => {
  it('creates a strong PIN, sees no token before approval and the account token after', async () => {
    const plexTv = clientFor(sim.url);
    const pin = await plexTv.createPin();
    expect(pin.id).toBeGreaterThan(0);
    expect(pin.code).toMatch(/^[0-9a-z]{25}$/);
    expect(pin.authToken).toBeNull();
    expect(pin.expiresIn).toBe(1800);

    const before = await plexTv.checkPin(pin.id);
    expect(before).toMatchObject({ id: pin.id, code: pin.code, authToken: null });

    expect(await control('approve', pin.code)).toBe(200);
    const after = await plexTv.checkPin(pin.id);
    expect(after.authToken).toMatch(/^plextv-[0-9a-f]{24}$/);
    // The account token is plex.tv's, not the server's.
    expect(after.authToken).not.toBe(sim.token);
  });

  it('approves through the auth page as a person would', async () => {
    const plexTv = clientFor(sim.url);
    const pin = await plexTv.createPin();
    const authUrl = plexTv.authUrl(pin.code);
    expect(authUrl.startsWith(`${sim.url}/auth#?`)).toBe(true);
    const page = await fetch(authUrl.replace(/#.*$/, ''));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Approve');
    const approved = await fetch(`${sim.url}/auth/approve?code=${pin.code}`, { method: 'POST' });
    expect(approved.status).toBe(200);
    expect((await plexTv.checkPin(pin.id)).authToken).toBeTruthy();
  });

  it('builds the real auth URL for plex.tv itself', () => {
    const url = new URL(clientFor('https://plex.tv', 'abc-123').authUrl('thecode'));
    expect(`${url.origin}${url.pathname}`).toBe('https://app.plex.tv/auth');
    const params = new URLSearchParams(url.hash.replace(/^#\?/, ''));
    expect(Object.fromEntries(params)).toEqual({ clientID: 'abc-123', code: 'thecode', 'context[device][product]': 'Sagewire' });
  });

  it.each([
    ['unknown', async (_plexTv: PlexTv) => 987654321],
    [
      'expired',
      async (plexTv: PlexTv) => {
        const pin = await plexTv.createPin();
        expect(await control('expire', pin.code)).toBe(200);
        return pin.id;
      },
    ],
    ['another client’s', async (_plexTv: PlexTv) => (await clientFor(sim.url, 'someone-else').createPin()).id],
  ])('says a PIN that is %s has expired', async (_name, pinId) => {
    const plexTv = clientFor(sim.url);
    const { problem, message } = await problemOf(plexTv.checkPin(await pinId(plexTv)));
    expect(problem).toBe('expired');
    expect(message).toMatch(/expired.*Start “Sign in with Plex” again/);
  });

  it('refuses to create a PIN without a client identifier (as plex.tv does)', async () => {
    const res = await fetch(`${sim.url}/api/v2/pins?strong=true`, { method: 'POST', headers: { Accept: 'application/json' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: [{ code: 1000, message: 'X-Plex-Client-Identifier is missing', status: 400 }] });
  });
});

describe('resources', () => {
  async function accountToken(plexTv: PlexTv): Promise<string> {
    const pin = await plexTv.createPin();
    await control('approve', pin.code);
    return (await plexTv.checkPin(pin.id)).authToken!;
  }

  it('lists the simulated server with its own token and local, remote and relay connections, and no player', async () => {
    const plexTv = clientFor(sim.url);
    const servers = await plexTv.servers(await accountToken(plexTv));
    expect(servers).toHaveLength(1);
    const [server] = servers;
    expect(server).toMatchObject({ clientIdentifier: sim.machineIdentifier, accessToken: sim.token, owned: true, presence: true });
    expect(server.connections.map((c) => [c.local, c.relay])).toEqual([
      [true, false],
      [false, false],
      [false, true],
    ]);
    expect(server.connections[0].uri).toBe(sim.url);

    // The listed local connection and token reach the server.
    const plex = new PlexClient({ url: server.connections[0].uri, token: server.accessToken, retries: 0 });
    expect((await plex.identity()).machineIdentifier).toBe(sim.machineIdentifier);
  });

  it('says plex.tv refused a token it did not issue', async () => {
    const { problem } = await problemOf(clientFor(sim.url).servers(sim.token));
    expect(problem).toBe('rejected');
  });
});

describe('answers the client refuses', () => {
  it('names plex.tv when it cannot be reached', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { problem, message } = await problemOf(clientFor(`http://127.0.0.1:${port}`).createPin());
    expect(problem).toBe('unreachable');
    expect(message).toContain(`cannot reach plex.tv at http://127.0.0.1:${port} (connection refused)`);
  });

  it.each([
    ['an oversized answer', Buffer.alloc(80 * 1024, 0x20), /larger answer than Sagewire accepts/],
    ['something other than JSON', '<html>login</html>', /cannot read/],
    ['JSON of another shape', JSON.stringify({ id: 'x', code: 5 }), /cannot read/],
  ])('refuses %s to a PIN request', async (_name, body, expected) => {
    const fake = await fakePlexTv(body);
    try {
      const { problem, message } = await problemOf(clientFor(fake.url).createPin());
      expect(problem).toBe('answer');
      expect(message).toMatch(expected);
    } finally {
      await fake.close();
    }
  });

  it('says when the account has no server it can use', async () => {
    const fake = await fakePlexTv(
      JSON.stringify([
        { name: 'Phone', provides: 'client,player', clientIdentifier: 'p1', connections: [] },
        // A server without its own token cannot be used either.
        { name: 'Tokenless', provides: 'server', clientIdentifier: 's1', connections: [] },
      ]),
    );
    try {
      const { problem, message } = await problemOf(clientFor(fake.url).servers('any-token'));
      expect(problem).toBe('no-servers');
      expect(message).toMatch(/no Plex Media Server/);
    } finally {
      await fake.close();
    }
  });
});
