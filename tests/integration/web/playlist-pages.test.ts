// The playlist pages, the art proxy and the API through the real composition root and the simulator:
// auth (401 without a token), 400 naming the field, the art proxy refusing anything but Plex artwork,
// suggest → preview → generate (background job) → review edits → save (create, replace, append) →
// history, and the playlist settings (keys never rendered back, a bad base URL named).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlexClient } from '../../../src/plex/index.js';
import { waitUntil } from '../../support/wait.js';
import { Client } from './harness.js';
import { API_TOKEN, PASSWORD, startPlaylistApp, type PlaylistApp } from './playlist-support.js';

let h: PlaylistApp;
let client: Client;
let csrf: string;
let plex: PlexClient;

beforeAll(async () => {
  h = await startPlaylistApp();
  client = new Client(h.url);
  csrf = await client.signIn(PASSWORD);
  plex = new PlexClient({ url: h.sim.url, token: h.sim.token });
});
afterAll(async () => {
  await h?.close();
});

const api = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${API_TOKEN}` }) =>
  fetch(`${h.url}/api/playlists/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function waitForJob(html: string): Promise<number> {
  const id = /hx-get="\/playlists\/jobs\/([\w-]+)"/.exec(html)?.[1];
  expect(id).toBeTruthy();
  const redirect = await waitUntil(async () => {
    const res = await client.get(`/playlists/jobs/${id}`, { 'HX-Request': 'true' });
    expect(res.text).not.toContain('data-job-state="failed"');
    return res.headers.get('hx-redirect');
  }, 'the generation to finish');
  return Number(/\/playlists\/history\/(\d+)/.exec(redirect)![1]);
}

