// The rating engine end to end against the Plex simulator over HTTP: real client, real sync, real SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import {
  DEFAULT_RATING_PARAMS,
  buildLibraryIndex,
  computeAll,
  fitRatingModel,
  gridValue,
  modelTerms,
  ratingParamsFromOverrides,
} from '../../../src/domain/rating/index.js';
import { createEngineStore } from '../../../src/engine/core/engine-store.js';
import { runFullPass, type EngineDeps } from '../../../src/engine/pass/full-pass.js';
import { loadCachedLibrary } from '../../../src/library/snapshot.js';
import { PlexRatingPort } from '../../../src/engine/core/plex-rating-port.js';
import { syncLibrary } from '../../../src/library/sync.js';
import { undoWrites } from '../../../src/engine/tools/undo.js';
import { verifyState } from '../../../src/engine/tools/verify.js';
import { createLogger } from '../../../src/log.js';
import { PlexClient } from '../../../src/plex/client.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';

interface Setup {
  sim: RunningSimulator;
  handle: DatabaseHandle;
  deps: EngineDeps;
  sync: () => Promise<unknown>;
  dir: string;
}

async function setup(options: {
  bulkRatingEdits: boolean;
  mode: 'auto' | 'rate' | 'bulk';
  tracks?: number;
  seed?: number;
}): Promise<Setup> {
  const sim = await startSimulator({
    tracks: options.tracks ?? 1500,
    seed: options.seed ?? 7,
    echoWebhooks: false,
    bulkRatingEdits: options.bulkRatingEdits,
    log: () => {},
  });
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-engine-sim-'));
  const handle = await openDatabase(join(dir, 'sagewire.db'));
  const client = new PlexClient({ url: sim.url, token: sim.token, retries: 1, retryBaseMs: 10 });
  const deps: EngineDeps = {
    store: createEngineStore(handle.sqlite),
    port: new PlexRatingPort(client, sim.musicSectionId),
    logger: createLogger('silent'),
    params: DEFAULT_RATING_PARAMS,
    inferredTag: 'Rating_Inferred',
    writer: { mode: options.mode, concurrency: 4, batchSize: 100, batchPauseMs: 0 },
  };
  const sync = () => syncLibrary({ db: handle, plex: client, sectionTitle: 'Music' });
  return { sim, handle, deps, sync, dir };
}

async function teardown(s: Setup) {
  await s.handle.close();
  await s.sim.close();
  rmSync(s.dir, { recursive: true, force: true });
}

function simRatings(sim: RunningSimulator): Map<string, number | null> {
  const lib = sim.state.library;
  return new Map([...lib.artists, ...lib.albums, ...lib.tracks].map((i) => [i.ratingKey, i.userRating ?? null]));
}

const putCount = (sim: RunningSimulator) =>
  Object.entries(sim.stats.requests)
    .filter(([route]) => route.startsWith('PUT') || route.startsWith('POST') || route.startsWith('DELETE'))
    .reduce((n, [, c]) => n + c, 0);

