// Access control over real HTTP: login, rate limits, session cookies, CSRF, logout, headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/web/security-headers.js';
import { Client, PASSWORD, startWeb, WEBHOOK_SECRET, type WebHarness } from './harness.js';

describe('admin access', () => {
  let web: WebHarness;
  beforeAll(async () => {
    web = await startWeb({}, { loginLimits: { perIp: { max: 3, windowMs: 60_000 }, global: { max: 1000, windowMs: 60_000 } } });
  });
  afterAll(() => web.close());

  it('sends a visitor without a session to the login page, keeping where they were going', async () => {
    const res = await new Client(web.url).get('/settings');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?next=%2Fsettings');
  });

  it('refuses a wrong password with 401 and no session, accepts the right one with a HttpOnly SameSite cookie', async () => {
    const client = new Client(web.url);
    const wrong = await client.login('nope-nope-nope');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Wrong password.');
    expect(client.cookies.has('sagewire_session')).toBe(false);

    const right = await client.login();
    expect(right.status).toBe(302);
    expect(right.headers.get('location')).toBe('/');
    const cookie = right.setCookies.find((c) => c.startsWith('sagewire_session='))!;
    expect(cookie).toMatch(/; httponly/i);
    expect(cookie).toMatch(/; samesite=lax/i);
    expect(cookie).toMatch(/; path=\//i);
    expect(cookie).toMatch(/; expires=/i);
    expect(cookie).not.toMatch(/; secure/i);
    // The cookie holds a random id; the table holds only its hash.
    const id = client.cookies.get('sagewire_session')!;
    expect(id).toMatch(/^[\w-]{43}$/);
    const rows = await web.database.db.selectFrom('admin_sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).not.toContain(id);
  });

  it('redirects only to local paths after login', async () => {
    const client = new Client(web.url);
    const page = await client.get('/login');
    const res = await client.post('/login', { _csrf: Client.csrfOf(page.text), password: PASSWORD, next: '//evil.example/x' });
    expect(res.headers.get('location')).toBe('/');
  });

  it('refuses a login form that did not come from the login page (no pre-session token) with 403', async () => {
    const res = await new Client(web.url).post('/login', { password: PASSWORD });
    expect(res.status).toBe(403);
  });

  it('rate-limits failed logins per IP with 429 and Retry-After, even for the right password', async () => {
    // Every test client is 127.0.0.1: a harness of its own keeps the other tests' sign-ins working.
    const limited = await startWeb({}, { loginLimits: { perIp: { max: 3, windowMs: 60_000 }, global: { max: 1000, windowMs: 60_000 } } });
    try {
      const c = new Client(limited.url);
      for (let i = 0; i < 3; i++) expect((await c.login('wrong-password')).status).toBe(401);
      const refused = await c.login(PASSWORD);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.text).toContain('Too many failed sign-ins');
      expect(c.cookies.has('sagewire_session')).toBe(false);
    } finally {
      await limited.close();
    }
  });

  it('past the global limit still signs in the right password from a fresh address (behind a trusted proxy, per X-Forwarded-For)', async () => {
    const proxied = await startWeb(
      { TRUST_PROXY: 'true' },
      { loginLimits: { perIp: { max: 2, windowMs: 60_000 }, global: { max: 4, windowMs: 60_000, paceMs: 50 } } },
    );
    try {
      for (let i = 0; i < 4; i++) {
        const c = new Client(proxied.url, { 'x-forwarded-for': `198.51.100.${i}` });
        expect((await c.login('wrong-password')).status).toBe(401);
      }
      const fresh = new Client(proxied.url, { 'x-forwarded-for': '198.51.100.77' });
      expect((await fresh.login(PASSWORD)).status).toBe(302);
    } finally {
      await proxied.close();
    }
  });

  it('behind a trusted proxy, counts the address the proxy saw, not what the client wrote before it in X-Forwarded-For', async () => {
    const proxied = await startWeb(
      { TRUST_PROXY: 'true' },
      { loginLimits: { perIp: { max: 2, windowMs: 60_000 }, global: { max: 100, windowMs: 60_000, paceMs: 0 } } },
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        // A new forged address each time; the proxy appends the one it saw (always the same).
        const c = new Client(proxied.url, { 'x-forwarded-for': `10.9.9.${i}, 198.51.100.40` });
        statuses.push((await c.login('wrong-password')).status);
      }
      expect(statuses).toEqual([401, 401, 429, 429]);
    } finally {
      await proxied.close();
    }
  });

  it('marks the cookie Secure behind an https proxy only when TRUST_PROXY is set', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const untrusted = await new Client(web.url, https).login();
    expect(untrusted.setCookies.find((c) => c.startsWith('sagewire_session='))).not.toMatch(/; secure/i);
    const proxied = await startWeb({ TRUST_PROXY: 'true' });
    try {
      const trusted = await new Client(proxied.url, https).login();
      expect(trusted.status).toBe(302);
      expect(trusted.setCookies.find((c) => c.startsWith('sagewire_session='))).toMatch(/; secure/i);
    } finally {
      await proxied.close();
    }
  });

  it('refuses state-changing requests without the session CSRF token with 403: forms and htmx alike', async () => {
    const client = new Client(web.url);
    const csrf = await client.signIn();
    const form = {
      webhooks: 'off',
      reconcile_minutes: '5',
      inferred_tag_enabled: 'true',
      inferred_tag: 'Rating_Inferred',
      dry_run: 'false',
    };

    expect((await client.post('/settings/behaviour', form)).status).toBe(403);
    expect((await client.post('/settings/behaviour', { ...form, _csrf: 'forged' })).status).toBe(403);
    const htmx = await client.post('/settings/behaviour', form, { 'hx-request': 'true', 'x-csrf-token': 'forged' });
    expect(htmx.status).toBe(403);
    expect(htmx.text).toContain('CSRF token missing or invalid');
    expect((await client.post('/settings/api-token', {}, { 'hx-request': 'true' })).status).toBe(403);
    // Another session's token is not this session's token.
    const other = await new Client(web.url).signIn();
    expect((await client.post('/settings/behaviour', { ...form, _csrf: other })).status).toBe(403);
    expect((await client.request('DELETE', '/settings', { headers: {} })).status).not.toBe(200);
    expect(await web.database.db.selectFrom('settings').select('key').where('key', '=', 'WEBHOOKS').executeTakeFirst()).toBeUndefined();

    expect((await client.post('/settings/behaviour', { ...form, _csrf: csrf })).status).toBe(302);
    const htmxOk = await client.post('/settings/behaviour', form, { 'hx-request': 'true', 'x-csrf-token': csrf });
    expect(htmxOk.status).toBe(302);
    const saved = await web.database.db.selectFrom('settings').select('value').where('key', '=', 'WEBHOOKS').executeTakeFirst();
    expect(saved?.value).toBe('off');
  });

  it('answers htmx requests of a signed-out browser with HX-Redirect to the login page', async () => {
    const res = await new Client(web.url).get('/dashboard/activity', { 'hx-request': 'true' });
    expect(res.status).toBe(401);
    expect(res.headers.get('hx-redirect')).toBe('/login?next=%2Fdashboard%2Factivity');
  });

  it('signs out with a CSRF-checked POST that deletes the session', async () => {
    const client = new Client(web.url);
    const csrf = await client.signIn();
    const stolen = client.cookies.get('sagewire_session')!;
    expect((await client.post('/logout', {})).status).toBe(403);
    const out = await client.post('/logout', { _csrf: csrf });
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe('/login?signed_out');
    expect(client.cookies.has('sagewire_session')).toBe(false);
    const replay = new Client(web.url);
    replay.cookies.set('sagewire_session', stolen);
    expect((await replay.get('/settings')).status).toBe(302);
  });

  it('sends the strict CSP and frame headers on every response, HTML pages included', async () => {
    const client = new Client(web.url);
    await client.signIn();
    for (const path of ['/login', '/settings', '/setup', '/nowhere', '/api/health', '/static/app.css']) {
      const res = await client.get(path);
      expect(res.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
  });

  it('keeps the webhook route outside login and CSRF, and /api/health unauthenticated', async () => {
    const health = await new Client(web.url).get('/api/health');
    expect(health.status).toBe(200);
    const hook = await fetch(`${web.url}/webhooks/plex/${WEBHOOK_SECRET}`, {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect([400, 415]).toContain(hook.status);
    const wrongSecret = await fetch(`${web.url}/webhooks/plex/nope`, { method: 'POST' });
    expect(wrongSecret.status).toBe(404);
  });
});
