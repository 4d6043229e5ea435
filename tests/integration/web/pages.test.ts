// The pages over real HTTP: no inline code anywhere (the CSP would block it), secrets never rendered,
// first-start password generation, Setup, Settings validation and the password change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlexChecker } from '../../../src/web/services/plex-check.js';
import { Client, inlineCodeIn, PASSWORD, startWeb, WEBHOOK_SECRET, type WebHarness } from './harness.js';

const PLEX_TOKEN = 'plex-token-SECRET-value-42';
const fakePlex: PlexChecker = async (url, token) =>
  url.includes('unreachable')
    ? { ok: false, message: `cannot reach Plex at ${url}: connection refused; check PLEX_URL and that the server is running` }
    : token === PLEX_TOKEN
      ? {
          ok: true,
          version: '1.41.0',
          machineIdentifier: 'abc123',
          libraries: [
            { id: '3', title: 'Music' },
            { id: '7', title: 'Audiobooks as music' },
          ],
        }
      : { ok: false, message: `Plex rejected PLEX_TOKEN at ${url} (401 Unauthorized on GET /identity); check the token` };

const settingsRows = async (web: WebHarness) =>
  Object.fromEntries((await web.database.db.selectFrom('settings').select(['key', 'value']).execute()).map((r) => [r.key, r.value]));

