// The schedules' JSON API on the real composition root (buildApp) over the Plex simulator, offline
// provider: create → run now (the Plex playlist is created) → run again (the same playlist replaced,
// the previous run's tracks avoided while the pool allows, reused with a warning when it does not),
// pause and resume, delete, a real every-second cron tick, 409 while a run goes, and every bad request a
// 400 naming its field (404 for unknown ids).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../support/wait.js';
import { API_TOKEN, startPlaylistApp, type PlaylistApp } from '../web/playlist-support.js';

let h: PlaylistApp;

beforeAll(async () => {
  h = await startPlaylistApp({ tracks: 400 });
});
afterAll(async () => {
  await h?.close();
});

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${h.url}/api/playlists/schedules${path}`, {
    method,
    headers: { authorization: `Bearer ${API_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

interface ApiSchedule {
  id: number;
  paused: boolean;
  running: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastHistoryId: number | null;
  target: { ratingKey: string; title: string } | null;
  skippedRuns: number;
}
const list = async (): Promise<ApiSchedule[]> => (await (await call('GET', '')).json()).schedules;
const one = async (id: number) => (await list()).find((s) => s.id === id);
const playlistItems = (key: string) => h.sim.state.library.playlists.find((p) => p.ratingKey === key)?.items.map((i) => i.ratingKey);
const generation = (id: number) =>
  h.app.database.db.selectFrom('playlist_generations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** An artist with `min`..`max` tracks in the cache: a pool too small to avoid a previous run of `min`. */
async function artistWith(min: number, max: number): Promise<string> {
  const rows = await h.app.database.db
    .selectFrom('tracks')
    .select(['artist_title'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .groupBy('artist_title')
    .execute();
  const found = rows.find((r) => Number(r.n) >= min && Number(r.n) <= max);
  if (!found) throw new Error(`no artist with ${min}–${max} tracks in the simulated library`);
  return found.artist_title;
}

describe('schedules API', () => {
  it('creates, runs now into a new Plex playlist, then replaces it avoiding the previous tracks', async () => {
    const created = await call('POST', '', {
      prompt: 'anything goes',
      count: 10,
      provider: 'offline',
      filters: {},
      cron: '0 7 * * 1',
      name: 'Monday mix',
    });
    expect(created.status).toBe(201);
    const { id, nextRunAt } = await created.json();
    expect(new Date(nextRunAt).getTime()).toBeGreaterThan(Date.now());
    expect((await one(id))?.target).toBeNull();

    const first = await call('POST', `/${id}/run`);
    expect(first.status).toBe(200);
    const a = await first.json();
    expect(a.tracks).toHaveLength(10);
    expect(a.playlist.title).toBe('Monday mix');
    expect(playlistItems(a.playlist.ratingKey)).toEqual(a.tracks.map((t: { ratingKey: string }) => t.ratingKey));

    const second = await (await call('POST', `/${id}/run`)).json();
    expect(second.playlist.ratingKey).toBe(a.playlist.ratingKey);
    expect(h.sim.state.library.playlists.filter((p) => p.title === 'Monday mix')).toHaveLength(1);
    const keysA = new Set(a.tracks.map((t: { ratingKey: string }) => t.ratingKey));
    expect(second.tracks.filter((t: { ratingKey: string }) => keysA.has(t.ratingKey))).toEqual([]);
    expect(playlistItems(a.playlist.ratingKey)).toEqual(second.tracks.map((t: { ratingKey: string }) => t.ratingKey));

    const after = await one(id);
    expect(after).toMatchObject({
      lastStatus: 'done',
      lastHistoryId: second.id,
      target: { ratingKey: a.playlist.ratingKey, title: 'Monday mix' },
    });
    const row = await generation(second.id);
    expect(row).toMatchObject({
      schedule_id: id,
      schedule_trigger: 'manual',
      status: 'done',
      playlist_rating_key: a.playlist.ratingKey,
      saved_mode: 'replace',
    });
    // The history keeps the request as asked: no excluded keys, no schedule inside it.
    expect(JSON.parse(row.request)).not.toHaveProperty('excludeKeys');
  });

  it('reuses the previous tracks, with a warning, when the pool cannot avoid them', async () => {
    const artist = await artistWith(10, 15);
    const { id } = await (
      await call('POST', '', { prompt: 'one artist', count: 10, provider: 'offline', filters: { artists: [artist] }, cron: '0 6 * * *' })
    ).json();
    const a = await (await call('POST', `/${id}/run`)).json();
    const b = await (await call('POST', `/${id}/run`)).json();
    expect(b.tracks.length).toBeGreaterThan(0);
    expect(b.warnings.join(' ')).toContain("without the previous run's");
    const keysA = new Set(a.tracks.map((t: { ratingKey: string }) => t.ratingKey));
    expect(b.tracks.some((t: { ratingKey: string }) => keysA.has(t.ratingKey))).toBe(true);
  });

  it('a playlist deleted in Plex is created again and recorded', async () => {
    const { id } = await (
      await call('POST', '', { prompt: 'x', count: 10, provider: 'offline', filters: {}, cron: '0 6 * * *', name: 'Gone' })
    ).json();
    const a = await (await call('POST', `/${id}/run`)).json();
    const library = h.sim.state.library;
    library.playlists = library.playlists.filter((p) => p.ratingKey !== a.playlist.ratingKey);
    const b = await (await call('POST', `/${id}/run`)).json();
    expect(b.playlist.ratingKey).not.toBe(a.playlist.ratingKey);
    expect(playlistItems(b.playlist.ratingKey)).toHaveLength(10);
    expect((await one(id))?.target?.ratingKey).toBe(b.playlist.ratingKey);
  });

  it('pauses and resumes; deletes; unknown ids are 404', async () => {
    const { id } = await (await call('POST', '', { prompt: 'x', count: 10, provider: 'offline', cron: '0 7 1 * *' })).json();
    const paused = await call('PATCH', `/${id}`, { paused: true });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ paused: true, nextRunAt: null });
    const resumed = await (await call('PATCH', `/${id}`, { paused: false })).json();
    expect(resumed.paused).toBe(false);
    expect(new Date(resumed.nextRunAt).getUTCDate()).toBeLessThanOrEqual(2);
    expect((await call('DELETE', `/${id}`)).status).toBe(204);
    expect(await one(id)).toBeUndefined();
    expect((await call('DELETE', `/${id}`)).status).toBe(404);
    expect((await call('POST', `/${id}/run`)).status).toBe(404);
    expect((await call('PATCH', '/abc', { paused: true })).status).toBe(404);
  });

  it('fires on a real cron tick and records the run in history', async () => {
    const { id } = await (
      await call('POST', '', { prompt: 'tick', count: 10, provider: 'offline', filters: {}, cron: '* * * * * *' })
    ).json();
    const ran = await waitUntil(async () => {
      const s = await one(id);
      return s?.lastStatus === 'done' ? s : null;
    }, 'the every-second schedule to run');
    expect((await call('DELETE', `/${id}`)).status).toBe(204);
    const row = await generation(ran.lastHistoryId!);
    expect(row).toMatchObject({ schedule_id: id, schedule_trigger: 'tick', status: 'done' });
    expect(playlistItems(ran.target!.ratingKey)).toHaveLength(10);
  });

  it('answers 409 while a run of the schedule is going', async () => {
    const { id } = await (await call('POST', '', { prompt: 'x', count: 10, provider: 'offline', filters: {}, cron: '0 6 * * *' })).json();
    h.sim.config.latencyMs = 150;
    try {
      const first = call('POST', `/${id}/run`);
      await waitUntil(async () => (await one(id))?.running, 'the run to start');
      const second = await call('POST', `/${id}/run`);
      expect(second.status).toBe(409);
      expect((await first).status).toBe(200);
    } finally {
      h.sim.config.latencyMs = 0;
    }
  });

  it.each([
    [{ prompt: 'x', count: 10 }, 'cron'],
    [{ prompt: 'x', count: 10, cron: '61 * * * *' }, 'cron'],
    [{ prompt: 'x', count: 10, cron: 'every monday' }, 'cron'],
    [{ prompt: 'x', count: 10, cron: '0 7 * * 1', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ prompt: 'x', count: 10, cron: '0 7 * * 1', save: { mode: 'create' } }, 'save'],
    [{ count: 10, cron: '0 7 * * 1' }, 'prompt'],
    [{ prompt: 'x', count: 5, cron: '0 7 * * 1' }, 'count'],
    [{ prompt: 'x', count: 10, cron: '0 7 * * 1', colour: 'red' }, 'colour'],
    [{ prompt: 'x', count: 10, cron: '0 7 * * 1', name: '' }, 'name'],
  ])('%j → 400 naming %s, nothing created', async (body, field) => {
    const before = (await list()).length;
    const res = await call('POST', '', body);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.field).toBe(field);
    expect(answer.error).toContain(field);
    expect((await list()).length).toBe(before);
  });

  it('refuses bad bodies and bad pause requests; needs the token', async () => {
    expect((await call('POST', '', '{"cron": ')).status).toBe(400);
    expect((await call('POST', '', '[1]')).status).toBe(400);
    expect((await call('POST', '', { prompt: 'x'.repeat(70_000), cron: '0 7 * * 1' })).status).toBe(413);
    const { id } = await (await call('POST', '', { prompt: 'x', count: 10, cron: '0 7 * * 1' })).json();
    const bad = await call('PATCH', `/${id}`, { paused: 'yes' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).field).toBe('paused');
    expect((await fetch(`${h.url}/api/playlists/schedules`)).status).toBe(401);
  });
});
