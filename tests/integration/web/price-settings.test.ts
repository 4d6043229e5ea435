// The price table's route without a browser: prices fixed by the environment are shown, not edited, and a
// post cannot change them; the playlist form leaves the table alone unless a script still sends its old JSON
// field; the route wants the CSRF token and refuses an oversized body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness.js';
import { PASSWORD, startPlaylistApp, type PlaylistApp } from './playlist-support.js';

const ENV_PRICES = '{"openai":{"env-model":{"input":1.5,"output":6}}}';

describe('prices fixed by LLM_PRICES', () => {
  let h: PlaylistApp;
  let client: Client;
  let csrf: string;
  beforeAll(async () => {
    h = await startPlaylistApp({ tracks: 60, env: { LLM_PRICES: ENV_PRICES } });
    client = new Client(h.url);
    csrf = await client.signIn(PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('are shown disabled with the environment note, without a blank row or a Save button', async () => {
    const page = (await client.get('/settings')).text;
    expect(page).toMatch(/id="price_model_0" name="price_model_0" value="env-model"[^>]* disabled/);
    expect(page).toContain('id="llm_prices-env"');
    expect(page).not.toContain('data-price-blank');
    expect(page).not.toContain('Save prices');
  });

  it('refuse a post and keep the environment’s table', async () => {
    const res = await client.post(
      '/settings/prices',
      { _csrf: csrf, price_provider_0: 'openai', price_model_0: 'other', price_input_0: '1', price_output_0: '1' },
      { 'HX-Request': 'true' },
    );
    expect(res.text).toContain('set by LLM_PRICES in the environment; change it there');
    expect(res.text).toContain('value="env-model"');
    expect(res.text).not.toContain('value="other"');
  });
});

describe('prices saved on the Settings page', () => {
  let h: PlaylistApp;
  let client: Client;
  let csrf: string;
  beforeAll(async () => {
    h = await startPlaylistApp({ tracks: 60 });
    client = new Client(h.url);
    csrf = await client.signIn(PASSWORD);
  });
  afterAll(async () => {
    await h?.close();
  });

  const modelsShown = async () =>
    [...(await client.get('/settings')).text.matchAll(/name="price_model_\d+" value="([^"]+)"/g)].map((m) => m[1]);
  const playlistForm = { llm_provider: 'offline' };

  it('are kept when the playlist form is saved, and replaced by the JSON a script still sends there', async () => {
    const saved = await client.post('/settings/prices', {
      _csrf: csrf,
      price_provider_0: 'gemini',
      price_model_0: 'gemini-x',
      price_input_0: '0.1',
      price_output_0: '0.4',
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.get('location')).toBe('/settings#prices');
    expect(await modelsShown()).toEqual(['gemini-x']);

    const playlists = await client.post('/settings/playlists', { ...playlistForm, _csrf: csrf }, { 'HX-Request': 'true' });
    expect(playlists.text).toContain('Playlist settings saved');
    expect(await modelsShown()).toEqual(['gemini-x']);

    const legacy = '{"anthropic":{"claude-y":{"input":2,"output":8}}}';
    const old = await client.post('/settings/playlists', { ...playlistForm, _csrf: csrf, llm_prices: legacy }, { 'HX-Request': 'true' });
    expect(old.text).toContain('Playlist settings saved');
    expect(await modelsShown()).toEqual(['claude-y']);
  });

  it('need the CSRF token, and a body of bounded size', async () => {
    const forged = await client.post('/settings/prices', {
      _csrf: 'forged',
      price_provider_0: 'openai',
      price_model_0: 'z',
      price_input_0: '1',
      price_output_0: '1',
    });
    expect(forged.status).toBe(403);
    const huge = await client.post('/settings/prices', { _csrf: csrf, price_model_0: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    expect(await modelsShown()).toEqual(['claude-y']);
  });
});