describe('admin pages', () => {
  let web: WebHarness;
  let client: Client;
  let csrf: string;
  const rendered: Array<{ path: string; html: string }> = [];
  const keep = (path: string, html: string) => {
    rendered.push({ path, html });
    return html;
  };

  beforeAll(async () => {
    web = await startWeb({}, { checkPlex: fakePlex });
    client = new Client(web.url);
    keep('/login', (await client.get('/login')).text);
    keep('/login (wrong)', (await client.login('wrong-password-here')).text);
    csrf = await client.signIn();
  });
  afterAll(() => web.close());

  it('opens the first-run wizard once, then sends the dashboard to Setup until Plex is configured', async () => {
    const first = await client.get('/');
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/welcome');
    const res = await client.get('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/setup');
  });

  it('shows the webhook URL built from the request, and pre-ticks dry-run on a first setup', async () => {
    const html = keep('/setup', (await client.get('/setup')).text);
    expect(html).toContain(`value="${web.url}/webhooks/plex/${WEBHOOK_SECRET}"`);
    expect(html).toContain('Settings → Webhooks');
    expect(html).toContain('Plex Pass');
    expect(html).toMatch(/id="dry_run" name="dry_run" value="true" checked/);
  });

  it('tests the connection: the exact error for a bad token, the music libraries for a good one (htmx and without JS)', async () => {
    const bad = await client.post(
      '/setup/test',
      { _csrf: csrf, plex_url: 'http://plex.local:32400', plex_token: 'nope' },
      { 'hx-request': 'true' },
    );
    expect(bad.status).toBe(200);
    // Both values were typed into the form: the message names the fields, not environment variables.
    expect(bad.text).toContain('Plex rejected the Plex token above at http://plex.local:32400');
    expect(bad.text).not.toContain('PLEX_TOKEN');
    keep('/setup/test (bad)', bad.text);
    const away = await client.post(
      '/setup/test',
      { _csrf: csrf, plex_url: 'http://unreachable.local:32400', plex_token: PLEX_TOKEN },
      { 'hx-request': 'true' },
    );
    expect(away.text).toContain('connection refused; check the Plex URL above and that the server is running');
    expect(away.text).not.toContain('PLEX_URL');
    const good = await client.post(
      '/setup/test',
      { _csrf: csrf, plex_url: 'http://plex.local:32400/', plex_token: PLEX_TOKEN },
      { 'hx-request': 'true' },
    );
    expect(good.text).toContain('Connected to Plex 1.41.0');
    // Two music libraries on this server: boxes to tick, the chosen one ticked.
    expect(good.text).toMatch(/<div id="library-field" hx-swap-oob="true">/);
    expect(good.text).toMatch(/<input type="checkbox" name="plex_library" id="plex_library" value="Music" checked>/);
    expect(good.text).toContain('Music <span class="muted">(id 3)</span>');
    expect(good.text).not.toContain(PLEX_TOKEN);
    keep('/setup/test (good)', good.text);
    const noJs = await client.post('/setup/test', { _csrf: csrf, plex_url: 'ftp://nope', plex_token: PLEX_TOKEN });
    expect(noJs.text).toContain('is not a Plex URL');
    expect(noJs.text).toContain('<html');
    expect(noJs.text).not.toContain(PLEX_TOKEN);
    keep('/setup/test (no js)', noJs.text);
  });

  it('refuses an invalid setup with messages per field and saves nothing', async () => {
    const res = await client.post('/setup', {
      _csrf: csrf,
      plex_url: 'not a url',
      plex_token: '',
      plex_library: '',
      webhooks: 'on',
      reconcile_minutes: '0',
      inferred_tag_enabled: 'true',
      inferred_tag: 'a,b',
      dry_run: 'true',
    });
    expect(res.status).toBe(422);
    keep('/setup (invalid)', res.text);
    for (const id of ['plex_url', 'plex_token', 'plex_library', 'reconcile_minutes', 'inferred_tag'])
      expect(res.text).toContain(`id="${id}-error"`);
    expect(
      Object.keys(await settingsRows(web)).filter((k) => !['ADMIN_PASSWORD_HASH', 'API_TOKEN_SHA256', 'FIRST_RUN_WIZARD_SEEN'].includes(k)),
    ).toEqual([]);
  });

  it('saves the setup, then shows the token as set and never renders it', async () => {
    const res = await client.post('/setup', {
      _csrf: csrf,
      plex_url: 'http://plex.local:32400/',
      plex_token: PLEX_TOKEN,
      plex_library: 'Music',
      webhooks: 'off',
      reconcile_minutes: '5',
      inferred_tag_enabled: ['false', 'true'],
      inferred_tag: 'Sagewire',
      dry_run: ['false', 'true'],
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    expect(await settingsRows(web)).toMatchObject({
      PLEX_URL: 'http://plex.local:32400',
      PLEX_TOKEN,
      PLEX_MUSIC_LIBRARY: 'Music',
      WEBHOOKS: 'off',
      RECONCILE_MINUTES: '5',
      INFERRED_TAG: 'Sagewire',
      DRY_RUN: 'true',
    });
    const dashboard = keep('/', (await client.get('/')).text);
    expect(dashboard).toContain('Setup saved.');
    expect(dashboard).toContain('polling mode');
    expect(dashboard).toContain('dry run: nothing is written to Plex');
    const setup = keep('/setup (configured)', (await client.get('/setup')).text);
    expect(setup).toContain('<span class="badge badge-done">set</span>');
    expect(setup).toMatch(/id="plex_token" name="plex_token" value=""/);
    expect(setup).toContain('hx-get="/setup/libraries"');
    const libraries = await client.get('/setup/libraries', { 'hx-request': 'true' });
    expect(libraries.text).toContain('Audiobooks as music <span class="muted">(id 7)</span>');
    keep('/setup/libraries', libraries.text);
    keep('/dashboard/activity', (await client.get('/dashboard/activity', { 'hx-request': 'true' })).text);

    // An empty token field keeps the saved token; unticking the tag saves an empty INFERRED_TAG (no tag).
    await client.post('/setup', {
      _csrf: csrf,
      plex_url: 'http://plex.local:32400',
      plex_token: '',
      plex_library: 'Music',
      webhooks: 'on',
      reconcile_minutes: '10',
      inferred_tag_enabled: 'false',
      inferred_tag: 'Sagewire',
      dry_run: 'false',
    });
    expect(await settingsRows(web)).toMatchObject({ PLEX_TOKEN, INFERRED_TAG: '', WEBHOOKS: 'on' });
  });

  it('validates model parameters with the domain schema: per-field errors and nothing saved, then saves only departures from defaults', async () => {
    const form = Object.fromEntries(
      Array.from((await client.get('/settings')).text.matchAll(/name="(rating_[a-z_]+)" value="([^"]*)"/g), (m) => [m[1], m[2]]),
    );
    expect(form.rating_c).toBe('auto');
    // The kinds are three checkboxes of one name: the scraper above keeps only the last.
    form.rating_infer_kinds = ['artist', 'album', 'track'] as unknown as string;
    const invalid = await client.post('/settings/model', {
      ...form,
      _csrf: csrf,
      rating_c: '0',
      rating_g_album: '1.5',
      rating_precision: 'sometimes',
      rating_twins_enabled: 'maybe',
    });
    expect(invalid.status).toBe(422);
    keep('/settings (invalid)', invalid.text);
    expect(invalid.text).toContain('Nothing was saved');
    expect(invalid.text).toMatch(/id="rating_c-error">must be &quot;auto&quot; or a number greater than 0</);
    expect(invalid.text).toMatch(/id="rating_g_album-error">must be between 0 and 1</);
    expect(invalid.text).toMatch(/id="rating_precision-error">must be &quot;dynamic&quot; or &quot;fixed:X&quot;/);
    expect(invalid.text).toContain('value="0"');
    expect(Object.keys(await settingsRows(web)).filter((k) => k.startsWith('RATING_'))).toEqual([]);

    const valid = await client.post('/settings/model', {
      ...form,
      _csrf: csrf,
      rating_c: '3.5',
      rating_twins_enabled: ['false'],
      rating_exclusion_keywords: 'intro, skit',
    });
    expect(valid.status).toBe(302);
    const rows = await settingsRows(web);
    expect(Object.fromEntries(Object.entries(rows).filter(([k]) => k.startsWith('RATING_')))).toEqual({
      RATING_C: '3.5',
      RATING_TWINS_ENABLED: 'false',
      RATING_EXCLUSION_KEYWORDS: 'intro, skit',
    });
    const page = keep('/settings (saved)', (await client.get('/settings')).text);
    expect(page).toContain('Model parameters saved');
    expect(page).toMatch(/id="rating_c" name="rating_c" value="3.5"/);
    // Back to the default removes the row.
    await client.post('/settings/model', {
      ...form,
      _csrf: csrf,
      rating_c: 'Auto',
      rating_twins_enabled: ['false'],
      rating_exclusion_keywords: 'intro, skit',
    });
    expect((await settingsRows(web)).RATING_C).toBeUndefined();
  });

  it('does not change a password fixed by ADMIN_PASSWORD (the change itself is tested below, without it)', async () => {
    const res = await client.post('/settings/password', {
      _csrf: csrf,
      current_password: PASSWORD,
      new_password: 'new-password-1',
      confirm_password: 'new-password-1',
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain('The admin password is set by <code>ADMIN_PASSWORD</code> in the environment');
    keep('/settings/password (fixed)', res.text);
    expect((await new Client(web.url).login(PASSWORD)).status).toBe(302);
  });

  it('renders a 404 page for unknown paths', async () => {
    const res = await client.get('/no/such/page');
    expect(res.status).toBe(404);
    keep('/no/such/page', res.text);
    expect(res.text).toContain('404');
  });

  it('has no inline script, style or event handler in any page or fragment it rendered', () => {
    expect(rendered.length).toBeGreaterThanOrEqual(14);
    for (const { path, html } of rendered) expect(inlineCodeIn(html), path).toEqual([]);
    for (const { path, html } of rendered.filter((r) => r.html.includes('<html'))) {
      expect(html, path).toContain('<link rel="icon" href="data:,">');
      expect(html, path).toContain('<link rel="stylesheet" href="/static/app.css');
    }
  });

  it('never renders a secret: the admin password, the Plex token, the API token; the webhook secret only on Setup', async () => {
    const rotated = await client.post('/settings/api-token', { _csrf: csrf });
    const apiToken = /id="api_token_new" value="([^"]+)"/.exec(rotated.text)![1];
    for (const path of ['/', '/setup', '/settings', '/dashboard/activity', '/setup/libraries']) keep(path, (await client.get(path)).text);
    const hash = (await settingsRows(web)).API_TOKEN_SHA256;
    for (const { path, html } of rendered) {
      expect(html, path).not.toContain(PASSWORD);
      expect(html, path).not.toContain(PLEX_TOKEN);
      expect(html, path).not.toContain(apiToken);
      expect(html, path).not.toContain(hash);
      if (!path.startsWith('/setup')) expect(html, path).not.toContain(WEBHOOK_SECRET);
    }
  });
});

describe('first start without ADMIN_PASSWORD', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sagewire-first-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates a password, stores only its argon2id hash, prints it once at warn level, and never again', async () => {
    const first = await startWeb({ ADMIN_PASSWORD: '' }, { dataDir });
    let password: string;
    try {
      const lines = first.logLines().filter((l) => l.includes('generated the admin password'));
      expect(lines).toHaveLength(1);
      const entry = JSON.parse(lines[0]) as { level: number; msg: string };
      expect(entry.level).toBe(40);
      password = /password on first start: (\S+)/.exec(entry.msg)![1];
      expect(password.length).toBeGreaterThanOrEqual(20);
      const rows = await settingsRows(first);
      expect(rows.ADMIN_PASSWORD_HASH).toMatch(/^\$argon2id\$/);
      expect(JSON.stringify(rows)).not.toContain(password);
      expect(rows.ADMIN_PASSWORD).toBeUndefined();
      const client = new Client(first.url);
      expect((await client.login('wrong-password')).status).toBe(401);
      const csrf = await client.signIn(password);

      const changed = await client.post('/settings/password', {
        _csrf: csrf,
        current_password: password,
        new_password: 'short',
        confirm_password: 'short',
      });
      expect(changed.text).toContain('at least 8 characters');
      const other = new Client(first.url);
      await other.signIn(password);
      const ok = await client.post('/settings/password', {
        _csrf: csrf,
        current_password: password,
        new_password: 'brand-new-password',
        confirm_password: 'brand-new-password',
      });
      expect(ok.status).toBe(302);
      expect((await other.get('/settings')).status).toBe(302); // signed out
      expect((await client.get('/settings')).text).toContain('1 other session was signed out');
      expect((await new Client(first.url).login(password)).status).toBe(401);
      expect((await new Client(first.url).login('brand-new-password')).status).toBe(302);
    } finally {
      await first.close();
    }
    const second = await startWeb({ ADMIN_PASSWORD: '' }, { dataDir });
    try {
      expect(second.logLines().some((l) => l.includes('generated the admin password'))).toBe(false);
      expect((await new Client(second.url).login('brand-new-password')).status).toBe(302);
    } finally {
      await second.close();
    }
  });
});

