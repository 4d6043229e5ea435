// The Plex token only ever goes to the URL it was saved with. Driven through the real Setup page over HTTP
// with the real Plex checker, the simulator as "our" Plex and a capture server as any other URL: the
// capture server must never receive the saved token, and its answers must never come back into a page.
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, requirePlex } from '../../../src/config.js';
import { putSetting, readSavedSettings } from '../../../src/db/settings-repo.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { FOREIGN_MARKER, foreignPage, startCaptureServer, type CaptureServer } from '../../support/capture-server.js';
import { Client, startWeb, type WebHarness } from './harness.js';

const BEHAVIOUR = {
  webhooks: 'on',
  reconcile_minutes: '10',
  inferred_tag_enabled: 'true',
  inferred_tag: 'Rating_Inferred',
  dry_run: 'true',
  plex_library: 'Music',
};

const rows = async (web: WebHarness) =>
  Object.fromEntries((await web.database.db.selectFrom('settings').select(['key', 'value']).execute()).map((r) => [r.key, r.value]));

let sim: RunningSimulator;
let capture: CaptureServer;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, tracks: 50, seed: 3, log: { warn() {}, error() {} } as never });
});
afterAll(() => sim.close());
beforeEach(async () => {
  capture = await startCaptureServer();
});
afterEach(() => capture.close());

const neverGotToken = (token: string) => {
  expect(capture.everything()).not.toContain(token);
  for (const r of capture.seen) {
    expect(r.headers['x-plex-token']).not.toBe(token);
    expect(r.url).not.toMatch(/x-plex-token/i);
  }
};

