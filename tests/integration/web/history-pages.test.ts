// History through the real composition root and the simulator (offline provider): playlist generations and
// album recommendations side by side (and each alone), a recommendation's own page, the cost per month, the
// listening filters in words on History and the review page, and a schedule made from a history row: its
// filters pinned (shown on the schedules page and in the API), its runs marked in History with a link to it,
// "re-read the prompt" clearing the pin, and bad input answered without changing anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness.js';
import { API_TOKEN, PASSWORD, startPlaylistApp, type PlaylistApp } from './playlist-support.js';

let h: PlaylistApp;
let client: Client;
let csrf: string;

beforeAll(async () => {
  h = await startPlaylistApp({ tracks: 400 });
  client = new Client(h.url);
  csrf = await client.signIn(PASSWORD);
});
afterAll(async () => {
  await h?.close();
});

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${h.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${API_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};

/** The text of the History item for this generation or recommendation. */
const itemOf = (html: string, attr: 'data-generation' | 'data-recommendation', id: number) => {
  const start = html.indexOf(`${attr}="${id}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</li>', start));
};

describe('History', () => {
  let generationId = 0;
  let listeningId = 0;
  let recommendation: { id: number; primary: { title: string; artist: string }; alternatives: { title: string }[] };

  beforeAll(async () => {
    generationId = (await api('POST', '/playlists/generate', { prompt: 'late night jazz', count: 10, provider: 'offline' })).body.id;
    const listening = await api('POST', '/playlists/generate', {
      prompt: 'old favourites',
      count: 10,
      provider: 'offline',
      filters: { minPlays: 5, notPlayedMonths: 12, maxSkipRatio: 0.2 },
    });
    expect(listening.status, JSON.stringify(listening.body)).toBe(200);
    listeningId = listening.body.id;
    const rec = await api('POST', '/recommendations/albums', {
      prompt: 'something warm for a rainy Sunday',
      mode: 'library',
      familiarity: 'comfort',
      provider: 'offline',
      skipQuestions: true,
      filters: { neverPlayed: true },
    });
    expect(rec.status).toBe(200);
    recommendation = rec.body;
  });

  it('lists playlist generations and album recommendations together, newest first', async () => {
    const page = await client.get('/playlists/history');
    expect(page.status).toBe(200);
    const rec = itemOf(page.text, 'data-recommendation', recommendation.id);
    expect(rec).toContain(`${recommendation.primary.title} — ${recommendation.primary.artist}`);
    expect(rec).toContain('something warm for a rainy Sunday');
    expect(rec).toContain('From the library');
    expect(rec).toContain('Comfort');
    for (const alt of recommendation.alternatives) expect(rec).toContain(alt.title);
    expect(rec).toContain('Filters: never played');
    expect(rec).toMatch(/\d+ calls? · [\d,]+ in \/ [\d,]+ out tokens · free/);
    expect(rec).toContain(`href="/playlists/history/albums/${recommendation.id}"`);
    // The recommendation came last, so it is listed first.
    expect(page.text.indexOf(`data-recommendation="${recommendation.id}"`)).toBeLessThan(
      page.text.indexOf(`data-generation="${generationId}"`),
    );
    expect(itemOf(page.text, 'data-generation', generationId)).toContain('late night jazz');
  });

  it('shows playlists or albums alone', async () => {
    const albums = await client.get('/playlists/history?show=albums');
    expect(albums.text).toContain(`data-recommendation="${recommendation.id}"`);
    expect(albums.text).not.toContain('data-generation=');
    expect(albums.text).toMatch(/href="\/playlists\/history\?show=albums" aria-current="page"/);
    const playlists = await client.get('/playlists/history?show=playlists');
    expect(playlists.text).toContain(`data-generation="${generationId}"`);
    expect(playlists.text).not.toContain('data-recommendation=');
    // A value it does not know is the whole history (links stay forgiving).
    const odd = await client.get('/playlists/history?show=%3Cscript%3E');
    expect(odd.status).toBe(200);
    expect(odd.text).toContain('data-recommendation=');
    expect(odd.text).toContain('data-generation=');
    expect(odd.text).not.toContain('<script>');
  });

  it('totals the cost per month over both', async () => {
    const page = await client.get('/playlists/history');
    const month = new Date().toISOString().slice(0, 7);
    const row = new RegExp(`<tr data-month="${month}">.*?</tr>`).exec(page.text)?.[0] ?? '';
    const [playlists, albums] = [...row.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    const counted = async (table: 'playlist_generations' | 'album_recommendations') =>
      Number(
        (
          await h.app.database.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(playlists).toBe(await counted('playlist_generations'));
    expect(albums).toBe(await counted('album_recommendations'));
    expect(row).toContain('free');
  });

  it('opens a recommendation with its albums, request, calls and cost', async () => {
    const page = await client.get(`/playlists/history/albums/${recommendation.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<h1>${recommendation.primary.title}</h1>`);
    for (const alt of recommendation.alternatives) expect(page.text).toContain(alt.title);
    expect(page.text).toContain('Filters: never played');
    expect(page.text).toContain('Tokens and cost');
    expect(page.text).toContain('data-total-cost>free<');
    for (const bad of ['999999', 'abc', '0', '1.5']) expect((await client.get(`/playlists/history/albums/${bad}`)).status, bad).toBe(404);
  });

  it('says the listening filters in words on History and the review page', async () => {
    const words = 'played at least 5 times · not played for 12 months · skipped at most 20 %';
    expect(itemOf((await client.get('/playlists/history')).text, 'data-generation', listeningId)).toContain(words);
    expect((await client.get(`/playlists/history/${listeningId}`)).text).toContain(words);
  });
});

describe('a schedule made from History', () => {
  it('pins the row’s filters, shows them, marks its runs, and re-reads the prompt on request', async () => {
    const generated = await api('POST', '/playlists/generate', { prompt: 'energetic rock', count: 10, provider: 'offline' });
    const row = await h.app.database.db
      .selectFrom('playlist_generations')
      .select('filters')
      .where('id', '=', generated.body.id)
      .executeTakeFirstOrThrow();
    const made = await client.post('/playlists/schedules', {
      _csrf: csrf,
      generation: String(generated.body.id),
      name: 'Gym',
      preset: '0 7 * * 1',
    });
    expect(made.status).toBe(302);
    const listed = (await api('GET', '/playlists/schedules')).body.schedules.find((s: { name: string }) => s.name === 'Gym');
    expect(listed.filtersPinned).toBe(true);
    expect(listed.filters).toEqual(JSON.parse(row.filters));
    expect(listed.request.filters).toBeUndefined();

    const page = await client.get('/playlists/schedules');
    const card = page.text.slice(page.text.indexOf(`id="schedule-${listed.id}"`));
    expect(card).toMatch(/Runs with filters: <strong>[^<]+<\/strong>/);
    expect(card).toContain('read from the prompt once and kept');
    expect(card).toContain(`action="/playlists/schedules/${listed.id}/reread"`);

    const run = await api('POST', `/playlists/schedules/${listed.id}/run`);
    expect(run.status).toBe(200);
    // The run applied the pinned filters as they were.
    const runRow = await h.app.database.db
      .selectFrom('playlist_generations')
      .select('filters')
      .where('id', '=', run.body.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(runRow.filters)).toEqual(JSON.parse(row.filters));
    const history = await client.get('/playlists/history');
    const item = itemOf(history.text, 'data-generation', run.body.id);
    expect(item).toContain(`data-scheduled="${listed.id}"`);
    expect(item).toContain(`<a href="/playlists/schedules#schedule-${listed.id}" data-schedule-link>Gym</a>`);
    const review = await client.get(`/playlists/history/${run.body.id}`);
    expect(review.text).toContain(`href="/playlists/schedules#schedule-${listed.id}">Gym</a>`);

    const reread = await client.post(`/playlists/schedules/${listed.id}/reread`, { _csrf: csrf });
    expect(reread.status).toBe(302);
    const after = (await api('GET', '/playlists/schedules')).body.schedules.find((s: { id: number }) => s.id === listed.id);
    expect(after.filtersPinned).toBe(false);
    expect(after.filters).toBeNull();
    expect((await client.get('/playlists/schedules')).text).toContain('the next run analyses the prompt');
    // The next run pins again.
    await api('POST', `/playlists/schedules/${listed.id}/run`);
    expect((await api('GET', '/playlists/schedules')).body.schedules.find((s: { id: number }) => s.id === listed.id).filtersPinned).toBe(
      true,
    );
  });

  it('re-reads through the API, and refuses bad requests naming the field without changing anything', async () => {
    const created = await api('POST', '/playlists/schedules', { prompt: 'calm piano', count: 10, provider: 'offline', cron: '0 6 * * *' });
    const id = created.body.id;
    await api('POST', `/playlists/schedules/${id}/run`);
    expect((await api('GET', '/playlists/schedules')).body.schedules.find((s: { id: number }) => s.id === id).filtersPinned).toBe(true);
    for (const body of [{}, { rereadPrompt: false }, { rereadPrompt: 'yes' }, { filters: null }]) {
      const bad = await api('PATCH', `/playlists/schedules/${id}`, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.field).toMatch(/paused|rereadPrompt|filters/);
    }
    expect((await api('GET', '/playlists/schedules')).body.schedules.find((s: { id: number }) => s.id === id).filtersPinned).toBe(true);
    expect((await api('PATCH', '/playlists/schedules/999999', { rereadPrompt: true })).status).toBe(404);
    const ok = await api('PATCH', `/playlists/schedules/${id}`, { rereadPrompt: true });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ filtersPinned: false, filters: null, paused: false });
    expect((await client.post('/playlists/schedules/999999/reread', { _csrf: csrf })).status).toBe(404);
  });
});
