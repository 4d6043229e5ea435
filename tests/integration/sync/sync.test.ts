// The library sync against the Plex simulator and a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { LibraryReads } from '../../../src/db/library-reads.js';
import { readSyncState } from '../../../src/db/library-sync-state.js';
import { loadCachedLibrary } from '../../../src/library/snapshot.js';
import { syncLibrary, type SyncProgress } from '../../../src/library/sync.js';
import { PlexClient } from '../../../src/plex/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';

type Sim = RunningSimulator;

async function control(sim: Sim, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'X-Plex-Token': sim.token, Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

function expectCacheEqualsSim(reads: LibraryReads, sim: Sim): void {
  expect(reads.counts()).toEqual({ artists: sim.state.artists.length, albums: sim.state.albums.length, tracks: sim.state.tracks.length });
  const cached = new Map(reads.allTracks().map((t) => [t.rating_key, t]));
  for (const track of sim.state.tracks) {
    const row = cached.get(track.ratingKey);
    expect(row, `track ${track.ratingKey}`).toBeDefined();
    expect(row!.user_rating).toBe(track.userRating ?? null);
    expect(row!.title).toBe(track.title);
  }
}

describe('library sync', () => {
  let sim: Sim;
  let dir: string;
  let handle: DatabaseHandle;
  let plex: PlexClient;
  let reads: LibraryReads;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, tracks: 2000, seed: 1 });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-sync-'));
    handle = await openDatabase(join(dir, 'db.sqlite'));
    plex = new PlexClient({ url: sim.url, token: sim.token, retryBaseMs: 5 });
    reads = new LibraryReads(handle.sqlite);
  });
  afterEach(async () => {
    sim.config.faultRate = 0;
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("does a full first sync whose counts equal the simulator's, in few requests", async () => {
    const progress: SyncProgress[] = [];
    const result = await syncLibrary({ db: handle, plex, sectionTitle: 'Music', pageSize: 500, onProgress: (p) => progress.push(p) });
    const total = sim.state.artists.length + sim.state.albums.length + sim.state.tracks.length;
    expect(Object.keys(result).sort()).toEqual([
      'added',
      'albums',
      'artists',
      'deleted',
      'mode',
      'reason',
      'requests',
      'seconds',
      'skipped',
      'tracks',
      'updated',
    ]);
    expect(result).toMatchObject({
      mode: 'full',
      reason: 'first sync',
      artists: sim.state.artists.length,
      albums: sim.state.albums.length,
      tracks: sim.state.tracks.length,
      added: total,
      updated: 0,
      deleted: 0,
      skipped: 0,
    });
    // identity + sections + 4 pages of tracks + 1 of albums + 1 of artists
    expect(result.requests).toBe(2 + Math.ceil(sim.state.tracks.length / 500) + Math.ceil(sim.state.albums.length / 500) + 1);
    expect(typeof result.seconds).toBe('number');
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
    expectCacheEqualsSim(reads, sim);
    expect(progress.at(-1)).toEqual({ phase: 'listing', done: total, total });

    const live = sim.state.albums.find((a) => a.subformats.includes('Live'));
    expect(live).toBeDefined();
    expect(reads.itemsByKeys([live!.ratingKey]).albums[0].is_live).toBe(1);
    const moody = sim.state.tracks.find((t) => t.moods.length > 1)!;
    expect(
      reads
        .tagsFor([moody.ratingKey])
        .get(moody.ratingKey)!
        .filter((t) => t.kind === 'mood')
        .map((t) => t.tag)
        .sort(),
    ).toEqual([...moody.moods].sort());
    const state = await readSyncState(handle.db);
    expect(state).toMatchObject({ section_id: 1, machine_identifier: sim.machineIdentifier });
  });

  it('then syncs incrementally: a missed rating, a cleared one, an added album, title edits', async () => {
    await syncLibrary({ db: handle, plex, sectionTitle: 'Music' });
    const [t1, t2] = sim.state.tracks.filter((t) => t.userRating === undefined);
    const rated = sim.state.tracks.find((t) => t.userRating !== undefined)!;
    const album = sim.state.albums[3];
    await control(sim, `/__sim/user-rate?key=${t1.ratingKey}&rating=8&notify=0`);
    await control(sim, `/__sim/user-rate?key=${album.ratingKey}&rating=6&notify=0`);
    await control(sim, `/__sim/user-rate?key=${rated.ratingKey}&rating=-1&notify=0`);
    const added = (await control(sim, '/__sim/add-album?tracks=7')) as { albumKey: string; trackKeys: string[] };
    await plex.editField(1, 10, [t2.ratingKey], 'title', 'Edited Title');
    await plex.editField(1, 9, [album.ratingKey], 'title', 'Renamed Album');
    const before = sim.stats.totalRequests;

    const result = await syncLibrary({ db: handle, plex, sectionTitle: 'Music' });
    expect(result.mode).toBe('incremental');
    expect(result.reason).toBeNull();
    expect(result.added).toBeGreaterThanOrEqual(8); // album + 7 tracks (+ a new artist)
    expect(result.updated).toBeGreaterThanOrEqual(4);
    expect(result.requests).toBeLessThanOrEqual(2 + 9 + 3);
    expect(sim.stats.totalRequests - before).toBe(result.requests);
    expectCacheEqualsSim(reads, sim);
    const byKey = reads.itemsByKeys([t1.ratingKey, t2.ratingKey, rated.ratingKey, album.ratingKey, ...added.trackKeys]);
    expect(byKey.tracks.find((t) => t.rating_key === t1.ratingKey)!.user_rating).toBe(8);
    expect(byKey.tracks.find((t) => t.rating_key === rated.ratingKey)!.user_rating).toBeNull();
    expect(byKey.tracks.find((t) => t.rating_key === t2.ratingKey)!.title).toBe('Edited Title');
    expect(byKey.albums[0]).toMatchObject({ title: 'Renamed Album', user_rating: 6 });
    expect(byKey.tracks.filter((t) => added.trackKeys.includes(t.rating_key))).toHaveLength(7);
    // A rename does not bump the tracks' updatedAt: the sync copies the album title down.
    expect(new Set(reads.tracksByAlbum(album.ratingKey).map((t) => t.album_title))).toEqual(new Set(['Renamed Album']));

    const again = await syncLibrary({ db: handle, plex, sectionTitle: 'Music' });
    expect(again).toMatchObject({ mode: 'incremental', added: 0, deleted: 0 });
  });

  it('brings plays, skips and the last play to the cache and the snapshot, with album genres', async () => {
    await syncLibrary({ db: handle, plex, sectionTitle: 'Music' });
    const cached = new Map(reads.allTracks().map((t) => [t.rating_key, t]));
    for (const track of sim.state.tracks) {
      expect(cached.get(track.ratingKey), `track ${track.ratingKey}`).toMatchObject({
        view_count: track.viewCount ?? null,
        skip_count: track.skipCount ?? null,
        last_viewed_at: track.lastViewedAt ?? null,
      });
    }
    expect(sim.state.tracks.some((t) => t.skipCount && t.lastViewedAt)).toBe(true);

    const { snapshot } = loadCachedLibrary(handle.sqlite);
    const simTracks = new Map(sim.state.tracks.map((t) => [t.ratingKey, t]));
    for (const track of snapshot.tracks) {
      const source = simTracks.get(track.key)!;
      expect(track).toMatchObject({
        plays: source.viewCount ?? 0,
        skips: source.skipCount ?? 0,
      });
    }
    const simAlbums = new Map(sim.state.albums.map((a) => [a.ratingKey, a]));
    for (const album of snapshot.albums) expect([...album.genres!].sort()).toEqual([...simAlbums.get(album.key)!.genres].sort());
    expect(snapshot.albums.some((a) => a.genres!.length > 1)).toBe(true);

    // Playing a track changes neither updatedAt nor lastRatedAt; a full listing brings the new counts.
    const track = sim.state.tracks.find((t) => !t.viewCount)!;
    Object.assign(track, { viewCount: 3, skipCount: 1, lastViewedAt: 1_748_000_000 });
    const result = await syncLibrary({ db: handle, plex, sectionTitle: 'Music', full: true });
    expect(result.updated).toBe(1);
    expect(reads.itemsByKeys([track.ratingKey]).tracks[0]).toMatchObject({ view_count: 3, skip_count: 1, last_viewed_at: 1_748_000_000 });
    const reloaded = loadCachedLibrary(handle.sqlite).snapshot.tracks.find((t) => t.key === track.ratingKey);
    expect(reloaded).toMatchObject({ plays: 3, skips: 1 });
  });

  it('finds deletions: the same server with fewer items makes the cache follow it', async () => {
    await syncLibrary({ db: handle, plex, sectionTitle: 'Music' });
    const smaller = await startSimulator({ port: 0, tracks: 1500, seed: 1 });
    try {
      expect(smaller.machineIdentifier).toBe(sim.machineIdentifier);
      const plex2 = new PlexClient({ url: smaller.url, token: smaller.token });
      const result = await syncLibrary({ db: handle, plex: plex2, sectionTitle: 'Music' });
      expect(result.mode).toBe('full');
      expect(result.reason).toBe('Plex has fewer items than the cache');
      expect(result.deleted).toBeGreaterThan(0);
      expectCacheEqualsSim(reads, smaller);
      expect(new Set(reads.allTracks().map((t) => t.rating_key))).toEqual(new Set(smaller.state.tracks.map((t) => t.ratingKey)));
    } finally {
      await smaller.close();
    }
  });

  it('rebuilds the cache for another server', async () => {
    await syncLibrary({ db: handle, plex, sectionTitle: 'Music' });
    const other = await startSimulator({ port: 0, tracks: 600, seed: 2 });
    try {
      const result = await syncLibrary({ db: handle, plex: new PlexClient({ url: other.url, token: other.token }), sectionTitle: 'Music' });
      expect(result).toMatchObject({ mode: 'full', reason: 'another server or library' });
      expectCacheEqualsSim(reads, other);
      expect((await readSyncState(handle.db))!.machine_identifier).toBe(other.machineIdentifier);
    } finally {
      await other.close();
    }
  });

  it('runs a full deletion scan when asked and once a day', async () => {
    let clock = Date.now();
    const now = () => clock;
    await syncLibrary({ db: handle, plex, sectionTitle: 'Music', now });
    expect((await syncLibrary({ db: handle, plex, sectionTitle: 'Music', now, full: true })).reason).toBe('requested');
    clock += 23 * 3600_000;
    expect((await syncLibrary({ db: handle, plex, sectionTitle: 'Music', now })).mode).toBe('incremental');
    clock += 2 * 3600_000;
    const daily = await syncLibrary({ db: handle, plex, sectionTitle: 'Music', now });
    expect(daily).toMatchObject({ mode: 'full', reason: 'daily deletion scan', added: 0, updated: 0, deleted: 0 });
  });

  it('comes through injected 500s and dropped connections with the same cache', async () => {
    // Seeded faults come in runs now and then; enough retries that a run cannot make this flaky.
    plex = new PlexClient({ url: sim.url, token: sim.token, retries: 10, retryBaseMs: 1, retryMaxMs: 5 });
    sim.config.faultRate = 0.2;
    sim.config.faultMode = 'error';
    const first = await syncLibrary({ db: handle, plex, sectionTitle: 'Music', pageSize: 200 });
    sim.config.faultMode = 'drop';
    const second = await syncLibrary({ db: handle, plex, sectionTitle: 'Music', pageSize: 200, full: true });
    sim.config.faultRate = 0;
    expect(plex.counters.retries).toBeGreaterThan(0);
    expect(first.mode).toBe('full');
    expect(second).toMatchObject({ added: 0, deleted: 0 });
    expectCacheEqualsSim(reads, sim);
  });

  it('explains a wrong section title with the sections that exist', async () => {
    await expect(syncLibrary({ db: handle, plex, sectionTitle: 'Musik' })).rejects.toThrow(
      /no music library "Musik"; its music libraries are "Music" \(id 1\)/,
    );
  });
});