describe('a token saved on the Setup page', () => {
  let web: WebHarness;
  let client: Client;
  let csrf: string;

  beforeEach(async () => {
    web = await startWeb();
    client = new Client(web.url);
    csrf = await client.signIn();
    const saved = await client.post('/setup', { _csrf: csrf, plex_url: sim.url, plex_token: sim.token, ...BEHAVIOUR });
    expect(saved.status).toBe(302);
  });
  afterEach(() => web.close());

  it('is recorded with the URL it was saved for', async () => {
    expect(await rows(web)).toMatchObject({ PLEX_URL: sim.url, PLEX_TOKEN: sim.token, PLEX_TOKEN_BOUND_URL: sim.url });
  });

  it('is not sent by "Test connection" to a URL typed without a token, with or without JavaScript', async () => {
    const htmx = await client.post('/setup/test', { _csrf: csrf, plex_url: capture.url, plex_token: '' }, { 'hx-request': 'true' });
    const page = await client.post('/setup/test', { _csrf: csrf, plex_url: `${capture.url}/`, plex_token: '' });
    neverGotToken(sim.token);
    expect(capture.seen).toHaveLength(0);
    expect(htmx.text).toContain('only sent to the server it was saved for');
    expect(htmx.text).toContain('type its token in the token field too');
    expect(page.status).toBe(200);
    expect(page.text).toContain('only sent to the server it was saved for');
    // Its own URL still works with the empty field.
    const own = await client.post('/setup/test', { _csrf: csrf, plex_url: sim.url, plex_token: '' }, { 'hx-request': 'true' });
    expect(own.text).toContain('Connected to Plex');
    expect(own.text).not.toContain(sim.token);
  });

  it('sends a token typed in the same form to the typed URL, never the saved one', async () => {
    await client.post('/setup/test', { _csrf: csrf, plex_url: capture.url, plex_token: 'typed-for-capture' }, { 'hx-request': 'true' });
    expect(capture.seen.length).toBeGreaterThan(0);
    expect(capture.seen.every((r) => r.headers['x-plex-token'] === 'typed-for-capture')).toBe(true);
    neverGotToken(sim.token);
  });

  it('refuses to save a new URL without the token typed again, and saves nothing', async () => {
    const before = await rows(web);
    const res = await client.post('/setup', { _csrf: csrf, plex_url: capture.url, plex_token: '', ...BEHAVIOUR, dry_run: 'false' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('only sent to the server it was saved for');
    expect(await rows(web)).toEqual(before);
    // The pages that reach Plex keep using the URL the token was saved with.
    const libraries = await client.get('/setup/libraries', { 'hx-request': 'true' });
    expect(libraries.text).toContain('Music');
    expect(capture.seen).toHaveLength(0);
  });

  it('is replaced, with its binding, when a token is typed with the new URL', async () => {
    const res = await client.post('/setup', { _csrf: csrf, plex_url: capture.url, plex_token: 'token-for-capture', ...BEHAVIOUR });
    expect(res.status).toBe(302);
    expect(await rows(web)).toMatchObject({ PLEX_URL: capture.url, PLEX_TOKEN: 'token-for-capture', PLEX_TOKEN_BOUND_URL: capture.url });
    await client.get('/setup/libraries', { 'hx-request': 'true' });
    expect(capture.seen.length).toBeGreaterThan(0);
    neverGotToken(sim.token);
  });
});

describe('a saved token when the environment points PLEX_URL elsewhere', () => {
  it('is not used by any Plex path, and the page and the CLI say why', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sagewire-token-travel-'));
    try {
      const first = await startWeb({}, { dataDir });
      const firstClient = new Client(first.url);
      const csrf = await firstClient.signIn();
      expect((await firstClient.post('/setup', { _csrf: csrf, plex_url: sim.url, plex_token: sim.token, ...BEHAVIOUR })).status).toBe(302);
      await first.close();
      // Restarted with PLEX_URL from the environment: the saved token stays bound to sim.url.
      const web = await startWeb({ PLEX_URL: capture.url }, { dataDir });
      try {
        const client = new Client(web.url);
        await client.signIn();
        const setup = await client.get('/setup');
        expect(setup.text).toContain('The token is not being used');
        expect(setup.text).toContain(`was saved for ${sim.url}`);
        await client.get('/setup/libraries', { 'hx-request': 'true' });
        expect(capture.seen).toHaveLength(0);
        const config = loadConfig({ DATA_DIR: dataDir, PLEX_URL: capture.url }, readSavedSettings(web.config.dbPath));
        expect(config.plex.tokenWithheld).toContain(`saved for ${sim.url}`);
        expect(() => requirePlex(config)).toThrow(ConfigError);
      } finally {
        await web.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a token from the environment', () => {
  it('is bound to the first URL saved with it when PLEX_URL is not in the environment; another URL is refused', async () => {
    const web = await startWeb({ PLEX_TOKEN: 'env-token-never-elsewhere' });
    try {
      const client = new Client(web.url);
      const csrf = await client.signIn();
      expect((await client.post('/setup', { _csrf: csrf, plex_url: sim.url, ...BEHAVIOUR })).status).toBe(302);
      expect(await rows(web)).toMatchObject({ PLEX_URL: sim.url, PLEX_TOKEN_BOUND_URL: sim.url });
      const test = await client.post(
        '/setup/test',
        { _csrf: csrf, plex_url: capture.url, plex_token: 'ignored, the token is fixed' },
        { 'hx-request': 'true' },
      );
      expect(test.text).toContain('PLEX_TOKEN comes from the environment and is only sent to');
      const save = await client.post('/setup', { _csrf: csrf, plex_url: capture.url, ...BEHAVIOUR });
      expect(save.status).toBe(422);
      expect((await rows(web)).PLEX_URL).toBe(sim.url);
      expect(capture.seen).toHaveLength(0);
    } finally {
      await web.close();
    }
  });
});

describe('answers from the URL being tested', () => {
  let web: WebHarness;
  let client: Client;
  let csrf: string;
  beforeAll(async () => {
    web = await startWeb();
    client = new Client(web.url);
    csrf = await client.signIn();
  });
  afterAll(() => web.close());

  const json =
    (status: number, body: unknown, type = 'application/json') =>
    (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
    };
  const cases: { label: string; answer: (req: IncomingMessage, res: ServerResponse) => void; says: string }[] = [
    { label: '500 page', answer: foreignPage(500), says: '500' },
    { label: '400 page', answer: foreignPage(400), says: 'Bad Request' },
    { label: '403 page', answer: foreignPage(403), says: 'Forbidden' },
    { label: '200 HTML (not JSON)', answer: foreignPage(200), says: 'expected JSON, got text/html' },
    { label: 'content type carrying text', answer: json(200, { x: 1 }, `text/${FOREIGN_MARKER}`), says: 'unreadable answer' },
    { label: 'JSON without an identity', answer: json(200, { MediaContainer: { note: FOREIGN_MARKER } }), says: 'no machineIdentifier' },
    { label: 'JSON error body', answer: json(502, { error: FOREIGN_MARKER }), says: 'Bad Gateway' },
  ];

  it.each(cases)('$label: the page says the status and a fixed reason, never the body', async ({ answer, says }) => {
    capture.answer(answer);
    for (const headers of [{ 'hx-request': 'true' }, {}] as Record<string, string>[]) {
      const res = await client.post('/setup/test', { _csrf: csrf, plex_url: capture.url, plex_token: 'typed-token' }, headers);
      expect(res.text).toContain(says);
      expect(res.text).not.toContain('FOREIGN-BODY');
      expect(res.text).not.toContain('internal admin console');
    }
  });

  it('a redirect is reported, never followed: the token does not reach where it points', async () => {
    const elsewhere = await startCaptureServer();
    try {
      capture.answer((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/identity` }).end());
      const res = await client.post(
        '/setup/test',
        { _csrf: csrf, plex_url: capture.url, plex_token: 'typed-token' },
        { 'hx-request': 'true' },
      );
      expect(res.text).toContain('redirect, which Sagewire does not follow');
      expect(elsewhere.seen).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });

  it.each(['ftp://plex.local:32400', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://127.0.0.1:70'])(
    'only http and https: %s is refused with a clear error and nothing saved',
    async (url) => {
      const test = await client.post('/setup/test', { _csrf: csrf, plex_url: url, plex_token: 'typed-token' }, { 'hx-request': 'true' });
      expect(test.text).toContain('should start with http:// or https://');
      const save = await client.post('/setup', { _csrf: csrf, plex_url: url, plex_token: 'typed-token', ...BEHAVIOUR });
      expect(save.status).toBe(422);
      expect(save.text).toContain('starting with http:// or https://');
      expect((await rows(web)).PLEX_URL).toBeUndefined();
    },
  );
});

describe('a binding recorded in the database', () => {
  it('is what the configuration checks, whatever the saved URL says', async () => {
    const web = await startWeb();
    try {
      await putSetting(web.database.db, 'PLEX_URL', capture.url);
      await putSetting(web.database.db, 'PLEX_TOKEN', 'saved-token');
      await putSetting(web.database.db, 'PLEX_TOKEN_BOUND_URL', sim.url);
      const client = new Client(web.url);
      await client.signIn();
      await client.get('/setup/libraries', { 'hx-request': 'true' });
      expect((await client.get('/setup')).text).toContain('The token is not being used');
      expect(capture.seen).toHaveLength(0);
    } finally {
      await web.close();
    }
  });
});