describe('full pass against the simulator (auto mode, bulk edits honoured)', () => {
  let s: Setup;
  let original: Map<string, number | null>;
  beforeAll(async () => {
    s = await setup({ bulkRatingEdits: true, mode: 'auto' });
    original = simRatings(s.sim);
  });
  afterAll(async () => teardown(s));

  it('dry run changes nothing in Plex', async () => {
    const result = await runFullPass(s.deps, { dryRun: true, sync: s.sync });
    expect(result.plan.writes.length).toBeGreaterThan(1000);
    expect(s.sim.stats.ratingWrites).toBe(0);
    expect(putCount(s.sim)).toBe(0);
    expect(simRatings(s.sim)).toEqual(original);
  });

  it("writes exactly the pure model's values for the same library, in bulk mode, and never a manual item", async () => {
    // The learned model (the default): fitted from the cached library, plays and skips included.
    const { snapshot, current } = loadCachedLibrary(s.handle.sqlite);
    const index = buildLibraryIndex(snapshot, DEFAULT_RATING_PARAMS);
    const ownership = { manual: current, optedOut: new Set<string>() };
    const fit = fitRatingModel(index, ownership, DEFAULT_RATING_PARAMS);
    const values = computeAll(index, ownership, DEFAULT_RATING_PARAMS, modelTerms(index, fit.constants));
    const result = await runFullPass(s.deps, { sync: s.sync });
    const { ms: _ms, ...fitted } = fit;
    expect(result.plan.fit).toMatchObject(fitted);
    expect(s.deps.store.runs.get(result.runId)!.model).toMatchObject(JSON.parse(JSON.stringify(fitted)));
    expect(result.outcome!.mode).toBe('bulk');
    expect(s.sim.stats.editWithoutId).toBe(0);
    const now = simRatings(s.sim);
    let checked = 0;
    for (const map of [values.artists, values.albums, values.tracks]) {
      for (const [key, v] of map) {
        expect(now.get(key)).toBeCloseTo(gridValue(v), 6);
        checked++;
      }
    }
    expect(checked).toBe(result.outcome!.written);
    for (const [key, value] of current) expect(now.get(key)).toBe(value);
    const tagged = s.sim.state.library.tracks.filter((t) => t.moods.includes('Rating_Inferred')).length;
    expect(tagged).toBe(values.tracks.size);
  });

  it('a second pass on the unchanged library writes nothing', async () => {
    const writes = s.sim.stats.ratingWrites;
    const result = await runFullPass(s.deps, { sync: s.sync });
    expect(result.plan.writes).toHaveLength(0);
    expect(result.plan.takeovers).toHaveLength(0);
    expect(s.sim.stats.ratingWrites).toBe(writes);
  });

  it('takeover and opt-out made in a Plex client are honoured; verify agrees', async () => {
    const inferred = [...s.deps.store.state.loadAll()].filter(([, c]) => c.kind === 'track').map(([k]) => k);
    const [takeover, optOut] = inferred;
    s.sim.state.userRate(takeover, 9, { notify: false });
    s.sim.state.userRate(optOut, null, { notify: false });
    const result = await runFullPass(s.deps, { sync: s.sync });
    expect(result.outcome!.takeovers).toBe(1);
    expect(result.outcome!.optOuts).toBe(1);
    expect(s.sim.state.track(takeover)!.userRating).toBe(9);
    expect(s.sim.state.track(takeover)!.moods).not.toContain('Rating_Inferred');
    expect(s.sim.state.track(optOut)!.userRating).toBeUndefined();
    expect(s.deps.store.state.get(optOut)).toMatchObject({ optedOut: true });
    const report = await verifyState(s.deps);
    expect(report.problems).toHaveLength(0);
  });

  it('undo --all restores every item Sagewire wrote (the person’s own changes stay)', async () => {
    // The person rates one inferred track after Sagewire's write: the undo leaves it with the person.
    const mine = s.sim.state.library.tracks.find(
      (t) => t.moods.includes('Rating_Inferred') && t.userRating !== undefined && t.userRating !== 9,
    )!.ratingKey;
    s.sim.state.userRate(mine, 9, { notify: false });
    const result = await undoWrites(s.deps, 'all');
    expect(result.items.find((i) => i.key === mine)?.result).toBe('changed-by-person');
    const leftWithPerson = result.items.filter((i) => i.result === 'changed-by-person');
    expect(result.leftAlone).toBeGreaterThanOrEqual(leftWithPerson.length);
    expect(result.restored).toBeGreaterThan(0);
    // What the undo left alone holds what the person made of it (a takeover at 9, or a clear).
    for (const item of leftWithPerson) expect([9, undefined], item.key).toContain(s.sim.state.getRating(item.key));
    const now = simRatings(s.sim);
    for (const [key, value] of original) {
      const item = result.items.find((i) => i.key === key);
      if (item && item.result === 'changed-by-person') continue;
      if (s.sim.state.track(key)?.userRating === 9) continue;
      expect(now.get(key) ?? null).toBe(value);
    }
    expect(s.sim.state.library.tracks.filter((t) => t.moods.includes('Rating_Inferred'))).toHaveLength(0);
  });
});