describe('POST /api/playlists/generate in the app', () => {
  it('answers 401 without a token or with a wrong one', async () => {
    expect((await api({ prompt: 'x', count: 10 }, {})).status).toBe(401);
    expect((await api({ prompt: 'x', count: 10 }, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
  });

  it('answers 400 naming the field', async () => {
    const res = await api({ prompt: 'x', count: 5 });
    expect(res.status).toBe(400);
    expect((await res.json()).field).toBe('count');
  });

  it('generates offline and saves to Plex with the token', async () => {
    const res = await api({ prompt: 'energetic rock', count: 12, save: { mode: 'create', title: 'API mix' } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.tracks).toHaveLength(12);
    const saved = (await plex.playlists()).find((p) => p.ratingKey === body.playlist.ratingKey)!;
    expect(saved.title).toBe('API mix');
    expect((await plex.playlistItems(saved.ratingKey)).map((t) => t.ratingKey)).toEqual(
      body.tracks.map((t: { ratingKey: string }) => t.ratingKey),
    );
  });
});

describe('album art proxy', () => {
  it.each([
    '/etc/passwd',
    'http://example.com/x.jpg',
    '//example.com/x',
    '/library/metadata/1/thumb/../../../identity',
    '/library/metadata/abc/thumb',
    '/playlists',
    '/library/metadata/1/thumb?X-Plex-Token=x',
    '/photo/:/transcode?url=http://x',
  ])('refuses %s', async (path) => {
    const res = await client.get(`/playlists/art?path=${encodeURIComponent(path)}`);
    expect(res.status).toBe(400);
    expect(res.text).not.toContain(h.sim.token);
  });

  it('streams Plex artwork with caching headers and needs a session', async () => {
    const row = await h.app.database.db.selectFrom('albums').select('thumb').where('thumb', 'is not', null).executeTakeFirstOrThrow();
    const res = await fetch(`${h.url}/playlists/art?path=${encodeURIComponent(row.thumb!)}`, {
      headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toContain('max-age=86400');
    expect((await fetch(`${h.url}/playlists/art?path=${encodeURIComponent(row.thumb!)}`, { redirect: 'manual' })).status).toBe(302);
  });
});

describe('prompt flow', () => {
  it('suggests filters, counts, estimates, generates, edits, saves three ways and lists the history', async () => {
    const page = await client.get('/playlists');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Suggest filters');

    const suggested = await client.post(
      '/playlists/suggest',
      { _csrf: csrf, prompt: 'melancholy rock', provider: 'offline' },
      { 'HX-Request': 'true' },
    );
    expect(suggested.status).toBe(200);
    expect(suggested.text).toContain('id="filters-step"');
    expect(suggested.text).toMatch(/name="include_inferred" value="true" checked/);

    const form = {
      _csrf: csrf,
      prompt: 'melancholy rock',
      provider: 'offline',
      count: '10',
      max_tracks: '100',
      include_inferred: 'true',
      exclude_live: 'true',
    };
    const preview = await client.post('/playlists/preview', form, { 'HX-Request': 'true' });
    const matching = Number(/data-matching="(\d+)"/.exec(preview.text)![1]);
    expect(matching).toBeGreaterThanOrEqual(10);
    // Offline, no model is involved: the offline picker ranks the tracks.
    expect(preview.text).toMatch(/will be ranked by the offline picker\./);
    expect(preview.text).not.toContain('the model');
    const openai = await client.post('/playlists/preview', { ...form, provider: 'openai' }, { 'HX-Request': 'true' });
    expect(openai.text).toContain('gpt-5-mini');
    expect(openai.text).toContain('will be sent to the model.');
    expect(openai.text).toMatch(/data-cost>\$0\.\d+/);

    const bad = await client.post('/playlists/preview', { ...form, genres: 'Polka From Mars' }, { 'HX-Request': 'true' });
    expect(bad.text).toContain('Not in your library: Polka From Mars');
    expect((await client.post('/playlists/generate', { ...form, count: '500' }, { 'HX-Request': 'true' })).status).toBe(400);

    const started = await client.post('/playlists/generate', form, { 'HX-Request': 'true' });
    expect(started.status).toBe(202);
    expect(started.text).not.toContain('the model');
    const id = await waitForJob(started.text);
    const review = await client.get(`/playlists/history/${id}`);
    const keys = [...review.text.matchAll(/name="keys" value="(\d+)"/g)].map((m) => m[1]);
    expect(keys).toHaveLength(10);
    expect(review.text).toContain('/playlists/art?path=%2Flibrary%2Fmetadata%2F');
    expect(review.text).not.toContain(h.sim.token);

    const edit = (op: string, list = keys) =>
      client.post(`/playlists/history/${id}/edit`, { _csrf: csrf, keys: list, title: 'Rainy', op }, { 'HX-Request': 'true' });
    const moved = await edit(`down:${keys[0]}`);
    const order = [...moved.text.matchAll(/name="keys" value="(\d+)"/g)].map((m) => m[1]);
    expect(order.slice(0, 2)).toEqual([keys[1], keys[0]]);
    expect(moved.text).toContain(`value="down:${keys[0]}" class="icon-button" aria-label=`);
    expect(moved.text).toMatch(new RegExp(`value="down:${keys[0]}"[^>]*autofocus`));
    const removed = await edit(`remove:${keys[2]}`, order);
    const kept = [...removed.text.matchAll(/name="keys" value="(\d+)"/g)].map((m) => m[1]);
    expect(kept).toHaveLength(9);
    expect(kept).not.toContain(keys[2]);
    const foreign = await edit('', [...kept, '999999999']);
    expect([...foreign.text.matchAll(/name="keys" value="(\d+)"/g)]).toHaveLength(9);

    const save = (fields: Record<string, string | string[]>) =>
      client.post(`/playlists/history/${id}/save`, { _csrf: csrf, keys: kept, title: 'Rainy', ...fields }, { 'HX-Request': 'true' });
    const created = await save({ mode: 'create' });
    const plKey = /data-saved="(\d+)"/.exec(created.text)![1];
    expect(created.text).toContain(`<strong>Rainy</strong>: ${kept.length} tracks.</p>`);
    expect(created.text).toContain(`${h.sim.url}/web/index.html#!/server/`);
    expect(created.text).toContain(`playlist?key=%2Fplaylists%2F${plKey}`);
    expect((await plex.playlistItems(plKey)).map((t) => t.ratingKey)).toEqual(kept);

    const appended = await save({ mode: 'append', playlist: plKey, keys: [...kept.slice(0, 3), keys[2]] });
    expect(appended.text).toContain('3 already there and skipped');
    expect((await plex.playlistItems(plKey)).map((t) => t.ratingKey)).toEqual([...kept, keys[2]]);

    // Replacing asks first, naming the playlist and what it holds, and changes nothing until confirmed.
    const asked = await save({ mode: 'replace', playlist: plKey, keys: kept.slice(0, 4) });
    expect(asked.text).toContain(`data-confirm-replace="${plKey}"`);
    expect(asked.text).toContain(`Replace the ${kept.length + 1} tracks of <strong>Rainy</strong> with these 4?`);
    expect(asked.text).toContain('name="confirm_replace" value="1"');
    expect((await plex.playlistItems(plKey)).map((t) => t.ratingKey)).toEqual([...kept, keys[2]]);
    const replaced = await save({ mode: 'replace', playlist: plKey, keys: kept.slice(0, 4), confirm_replace: '1' });
    expect(replaced.text).toContain('Replaced the tracks of');
    expect(replaced.text).toContain('<strong>Rainy</strong>: 4 tracks.</p>');
    expect((await plex.playlistItems(plKey)).map((t) => t.ratingKey)).toEqual(kept.slice(0, 4));
    expect((await save({ mode: 'append' })).status).toBe(400);

    const history = await client.get('/playlists/history');
    expect(history.text).toContain(`href="/playlists/history/${id}"`);
    expect(history.text).toContain('saved (replace)');
    const again = await client.post(`/playlists/history/${id}/regenerate`, { _csrf: csrf }, { 'HX-Request': 'true' });
    expect(await waitForJob(again.text)).toBeGreaterThan(id);
  });

  it('refuses page actions without CSRF and sends a signed-out browser to the login', async () => {
    expect((await client.post('/playlists/generate', { prompt: 'x' })).status).toBe(403);
    const anonymous = new Client(h.url);
    expect((await anonymous.get('/playlists')).status).toBe(302);
  });
});

describe('seed flow', () => {
  it('finds a track despite a typo, describes it and generates from it', async () => {
    const track = await h.app.database.db
      .selectFrom('tracks')
      .select(['rating_key', 'title', 'artist_title'])
      .where('title', 'like', '_______%')
      .executeTakeFirstOrThrow();
    const typo = track.title.slice(0, 3) + track.title.slice(4);
    const found = await client.get(`/playlists/seed?q=${encodeURIComponent(`${typo} ${track.artist_title}`)}`, {
      'HX-Request': 'true',
      'HX-Target': 'seed-results',
    });
    expect(found.text).toContain(`/playlists/seed/${track.rating_key}`);
    const seed = await client.get(`/playlists/seed/${track.rating_key}`);
    expect(seed.status).toBe(200);
    const dims = [...seed.text.matchAll(/name="dim_(\d)" value="([^"]+)"/g)];
    expect(dims.length).toBeGreaterThanOrEqual(2);
    const form: Record<string, string | string[]> = {
      _csrf: csrf,
      seed: track.rating_key,
      provider: 'offline',
      count: '10',
      max_tracks: '100',
      include_inferred: 'true',
      exclude_live: 'true',
      keep: ['0'],
    };
    for (const m of seed.text.matchAll(/name="(dim_\d|desc_\d)" value="([^"]*)"/g))
      form[m[1]] = m[2].replaceAll('&amp;', '&').replaceAll('&#39;', "'").replaceAll('&quot;', '"');
    const started = await client.post('/playlists/generate', form, { 'HX-Request': 'true' });
    const id = await waitForJob(started.text);
    const review = await client.get(`/playlists/history/${id}`);
    expect([...review.text.matchAll(/name="keys" value="(\d+)"/g)]).toHaveLength(10);
    expect((await client.get('/playlists/seed/999999999')).status).toBe(404);
  });
});

describe('playlist settings', () => {
  it('saves a key without rendering it back, names a bad base URL, and applies per-provider models', async () => {
    const before = await client.get('/settings');
    expect(before.text).toContain('id="playlists"');
    expect(before.text).toContain('data-key-state="unset"');
    const fields = {
      _csrf: csrf,
      llm_provider: 'offline',
      openai_api_key: 'sk-secret-never-shown',
      llm_model_generation_openai: 'gpt-test-model',
    };
    const bad = await client.post('/settings/playlists', { ...fields, openai_base_url: 'not a url' }, { 'HX-Request': 'true' });
    expect(bad.text).toContain('OPENAI_BASE_URL');
    expect(bad.text).toContain('Nothing was saved');
    const spaced = await client.post('/settings/playlists', { ...fields, llm_model_analysis_openai: 'gpt 5' }, { 'HX-Request': 'true' });
    expect(spaced.text).toContain('LLM_MODEL_ANALYSIS_OPENAI');
    const ok = await client.post('/settings/playlists', fields, { 'HX-Request': 'true' });
    expect(ok.text).toContain('Playlist settings saved');
    expect(ok.text).not.toContain('sk-secret-never-shown');
    expect(ok.text).toContain('data-key-state="set"');
    const after = await client.get('/settings');
    expect(after.text).not.toContain('sk-secret-never-shown');
    const preview = await client.post(
      '/playlists/preview',
      { _csrf: csrf, prompt: 'x', provider: 'openai', count: '10', max_tracks: '50' },
      { 'HX-Request': 'true' },
    );
    expect(preview.text).toContain('gpt-test-model');
    expect(preview.text).toContain('unknown price');
  });
});
