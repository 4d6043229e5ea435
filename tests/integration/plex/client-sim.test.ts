// The Plex client against the simulator: reads, paging, edits, playlists, faults and clear errors.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  PlexAuthError,
  PlexClient,
  PlexHttpError,
  PlexNotFoundError,
  PlexTimeoutError,
  PlexUsageError,
  type PlexTrack,
} from '../../../src/plex/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';

let sim: RunningSimulator;
let plex: PlexClient;
const SECTION = 1;

async function simStats(): Promise<{ requests: Record<string, number>; editWithoutId: number }> {
  const res = await fetch(`${sim.url}/__sim/stats`, { headers: { 'X-Plex-Token': sim.token } });
  return (await res.json()) as { requests: Record<string, number>; editWithoutId: number };
}

async function allKeys(type: 8 | 9 | 10, pageSize: number, concurrency: number): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of plex.listItems(SECTION, type, { pageSize, concurrency })) keys.push(...page.items.map((i) => i.ratingKey));
  return keys;
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, tracks: 2000, seed: 1 });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.stats.reset();
  Object.assign(sim.config, { faultRate: 0, latencyMs: 0, faultMode: 'error', faultTimeoutMs: 30_000 });
  plex = new PlexClient({ url: sim.url, token: sim.token, retryBaseMs: 2, retryMaxMs: 20 });
});