describe('write modes against the simulator', () => {
  it('auto mode falls back to /:/rate where the server ignores several-id rating edits; both modes end alike', async () => {
    const rate = await setup({ bulkRatingEdits: false, mode: 'auto', tracks: 800, seed: 9 });
    const bulk = await setup({ bulkRatingEdits: true, mode: 'bulk', tracks: 800, seed: 9 });
    try {
      const r = await runFullPass(rate.deps, { sync: rate.sync });
      const b = await runFullPass(bulk.deps, { sync: bulk.sync });
      expect(r.outcome!.mode).toBe('rate');
      expect(b.outcome!.mode).toBe('bulk');
      expect(simRatings(rate.sim)).toEqual(simRatings(bulk.sim));
      expect(rate.sim.stats.totalRequests).toBeGreaterThan(bulk.sim.stats.totalRequests * 3);
      const again = await runFullPass(rate.deps, { sync: rate.sync });
      expect(again.plan.writes).toHaveLength(0);
      expect(again.plan.takeovers).toHaveLength(0);
    } finally {
      await teardown(rate);
      await teardown(bulk);
    }
  });
});

describe('inference only where wanted: kinds and exclusions, end to end', () => {
  it('tracks only, a genre and an artist excluded: nothing else is written, excluded ratings are not evidence, the plan says why', async () => {
    const s = await setup({ bulkRatingEdits: true, mode: 'auto', tracks: 1200, seed: 11 });
    try {
      await s.sync();
      const lib = s.sim.state.library;
      const genre = lib.albums[0].genres[0];
      const artist = lib.artists.find(
        (a) => a.title !== 'Various Artists' && !lib.albums.some((al) => al.artistKey === a.ratingKey && al.genres.includes(genre)),
      )!;
      const params = ratingParamsFromOverrides({
        C: '3',
        listening: 'off',
        INFER_KINDS: 'track',
        EXCLUDE_GENRES: genre.toUpperCase(),
        EXCLUDE_ARTISTS: artist.title,
      });
      s.deps.params = params;
      const excludedAlbums = new Set(
        lib.albums.filter((a) => a.genres.includes(genre) || a.artistKey === artist.ratingKey).map((a) => a.ratingKey),
      );
      const excludedTracks = new Set(lib.tracks.filter((t) => excludedAlbums.has(t.albumKey)).map((t) => t.ratingKey));
      expect(excludedTracks.size).toBeGreaterThan(0);

      const dry = await runFullPass(s.deps, { dryRun: true });
      expect(dry.plan.writes.length).toBeGreaterThan(0);
      expect(dry.plan.writes.every((w) => w.kind === 'track' && !excludedTracks.has(w.key))).toBe(true);
      expect(dry.plan.outside.kinds).toBeGreaterThan(0);
      expect(dry.plan.outside.excluded).toBe(excludedAlbums.size + excludedTracks.size + 1);
      // μ (classic settings: the plain mean) leaves out the manual ratings of excluded tracks.
      const counted = lib.tracks.filter((t) => t.userRating !== undefined && !excludedTracks.has(t.ratingKey));
      const { snapshot } = loadCachedLibrary(s.handle.sqlite);
      const index = buildLibraryIndex(snapshot, params);
      expect(index.albumExcluded.reduce((n, x) => n + x, 0)).toBe(excludedAlbums.size);
      const mean = counted.reduce((sum, t) => sum + t.userRating!, 0) / counted.length;
      expect(Math.abs(dry.plan.mu - mean)).toBeLessThan(0.3); // short and keyword tracks are excluded from evidence too
      expect(s.deps.store.runs.get(dry.runId)!.counts).toMatchObject({
        outsideKinds: dry.plan.outside.kinds,
        excluded: dry.plan.outside.excluded,
      });

      const before = simRatings(s.sim);
      const run = await runFullPass(s.deps, { sync: s.sync });
      expect(run.status).toBe('done');
      const after = simRatings(s.sim);
      for (const item of [...lib.artists, ...lib.albums]) expect(after.get(item.ratingKey)).toBe(before.get(item.ratingKey));
      for (const key of excludedTracks) expect(after.get(key)).toBe(before.get(key));
      expect(lib.tracks.filter((t) => !excludedTracks.has(t.ratingKey) && after.get(t.ratingKey) === null)).toHaveLength(0);
    } finally {
      await teardown(s);
    }
  });
});
