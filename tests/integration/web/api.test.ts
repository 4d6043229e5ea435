// /api/status and the API token: Bearer, session, rotation; and the Bearer/session/CSRF guard itself.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { Router } from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiToken } from '../../../src/web/auth/api-token.js';
import { requireApiAuth } from '../../../src/web/auth/guards.js';
import { adminSessions } from '../../../src/web/auth/sessions.js';
import type { SagewireStatus } from '../../../src/web/read-models/status.js';
import { Client, startWeb, type WebHarness } from './harness.js';

const OWNERSHIP = {
  artists: { manual: 1, inferred: 2, unrated: 0, optedOut: 0 },
  albums: { manual: 1, inferred: 2, unrated: 1, optedOut: 0 },
  tracks: { manual: 3, inferred: 3, unrated: 1, optedOut: 1 },
  total: { manual: 5, inferred: 7, unrated: 2, optedOut: 1 },
};

/** Rotates the token; the page warns that an earlier token stops working only when there was one. */
async function rotate(client: Client, csrf: string, replacing: boolean): Promise<string> {
  const res = await client.post('/settings/api-token', {}, { 'hx-request': 'true', 'x-csrf-token': csrf });
  expect(res.status).toBe(200);
  expect(res.text).toContain('New API token created.');
  expect(res.text.includes('The previous token no longer works.')).toBe(replacing);
  const token = /id="api_token_new" value="([^"]+)"/.exec(res.text)?.[1];
  expect(token).toMatch(/^sw_/);
  return token!;
}

describe('/api/status', () => {
  let web: WebHarness;
  beforeAll(async () => {
    web = await startWeb({}, { statusSources: { ownership: async () => OWNERSHIP } });
    const now = Date.now();
    await web.database.db
      .insertInto('artists')
      .values({ rating_key: '1', title: 'A', user_rating: null, last_rated_at: null, added_at: null, updated_at: null, thumb: null })
      .execute();
    await web.database.db
      .insertInto('engine_runs')
      .values({
        kind: 'full',
        status: 'done',
        started_at: now - 5000,
        finished_at: now - 1000,
        mu: 6.4,
        epsilon: 0.02,
        write_mode: 'rate',
        counts: '{"written":3}',
        event_id: null,
        undoes_run_id: null,
        error: null,
      })
      .execute();
  });
  afterAll(() => web.close());

  it('needs a Bearer token or a session: 401 with WWW-Authenticate otherwise', async () => {
    const res = await fetch(`${web.url}/api/status`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await res.json()) as { error: string }).error).toContain('Bearer');
    const wrong = await fetch(`${web.url}/api/status`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
  });

  it('answers a session with the status: library, inbox, ownership, model, last run', async () => {
    const client = new Client(web.url, { accept: 'application/json' });
    await client.signIn();
    const res = await client.get('/api/status');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const status = JSON.parse(res.text) as SagewireStatus;
    expect(status.library).toEqual({ artists: 1, albums: 0, tracks: 0, lastSyncAt: null });
    expect(status.inbox).toMatchObject({ pending: 0, failed: 0, dead: 0, lastReceivedAt: null });
    expect(status.ownership).toEqual(OWNERSHIP);
    expect(status.model).toMatchObject({ mu: 6.4, epsilon: 0.02 });
    expect(status.lastRun).toMatchObject({ kind: 'full', status: 'done', counts: { written: 3 } });
    expect(status.plex).toEqual({ configured: false, musicLibrary: null });
  });

  it('accepts the Bearer token shown after a rotation, and a second rotation invalidates it', async () => {
    const client = new Client(web.url);
    const csrf = await client.signIn();
    const first = await rotate(client, csrf, false);
    const ok = await fetch(`${web.url}/api/status`, { headers: { authorization: `Bearer ${first}` } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as SagewireStatus).library.artists).toBe(1);

    const second = await rotate(client, csrf, true);
    expect(second).not.toBe(first);
    expect((await fetch(`${web.url}/api/status`, { headers: { authorization: `Bearer ${first}` } })).status).toBe(401);
    expect((await fetch(`${web.url}/api/status`, { headers: { authorization: `Bearer ${second}` } })).status).toBe(200);
    // Only the hash is stored.
    const stored = await web.database.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'API_TOKEN_SHA256')
      .executeTakeFirstOrThrow();
    expect(stored.value).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.value).not.toContain(second);
  });

  it('takes API_TOKEN from the environment and refuses to rotate it', async () => {
    const fixed = await startWeb({ API_TOKEN: 'env-api-token-0123456789' });
    try {
      expect((await fetch(`${fixed.url}/api/status`, { headers: { authorization: 'Bearer env-api-token-0123456789' } })).status).toBe(200);
      const client = new Client(fixed.url);
      const csrf = await client.signIn();
      const refused = await client.post('/settings/api-token', { _csrf: csrf });
      expect(refused.status).toBe(409);
      const settings = await client.get('/settings');
      expect(settings.text).toContain('set by <code>API_TOKEN</code> in the environment');
      expect(settings.text).not.toContain('env-api-token-0123456789');
    } finally {
      await fixed.close();
    }
  });
});

describe('the API guard', () => {
  // A state-changing API route with the real middleware: Bearer needs no CSRF, a session does.
  let web: WebHarness;
  let base: string;
  let close: () => void;
  beforeAll(async () => {
    web = await startWeb();
    const token: ApiToken = { fixedByEnv: false, exists: true, matches: (t) => t === 'good-token', rotate: async () => 'x' };
    const router = new Router();
    router.use(adminSessions(web.database.db).load(), requireApiAuth(token));
    router.post('/api/thing', (ctx) => {
      ctx.body = { ok: true, via: ctx.state.apiAuth };
    });
    const app = new Koa();
    app.use(router.routes());
    const server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(async () => {
    close();
    await web.close();
  });

  it('lets Bearer POSTs through without CSRF and holds session POSTs to the CSRF token', async () => {
    const bearer = await fetch(`${base}/api/thing`, { method: 'POST', headers: { authorization: 'Bearer good-token' } });
    expect(await bearer.json()).toEqual({ ok: true, via: 'bearer' });

    const client = new Client(web.url);
    const csrf = await client.signIn();
    const cookie = `sagewire_session=${client.cookies.get('sagewire_session')}`;
    const noCsrf = await fetch(`${base}/api/thing`, { method: 'POST', headers: { cookie } });
    expect(noCsrf.status).toBe(403);
    const withCsrf = await fetch(`${base}/api/thing`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    expect(await withCsrf.json()).toEqual({ ok: true, via: 'session' });
    // A wrong Bearer is refused even with a valid session beside it.
    const mixed = await fetch(`${base}/api/thing`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, authorization: 'Bearer bad' },
    });
    expect(mixed.status).toBe(401);
  });
});