describe('reads', () => {
  it('finds the server, its sections and the music section, and explains a wrong name', async () => {
    expect((await plex.identity()).machineIdentifier).toBe(sim.machineIdentifier);
    const music = await plex.musicSection('music');
    expect(music).toMatchObject({ key: '1', type: 'artist', title: 'Music' });
    expect((await plex.musicSection(1)).title).toBe('Music');
    const err = await plex.musicSection('Audiobooks').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlexNotFoundError);
    expect((err as Error).message).toContain(
      'no music library "Audiobooks"; its music libraries are "Music" (id 1); set PLEX_MUSIC_LIBRARY',
    );
  });

  it.each([
    [333, 1],
    [333, 3],
    [7, 4],
    [2000, 2],
    [1999, 1],
  ])('lists every track once with page size %i, concurrency %i', async (pageSize, concurrency) => {
    const keys = await allKeys(10, pageSize, concurrency);
    expect(keys).toHaveLength(sim.state.tracks.length);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('counts without listing, and filters like Plex', async () => {
    expect(await plex.countItems(SECTION, 9)).toBe(sim.state.albums.length);
    const rated = sim.state.tracks.filter((t) => (t.userRating ?? -1) > 5).length;
    expect(await plex.countItems(SECTION, 10, { filters: { 'userRating>>': 5 } })).toBe(rated);
    const page = await plex.listPage(SECTION, 10, 0, 0, { filters: { 'userRating>>': 5 } });
    expect(page).toEqual({ items: [], offset: 0, totalSize: rated });
    expect(Object.keys((await simStats()).requests)).toEqual(['GET /library/sections/:id/all']);
  });

  it('reads many items per request, and leaves out keys that do not exist', async () => {
    const keys = sim.state.tracks.slice(0, 450).map((t) => t.ratingKey);
    const items = await plex.metadata([...keys, '99999999']);
    expect(items.map((i) => i.ratingKey)).toEqual(keys);
    expect((await simStats()).requests['GET /library/metadata/:ids']).toBe(Math.ceil(451 / 150));
    expect(await plex.metadata(['99999999'])).toEqual([]);
  });

  it('reads children, leaves, search results and tag vocabularies', async () => {
    const artist = sim.state.artists[0];
    const albums = await plex.children(artist.ratingKey);
    expect(albums.map((a) => a.ratingKey).sort()).toEqual(
      sim.state.albumsByArtist
        .get(artist.ratingKey)!
        .map((a) => a.ratingKey)
        .sort(),
    );
    const leaves = await plex.allLeaves(artist.ratingKey);
    expect(leaves).toHaveLength(sim.state.tracksOfArtist(artist.ratingKey).length);
    const hits = await plex.search(artist.title, SECTION, 5);
    expect(hits.some((h) => h.ratingKey === artist.ratingKey)).toBe(true);
    const moods = await plex.tagValues(SECTION, 'mood', 10);
    expect(moods.length).toBeGreaterThan(3);
    expect(moods[0]).toMatchObject({ key: expect.stringMatching(/^\d+$/), title: expect.any(String) });
  });
});

describe('writes', () => {
  const moodsOf = async (key: string) => ((await plex.metadata([key]))[0] as PlexTrack).Mood?.map((m) => m.tag).sort() ?? [];

  it('adds a mood to one item without dropping its other moods', async () => {
    const track = sim.state.tracks.find((t) => t.moods.length >= 2)!;
    const before = await moodsOf(track.ratingKey);
    await plex.editTags(SECTION, 10, [track.ratingKey], { field: 'mood', add: ['Sagewire Test'] });
    expect(await moodsOf(track.ratingKey)).toEqual([...before, 'Sagewire Test'].sort());
  });

  it('adds to several items, removes tags with awkward characters, and never edits without ids', async () => {
    const [a, b] = sim.state.tracks.slice(10, 12).map((t) => t.ratingKey);
    const [beforeA, beforeB] = [await moodsOf(a), await moodsOf(b)];
    const odd = 'Rock & Roll, Live 100%';
    await plex.editTags(SECTION, 10, [a, b], { field: 'mood', add: [odd, 'Plain'] });
    expect(await moodsOf(a)).toEqual([...beforeA, odd, 'Plain'].sort());
    expect(await moodsOf(b)).toEqual([...beforeB, odd, 'Plain'].sort());
    await plex.editTags(SECTION, 10, [a, b], { field: 'mood', remove: [odd, 'Plain'] });
    expect(await moodsOf(a)).toEqual(beforeA);
    expect(await moodsOf(b)).toEqual(beforeB);
    await expect(plex.editTags(SECTION, 10, [], { field: 'mood', add: ['X'] })).rejects.toBeInstanceOf(PlexUsageError);
    await expect(plex.editUserRating(SECTION, 10, [], 3)).rejects.toBeInstanceOf(PlexUsageError);
    expect((await simStats()).editWithoutId).toBe(0);
  });

  it('rates, clears, and sets several ratings with one edit', async () => {
    const [a, b, c] = sim.state.tracks.filter((t) => t.userRating === undefined).slice(0, 3);
    await plex.rate(a.ratingKey, 7.25);
    expect(sim.state.track(a.ratingKey)!.userRating).toBe(7.3); // the simulator rounds like Plex
    await plex.rate(a.ratingKey, null);
    expect(sim.state.track(a.ratingKey)!.userRating).toBeUndefined();
    await plex.editUserRating(SECTION, 10, [b.ratingKey, c.ratingKey], 4);
    expect([sim.state.track(b.ratingKey)!.userRating, sim.state.track(c.ratingKey)!.userRating]).toEqual([4, 4]);
    const [item] = await plex.metadata([b.ratingKey]);
    expect(item.userRating).toBe(4);
  });

  it('creates, reads, appends to, edits and deletes a playlist', async () => {
    const keys = sim.state.tracks.slice(0, 5).map((t) => t.ratingKey);
    const playlist = await plex.createPlaylist('Sagewire Mix', keys.slice(0, 3));
    expect((await plex.playlists()).map((p) => p.title)).toContain('Sagewire Mix');
    await plex.appendToPlaylist(playlist.ratingKey, keys.slice(3));
    let items = await plex.playlistItems(playlist.ratingKey);
    expect(items.map((i) => i.ratingKey)).toEqual(keys);
    await plex.removePlaylistItem(playlist.ratingKey, items[0].playlistItemID!);
    items = await plex.playlistItems(playlist.ratingKey);
    expect(items.map((i) => i.ratingKey)).toEqual(keys.slice(1));
    await plex.clearPlaylist(playlist.ratingKey);
    expect(await plex.playlistItems(playlist.ratingKey)).toEqual([]);
    await plex.deletePlaylist(playlist.ratingKey);
    expect((await plex.playlists()).map((p) => p.ratingKey)).not.toContain(playlist.ratingKey);
  });
});

describe('faults and errors', () => {
  it('retries reads through injected 500s and dropped connections', async () => {
    // The simulator's fault stream is seeded, and seed 1's has a run of 8 faults near its start:
    // allow enough retries that such a run cannot make the test flaky.
    plex = new PlexClient({ url: sim.url, token: sim.token, retries: 12, retryBaseMs: 1, retryMaxMs: 5 });
    sim.config.faultRate = 0.25;
    for (const mode of ['error', 'drop'] as const) {
      sim.config.faultMode = mode;
      const keys = await allKeys(10, 250, 2);
      expect(new Set(keys).size).toBe(sim.state.tracks.length);
    }
    expect(plex.counters.retries).toBeGreaterThan(0);
  });

  it('does not retry playlist creation or appends, and retries idempotent edits', async () => {
    await plex.identity();
    sim.config.faultRate = 1;
    const key = sim.state.tracks[0].ratingKey;
    await expect(plex.createPlaylist('Never Twice', [key])).rejects.toBeInstanceOf(PlexHttpError);
    await expect(plex.appendToPlaylist(1, [key])).rejects.toBeInstanceOf(PlexHttpError);
    await expect(plex.rate(key, 5)).rejects.toBeInstanceOf(PlexHttpError);
    const { requests } = await simStats();
    expect(requests['POST /playlists']).toBe(1);
    expect(requests['PUT /playlists/:id/items']).toBe(1);
    expect(requests['PUT /:/rate']).toBe(4); // 1 + 3 retries
  });

  it('raises PlexTimeoutError when Plex is slower than the timeout, and succeeds with latency under it', async () => {
    sim.config.latencyMs = 150;
    const slow = new PlexClient({ url: sim.url, token: sim.token, timeoutMs: 60, retries: 1, retryBaseMs: 1 });
    await expect(slow.identity()).rejects.toBeInstanceOf(PlexTimeoutError);
    const patient = new PlexClient({ url: sim.url, token: sim.token, timeoutMs: 2000 });
    expect((await patient.identity()).machineIdentifier).toBe(sim.machineIdentifier);
    sim.config.latencyMs = 0;
    Object.assign(sim.config, { faultRate: 1, faultMode: 'timeout', faultTimeoutMs: 500 });
    await expect(slow.sections()).rejects.toBeInstanceOf(PlexTimeoutError);
  });

  it('says the token was rejected, without showing it', async () => {
    const bad = new PlexClient({ url: sim.url, token: 'wrong-token-123' });
    const err = (await bad.sections().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(PlexAuthError);
    expect(err.message).toBe(`plex: Plex rejected PLEX_TOKEN at ${sim.url} (401 Unauthorized on GET /library/sections); check the token`);
    expect(err.message).not.toContain('wrong-token-123');
  });
});
