// Provider keys only ever go to the base URL they are bound to: the environment's key to the environment's
// (or the provider's own) URL, a key saved on the Settings page to the URL saved with it. A capture server
// stands for any other URL: it must never receive a key (Authorization, x-api-key, x-goog-api-key), and
// what it answers must never come back in an error. Driven through the real SDKs, the real Settings form
// and the real JSON API.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { createProvider, ProviderConfigError, ProviderError, type ProviderName } from '../../../src/playlists/index.js';
import { FOREIGN_MARKER, startCaptureServer, type CaptureServer } from '../../support/capture-server.js';
import { API_TOKEN, startPlaylistApp, type PlaylistApp } from '../web/playlist-support.js';
import { Client } from '../web/harness.js';

const PROVIDERS = [
  { name: 'openai', key: 'OPENAI_API_KEY', url: 'OPENAI_BASE_URL', model: undefined },
  { name: 'anthropic', key: 'ANTHROPIC_API_KEY', url: 'ANTHROPIC_BASE_URL', model: undefined },
  { name: 'gemini', key: 'GEMINI_API_KEY', url: 'GEMINI_BASE_URL', model: undefined },
  { name: 'openai-compatible', key: 'OPENAI_COMPATIBLE_API_KEY', url: 'OPENAI_COMPATIBLE_BASE_URL', model: 'local-model' },
] as const;

const secretOf = (name: string) => `key-${name}-must-stay-home`;

let capture: CaptureServer;
beforeEach(async () => {
  capture = await startCaptureServer();
});
afterEach(() => capture.close());

/** No key of any provider in any header or URL the capture server saw. */
const noKeyArrived = () => {
  const all = capture.everything();
  for (const p of PROVIDERS) expect(all).not.toContain(secretOf(p.name));
  for (const r of capture.seen) {
    expect(r.headers.authorization ?? '').not.toMatch(/must-stay-home/);
    expect(r.headers['x-api-key']).toBeUndefined();
    expect(r.headers['x-goog-api-key']).toBeUndefined();
  }
};

const analyse = async (name: ProviderName, llm: ReturnType<typeof loadConfig>['llm']) =>
  createProvider(name, { ...llm, provider: name, modelGeneration: 'm', modelAnalysis: 'm' }, { maxRetries: 0, timeoutMs: 5000 }).analyse({
    request: 'x',
    vocabulary: { genres: [], styles: [], moods: [], decades: [] },
    artistNames: [],
    model: 'm',
  });

