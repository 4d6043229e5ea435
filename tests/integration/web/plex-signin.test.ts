// "Sign in with Plex" on the Setup page over HTTP, against the simulator's plex.tv stand-in: the PIN, its
// approval, the servers and connections offered, the choice tested and saved like a typed URL and token; an
// expired PIN, plex.tv out of reach, bad choices and settings the environment fixes. No token (the server's
// or the account's) may appear in a page or a log line.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { Client, startWeb, type WebHarness } from './harness.js';

const HX = { 'hx-request': 'true' };
/** Account tokens of the stand-in start so; none may ever reach a page or a log. */
const ACCOUNT_TOKEN = /plextv-[0-9a-f]{8,}/;

let sim: RunningSimulator;
let web: WebHarness;

const rows = async () =>
  Object.fromEntries((await web.database.db.selectFrom('settings').select(['key', 'value']).execute()).map((r) => [r.key, r.value]));

async function control(action: 'approve' | 'expire', code: string): Promise<void> {
  const res = await fetch(`${sim.url}/__sim/plextv/${action}?code=${encodeURIComponent(code)}`, {
    method: 'POST',
    headers: { 'X-Plex-Token': sim.token },
  });
  expect(res.status).toBe(200);
}

/** The PIN's code from the auth link a sign-in page shows. */
function codeOf(html: string): string {
  const href = /<a class="button" href="([^"]+)"[^>]*id="plex-signin-open"/.exec(html)?.[1];
  if (!href) throw new Error('no sign-in link in page');
  const url = new URL(href.replace(/&amp;/g, '&'));
  expect(`${url.origin}${url.pathname}`).toBe(`${sim.url}/auth`);
  return new URLSearchParams(url.hash.replace(/^#\?/, '')).get('code') ?? '';
}

function noSecretsIn(text: string): void {
  expect(text).not.toContain(sim.token);
  expect(text).not.toMatch(ACCOUNT_TOKEN);
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, tracks: 50, seed: 3, log: { warn() {}, error() {} } as never });
});
afterAll(() => sim.close());
afterEach(() => web?.close());