describe('values fixed by the environment', () => {
  it('shows them disabled with a note, and ignores them when a form is saved', async () => {
    const web = await startWeb(
      { PLEX_URL: 'http://env-plex:32400', PLEX_TOKEN: 'env-plex-token-secret', RATING_C: '4', WEBHOOKS: 'off' },
      { checkPlex: fakePlex },
    );
    try {
      const client = new Client(web.url);
      const csrf = await client.signIn();
      const setup = await client.get('/setup');
      expect(setup.text).toMatch(/id="plex_url" value="http:\/\/env-plex:32400" disabled/);
      expect(setup.text).toContain('Set by <code>PLEX_TOKEN</code> in the environment');
      expect(setup.text).not.toContain('env-plex-token-secret');
      expect(setup.text).toMatch(/id="webhooks_off" name="webhooks" value="off" checked disabled/);
      await client.post('/setup', {
        _csrf: csrf,
        plex_url: 'http://attacker:1',
        plex_token: 'other',
        plex_library: 'Music',
        webhooks: 'on',
        reconcile_minutes: '10',
        inferred_tag_enabled: 'true',
        inferred_tag: 'X',
        dry_run: 'false',
      });
      const rows = await settingsRows(web);
      expect(rows.PLEX_URL).toBeUndefined();
      expect(rows.PLEX_TOKEN).toBeUndefined();
      expect(rows.WEBHOOKS).toBeUndefined();
      const settings = await client.get('/settings');
      expect(settings.text).toMatch(
        /id="rating_c" name="rating_c" value="4" autocapitalize="off" autocomplete="off" spellcheck="false" disabled/,
      );
      expect(settings.text).toContain('Set by <code>RATING_C</code> in the environment');
      expect(settings.text).not.toContain('env-plex-token-secret');
    } finally {
      await web.close();
    }
  });
});