describe('the configuration', () => {
  it.each(PROVIDERS)('$name: a key from the environment is not sent to a base URL saved in Settings', async ({ name, key, url }) => {
    // The compatible server has no default: its environment key is bound to the first URL saved with it.
    const saved: Record<string, string> = { [url]: capture.url };
    if (name === 'openai-compatible') saved.OPENAI_COMPATIBLE_API_KEY_BOUND_URL = 'http://127.0.0.1:11434/v1';
    const llm = loadConfig({ DATA_DIR: '/tmp/unused', [key]: secretOf(name) }, saved).llm;
    const err = await analyse(name, llm).catch((e: unknown) => e);
    expect(capture.seen).toHaveLength(0);
    expect(err).toBeInstanceOf(ProviderConfigError);
    expect((err as Error).message).toMatch(/no key for this base URL/);
    expect(llm.withheldKeys[name]).toContain(`${key} from the environment is only sent to`);
  });

  it.each(PROVIDERS)('$name: a saved key is not sent to a base URL it was not saved with', async ({ name, key, url }) => {
    const llm = loadConfig(
      { DATA_DIR: '/tmp/unused' },
      { [key]: secretOf(name), [url]: capture.url, [`${key}_BOUND_URL`]: 'https://proxy.example/v1' },
    ).llm;
    const err = await analyse(name, llm).catch((e: unknown) => e);
    expect(capture.seen).toHaveLength(0);
    expect(err).toBeInstanceOf(ProviderConfigError);
    expect(llm.withheldKeys[name]).toContain('was saved for https://proxy.example/v1');
  });

  it.each(PROVIDERS)(
    '$name: where the key may go, an error says the status and a fixed reason, never the body',
    async ({ name, key, url }) => {
      capture.answer((_req, res) =>
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: FOREIGN_MARKER, type: 'invalid_request_error' } })),
      );
      const llm = loadConfig({ DATA_DIR: '/tmp/unused', [key]: secretOf(name), [url]: capture.url }).llm;
      expect(llm.withheldKeys?.[name]).toBeUndefined();
      const err = (await analyse(name, llm).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(ProviderError);
      expect(err.message).toContain('400');
      expect(err.message).not.toContain('FOREIGN-BODY');
      // The control: this URL is the key's own, so it did arrive (the capture server does see keys).
      expect(capture.everything()).toContain(secretOf(name));
    },
  );

  it.each(PROVIDERS)('$name: a redirect is not followed, so the key does not reach where it points', async ({ name, key, url }) => {
    const elsewhere = await startCaptureServer();
    try {
      capture.answer((req, res) => res.writeHead(307, { location: `${elsewhere.url}${req.url}` }).end());
      const llm = loadConfig({ DATA_DIR: '/tmp/unused', [key]: secretOf(name), [url]: capture.url }).llm;
      const err = (await analyse(name, llm).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(ProviderError);
      expect(elsewhere.seen).toHaveLength(0);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('the Settings page and the API', () => {
  let app: PlaylistApp;
  let client: Client;
  let csrf: string;
  const env = Object.fromEntries(PROVIDERS.map((p) => [p.key, secretOf(p.name)]));

  beforeAll(async () => {
    app = await startPlaylistApp({ tracks: 200, env });
    client = new Client(app.url);
    csrf = await client.signIn('playlist-admin-password');
  });
  afterAll(() => app.close());

  const rows = async () =>
    Object.fromEntries((await app.app.database.db.selectFrom('settings').select(['key', 'value']).execute()).map((r) => [r.key, r.value]));
  const generate = (provider: string, model?: string) =>
    fetch(`${app.url}/api/playlists/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'rainy day', count: 10, provider, ...(model ? { model } : {}) }),
    });
  const form = (urls: Record<string, string>, extra: Record<string, string> = {}) => ({
    _csrf: csrf,
    llm_provider: 'offline',
    ...Object.fromEntries(PROVIDERS.map((p) => [p.url.toLowerCase(), urls[p.url] ?? ''])),
    ...extra,
  });

  it('an environment key with a base URL saved elsewhere is shown as not used and never sent', async () => {
    // The local server's environment key is bound by the first URL saved with it.
    const first = await client.post('/settings/playlists', form({ OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1' }), {
      'HX-Request': 'true',
    });
    expect(first.text).toContain('Playlist settings saved');
    const all = Object.fromEntries(PROVIDERS.map((p) => [p.url, capture.url]));
    const res = await client.post('/settings/playlists', form(all), { 'HX-Request': 'true' });
    expect(res.text).toContain('Playlist settings saved');
    const answers = [];
    for (const p of PROVIDERS) {
      const answer = await generate(p.name, p.model);
      answers.push({ status: answer.status, body: await answer.text() });
    }
    noKeyArrived();
    expect(capture.seen).toHaveLength(0);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('no key for this base URL');
    }
    expect(res.text.match(/data-key-state="withheld"/g)).toHaveLength(4);
    expect(res.text).toContain('OPENAI_API_KEY from the environment is only sent to https://api.openai.com/v1');
    // Back to the provider's own URL: the environment key is in use again.
    await client.post('/settings/playlists', form({ OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:9/v1' }), { 'HX-Request': 'true' });
    expect((await client.get('/settings')).text.match(/data-key-state="withheld"/g)).toBeNull();
  });

  it('an environment key without a URL of its own stays bound to the first URL saved with it', async () => {
    const before = await rows();
    const res = await client.post('/settings/playlists', form({ OPENAI_COMPATIBLE_BASE_URL: capture.url }), { 'HX-Request': 'true' });
    // The compatible key is the environment's: a new URL is saved, and the key is not used there.
    expect(res.text).toContain('Playlist settings saved');
    expect(res.text).toContain('data-key-state="withheld"');
    expect(before.OPENAI_COMPATIBLE_API_KEY_BOUND_URL).toBe('http://127.0.0.1:9/v1');
    expect((await rows()).OPENAI_COMPATIBLE_API_KEY_BOUND_URL).toBe('http://127.0.0.1:9/v1');
    expect(capture.seen).toHaveLength(0);
  });
});

describe('a key saved on the Settings page', () => {
  let app: PlaylistApp;
  let client: Client;
  let csrf: string;

  beforeAll(async () => {
    app = await startPlaylistApp({ tracks: 200 });
    client = new Client(app.url);
    csrf = await client.signIn('playlist-admin-password');
  });
  afterAll(() => app.close());

  const rows = async () =>
    Object.fromEntries((await app.app.database.db.selectFrom('settings').select(['key', 'value']).execute()).map((r) => [r.key, r.value]));

  it('is bound to the URL saved with it; a new URL without the key is refused and nothing is saved; typed again, it goes there', async () => {
    const saved = await client.post(
      '/settings/playlists',
      { _csrf: csrf, llm_provider: 'offline', openai_api_key: secretOf('openai') },
      { 'HX-Request': 'true' },
    );
    expect(saved.text).toContain('Playlist settings saved');
    expect(await rows()).toMatchObject({ OPENAI_API_KEY: secretOf('openai'), OPENAI_API_KEY_BOUND_URL: 'https://api.openai.com/v1' });
    const before = await rows();

    const moved = await client.post(
      '/settings/playlists',
      { _csrf: csrf, llm_provider: 'offline', openai_base_url: capture.url },
      { 'HX-Request': 'true' },
    );
    expect(moved.text).toContain('Nothing was saved');
    expect(moved.text).toContain('changing the base URL needs OPENAI_API_KEY entered again');
    expect(await rows()).toEqual(before);

    const refused = await client.post(
      '/settings/playlists',
      { _csrf: csrf, llm_provider: 'offline', openai_base_url: 'file:///etc/passwd', openai_api_key: 'k' },
      { 'HX-Request': 'true' },
    );
    expect(refused.text).toContain('must start with http:// or https://');
    expect(await rows()).toEqual(before);

    const typed = await client.post(
      '/settings/playlists',
      { _csrf: csrf, llm_provider: 'offline', openai_base_url: capture.url, openai_api_key: 'typed-with-the-new-url' },
      { 'HX-Request': 'true' },
    );
    expect(typed.text).toContain('Playlist settings saved');
    expect(await rows()).toMatchObject({ OPENAI_BASE_URL: capture.url, OPENAI_API_KEY_BOUND_URL: capture.url });

    capture.answer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end(`<p>${FOREIGN_MARKER}</p>`));
    const answer = await fetch(`${app.url}/api/playlists/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'rainy day', count: 10, provider: 'openai' }),
    });
    const body = await answer.text();
    expect(body).not.toContain('FOREIGN-BODY');
    expect(capture.seen.length).toBeGreaterThan(0);
    expect(capture.seen.every((r) => r.headers.authorization === 'Bearer typed-with-the-new-url')).toBe(true);
    noKeyArrived();
  });
});