describe('Sign in with Plex', () => {
  it('lists the account’s server connections once approved and saves the chosen one like a typed URL and token', async () => {
    web = await startWeb({ PLEX_TV_URL: sim.url });
    const client = new Client(web.url);
    const csrf = await client.signIn();

    const setup = await client.get('/setup');
    expect(setup.text).toContain('Sign in with Plex');
    const started = await client.post('/setup/plex-signin', { _csrf: csrf }, HX);
    expect(started.status).toBe(200);
    expect(started.text).toContain('hx-get="/setup/plex-signin"');
    const code = codeOf(started.text);
    expect(code).toMatch(/^[0-9a-z]{25}$/);

    const waiting = await client.get('/setup/plex-signin', HX);
    expect(waiting.text).toContain('Waiting for your approval');

    await control('approve', code);
    const listed = await client.get('/setup/plex-signin', HX);
    expect(listed.text).not.toContain('hx-get="/setup/plex-signin"');
    const choices = [...listed.text.matchAll(/name="connection" value="([^"]+)"/g)].map((m) => m[1]);
    expect(choices).toEqual(['0-0', '0-1', '0-2']);
    expect(listed.text).toContain(`local · <code>${sim.url}</code>`);
    expect(listed.text).toMatch(/remote · <code>https:\/\/[^<]+\.plex\.direct:32400<\/code>/);
    expect(listed.text).toMatch(/relay · <code>https:\/\/[^<]+\.plex\.direct:8443<\/code>/);
    expect(listed.text).not.toContain('Living Room');
    noSecretsIn(listed.text);
    expect(await rows()).not.toHaveProperty('PLEX_URL');

    const saved = await client.post('/setup/plex-signin/choose', { _csrf: csrf, connection: '0-0' });
    expect(saved.status).toBe(302);
    expect(saved.headers.get('location')).toBe('/setup');
    const settings = await rows();
    expect(settings).toMatchObject({ PLEX_URL: sim.url, PLEX_TOKEN: sim.token, PLEX_TOKEN_BOUND_URL: sim.url });
    // A first setup starts in dry-run mode, as the Setup form would have saved it.
    expect(settings.DRY_RUN).toBe('true');
    expect(settings.PLEX_CLIENT_IDENTIFIER).toMatch(/^[0-9a-f-]{36}$/);

    const after = await client.get('/setup');
    expect(after.text).toContain(`Signed in with Plex: connected to`);
    expect(after.text).toContain('Sign in with Plex</button>');
    noSecretsIn(after.text);
    noSecretsIn(web.logLines().join('\n'));
  });

  it('leaves dry-run mode alone when Plex was set up before', async () => {
    web = await startWeb({ PLEX_TV_URL: sim.url });
    const client = new Client(web.url);
    const csrf = await client.signIn();
    const typed = await client.post('/setup', {
      _csrf: csrf,
      plex_url: sim.url,
      plex_token: sim.token,
      plex_library: 'Music',
      webhooks: 'on',
      reconcile_minutes: '10',
      inferred_tag_enabled: 'true',
      inferred_tag: 'Rating_Inferred',
      dry_run: 'false',
    });
    expect(typed.status).toBe(302);
    const started = await client.post('/setup/plex-signin', { _csrf: csrf }, HX);
    await control('approve', codeOf(started.text));
    await client.get('/setup/plex-signin', HX);
    expect((await client.post('/setup/plex-signin/choose', { _csrf: csrf, connection: '0-0' })).status).toBe(302);
    expect((await rows()).DRY_RUN).toBe('false');
  });

  it('works without JavaScript: each step answers the whole Setup page', async () => {
    web = await startWeb({ PLEX_TV_URL: sim.url });
    const client = new Client(web.url);
    const csrf = await client.signIn();
    const started = await client.post('/setup/plex-signin', { _csrf: csrf });
    expect(started.status).toBe(200);
    expect(started.text).toContain('<h1>Setup</h1>');
    await control('approve', codeOf(started.text));
    const listed = await client.get('/setup/plex-signin');
    expect(listed.text).toContain('<h1>Setup</h1>');
    expect(listed.text).toContain('name="connection" value="0-0"');
  });

  it('offers to start again when the code expired before approval', async () => {
    web = await startWeb({ PLEX_TV_URL: sim.url });
    const client = new Client(web.url);
    const csrf = await client.signIn();
    const started = await client.post('/setup/plex-signin', { _csrf: csrf }, HX);
    await control('expire', codeOf(started.text));
    const expired = await client.get('/setup/plex-signin', HX);
    expect(expired.text).toContain('The sign-in code expired before it was approved');
    expect(expired.text).toContain('Sign in with Plex again');
    expect(expired.text).not.toContain('hx-get="/setup/plex-signin"');
  });

  it('says plex.tv cannot be reached', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    web = await startWeb({ PLEX_TV_URL: `http://127.0.0.1:${port}` });
    const client = new Client(web.url);
    const csrf = await client.signIn();
    const failed = await client.post('/setup/plex-signin', { _csrf: csrf }, HX);
    expect(failed.text).toContain(`Sagewire cannot reach plex.tv at http://127.0.0.1:${port} (connection refused)`);
    expect(failed.text).toContain('Sign in with Plex again');
  });

  it.each([
    ['a malformed choice', 'abc', 'Choose one of the connections listed.'],
    ['a choice not listed', '7-3', 'That connection is not one of those listed'],
  ])('refuses %s and saves nothing', async (_name, connection, message) => {
    web = await startWeb({ PLEX_TV_URL: sim.url });
    const client = new Client(web.url);
    const csrf = await client.signIn();
    const started = await client.post('/setup/plex-signin', { _csrf: csrf }, HX);
    await control('approve', codeOf(started.text));
    await client.get('/setup/plex-signin', HX);
    const before = await rows();
    const refused = await client.post('/setup/plex-signin/choose', { _csrf: csrf, connection });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(message);
    expect(await rows()).toEqual(before);
  });

  it('is not offered, and refused, when the environment sets PLEX_URL and PLEX_TOKEN', async () => {
    web = await startWeb({ PLEX_TV_URL: sim.url, PLEX_URL: sim.url, PLEX_TOKEN: sim.token });
    const client = new Client(web.url);
    const csrf = await client.signIn();
    const setup = await client.get('/setup');
    expect(setup.text).toContain('<code>PLEX_URL</code> and <code>PLEX_TOKEN</code> come from the environment');
    expect(setup.text).not.toContain('Sign in with Plex</button>');
    const refused = await client.post('/setup/plex-signin', { _csrf: csrf }, HX);
    expect(refused.status).toBe(409);
    const chosen = await client.post('/setup/plex-signin/choose', { _csrf: csrf, connection: '0-0' });
    expect(chosen.status).toBe(409);
    expect(await rows()).not.toHaveProperty('PLEX_CLIENT_IDENTIFIER');
  });

  it('needs the CSRF token to start', async () => {
    web = await startWeb({ PLEX_TV_URL: sim.url });
    const client = new Client(web.url);
    await client.signIn();
    const refused = await client.post('/setup/plex-signin', {}, HX);
    expect(refused.status).toBe(403);
  });
});
