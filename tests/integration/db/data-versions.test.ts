// The one freshness rule: each kind of change moves the right data version in its own transaction, and
// every cache (the pages' rating model, the search index, the undo counts, the playlist pool index and
// vocabulary) rebuilds exactly when a version it depends on moved — not on a page view without a change,
// and also when the change was made by another connection (the CLI while serve runs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import {
  bumpDataVersions,
  noChanges,
  ownChanges,
  readDataVersions,
  readDataVersionsOf,
  VersionedCache,
  type DataVersions,
} from '../../../src/db/data-versions.js';
import { EngineJournalRepo } from '../../../src/db/engine-journal-repo.js';
import { LibraryRepo } from '../../../src/db/library-repo.js';
import { readSyncState } from '../../../src/db/library-sync-state.js';
import { DEFAULT_RATING_PARAMS } from '../../../src/domain/rating/index.js';
import { createEngineStore, type EngineStore } from '../../../src/engine/core/engine-store.js';
import { readEventItems } from '../../../src/engine/live/live-plex.js';
import { optInItems } from '../../../src/engine/tools/opt-in.js';
import { syncLibrary } from '../../../src/library/sync.js';
import { musicTags } from '../../../src/playlists/music-tags.js';
import { PoolIndexCache } from '../../../src/playlists/pool-index-cache.js';
import { VocabularyCache } from '../../../src/playlists/vocabulary-cache.js';
import { PlexClient } from '../../../src/plex/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { UndoableCounts } from '../../../src/web/read-models/runs.js';
import { SearchIndex } from '../../../src/web/read-models/search.js';
import { ratingsUi } from '../../../src/web/services/ratings.js';

interface Ctx {
  sim: RunningSimulator;
  handle: DatabaseHandle;
  store: EngineStore;
  plex: PlexClient;
  path: string;
  /** Keys the setup step prepared for the change. */
  keys: Record<string, string>;
  ids: number[];
}

async function control(sim: RunningSimulator, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'X-Plex-Token': sim.token, Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

const sync = (ctx: Ctx) => syncLibrary({ db: ctx.handle, plex: ctx.plex, sectionTitle: 'Music', pageSize: 500 });
const unratedTrack = (ctx: Ctx, n = 0) => ctx.sim.state.tracks.filter((t) => t.userRating === undefined)[n].ratingKey;
const rate = (key: string, value: number | null) => ({
  itemKey: key,
  kind: 'track' as const,
  operation: value === null ? ('clear' as const) : ('rate' as const),
  valueBefore: null,
  valueAfter: value,
});

interface Case {
  change: string;
  /** Done before the caches are first read. */
  setup?: (ctx: Ctx) => Promise<void> | void;
  act: (ctx: Ctx) => Promise<void> | void;
  moves: { library: boolean; ratings: boolean };
}

const cases: Case[] = [
  { change: 'a page view without a change', act: () => undefined, moves: { library: false, ratings: false } },
  { change: 'a sync that finds nothing new', act: async (ctx) => void (await sync(ctx)), moves: { library: false, ratings: false } },
  {
    change: 'a sync that finds a new album',
    act: async (ctx) => {
      await control(ctx.sim, '/__sim/add-album?tracks=3');
      await sync(ctx);
    },
    moves: { library: true, ratings: false },
  },
  {
    // Not journaled: a model catching up from the journal would miss it, so the library moves too.
    change: 'a sync that finds a rating the person changed in Plex',
    act: async (ctx) => {
      await control(ctx.sim, `/__sim/user-rate?key=${unratedTrack(ctx)}&rating=8&notify=0`);
      await sync(ctx);
    },
    moves: { library: true, ratings: true },
  },
  {
    change: "a webhook's read of Plex that finds only a rating changed (no Sagewire write)",
    act: async (ctx) => {
      const key = unratedTrack(ctx);
      await control(ctx.sim, `/__sim/user-rate?key=${key}&rating=6&notify=0`);
      const sectionId = String((await readSyncState(ctx.handle.db))!.section_id);
      const read = await readEventItems(ctx.plex, new LibraryRepo(ctx.handle.sqlite, { ratingChanges: 'ratings' }), sectionId, [key]);
      expect(read.found.get(key)?.rating).toBe(6);
    },
    moves: { library: false, ratings: true },
  },
  {
    change: "a webhook's read of Plex that finds nothing changed",
    act: async (ctx) => {
      const sectionId = String((await readSyncState(ctx.handle.db))!.section_id);
      await readEventItems(ctx.plex, new LibraryRepo(ctx.handle.sqlite, { ratingChanges: 'ratings' }), sectionId, [unratedTrack(ctx)]);
    },
    moves: { library: false, ratings: false },
  },
  {
    change: "a run's writes journaled as pending (before Plex answers)",
    act: (ctx) => void ctx.store.journal.addPending(ctx.store.runs.start('full'), [rate(unratedTrack(ctx), 7.3)]),
    moves: { library: false, ratings: false },
  },
  {
    change: "a run's writes applied (journal apply)",
    setup: (ctx) => void ctx.ids.push(...ctx.store.journal.addPending(ctx.store.runs.start('full'), [rate(unratedTrack(ctx), 7.3)])),
    act: (ctx) => ctx.store.journal.markApplied(ctx.ids),
    moves: { library: false, ratings: true },
  },
  {
    change: "a run's writes Plex did not take (dropped)",
    setup: (ctx) => void ctx.ids.push(...ctx.store.journal.addPending(ctx.store.runs.start('full'), [rate(unratedTrack(ctx), 7.3)])),
    act: (ctx) => ctx.store.journal.markDropped(ctx.ids, 'write-not-applied'),
    moves: { library: false, ratings: false },
  },
  {
    change: 'an undo marking a run undone',
    setup: (ctx) => {
      const ids = ctx.store.journal.addPending(ctx.store.runs.start('full'), [rate(unratedTrack(ctx), 7.3)]);
      ctx.store.journal.markApplied(ids);
      ctx.ids.push(...ids);
    },
    act: (ctx) => ctx.store.journal.markUndone(ctx.ids, ctx.store.runs.start('undo')),
    moves: { library: false, ratings: true },
  },
  {
    change: 'an opt-out (the person cleared an inferred rating)',
    act: (ctx) =>
      void ctx.store.journal.record(ctx.store.runs.start('event'), [{ ...rate(unratedTrack(ctx), null), operation: 'opt_out' }]),
    moves: { library: false, ratings: true },
  },
  {
    change: 'an opt-in',
    setup: (ctx) => {
      ctx.keys.item = unratedTrack(ctx);
      ctx.store.journal.record(ctx.store.runs.start('event'), [{ ...rate(ctx.keys.item, null), operation: 'opt_out' }]);
    },
    act: (ctx) => expect(optInItems(ctx.store, [ctx.keys.item]).changed).toBe(1),
    moves: { library: false, ratings: true },
  },
  {
    change: 'an opt-in of items not opted out',
    act: (ctx) => expect(optInItems(ctx.store, [unratedTrack(ctx)]).changed).toBe(0),
    moves: { library: false, ratings: false },
  },
  {
    change: "another process's journal apply (a second connection, as the CLI's)",
    act: async (ctx) => {
      const other = await openDatabase(ctx.path, { migrate: false });
      try {
        const store = createEngineStore(other.sqlite);
        store.journal.markApplied(store.journal.addPending(store.runs.start('full'), [rate(unratedTrack(ctx), 4.1)]));
      } finally {
        await other.close();
      }
    },
    moves: { library: false, ratings: true },
  },
  {
    change: "another process's sync (a second connection, as the CLI's)",
    act: async (ctx) => {
      await control(ctx.sim, '/__sim/add-album?tracks=2');
      const other = await openDatabase(ctx.path, { migrate: false });
      try {
        await syncLibrary({ db: other, plex: ctx.plex, sectionTitle: 'Music', pageSize: 500 });
      } finally {
        await other.close();
      }
    },
    moves: { library: true, ratings: false },
  },
];

describe('data versions', () => {
  let dir: string;
  let ctx: Ctx;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-versions-'));
    const sim = await startSimulator({ port: 0, tracks: 300, seed: 3 });
    const path = join(dir, 'db.sqlite');
    const handle = await openDatabase(path);
    ctx = {
      sim,
      handle,
      path,
      store: createEngineStore(handle.sqlite),
      plex: new PlexClient({ url: sim.url, token: sim.token, retryBaseMs: 5 }),
      keys: {},
      ids: [],
    };
    await sync(ctx);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx.handle.close();
    await ctx.sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(cases)('$change', async ({ setup, act, moves }) => {
    await setup?.(ctx);
    const { sqlite, db } = ctx.handle;
    // Every cache, each counting its builds.
    const builds = { undoCounts: 0 };
    const journal = new EngineJournalRepo(sqlite);
    const counting = {
      undoableCounts: (ids: readonly number[]) => {
        if (ids.length > 0) builds.undoCounts += 1;
        return journal.undoableCounts(ids);
      },
    } as EngineJournalRepo;
    const ui = ratingsUi({ sqlite, deps: () => null, params: () => DEFAULT_RATING_PARAMS, wakeWorker: () => undefined });
    const undoable = new UndoableCounts(sqlite, counting);
    const pool = new PoolIndexCache(sqlite);
    const vocabulary = new VocabularyCache(db, musicTags(''));
    // The runs listed are the ones there before the change (a run the change starts is counted anyway).
    const runs = [{ id: 0, status: 'done' }, ...ctx.store.runs.latest(25).map((r) => ({ id: r.id, status: 'done' }))];
    // A new search index builds in the background while the previous one answers: its builds are counted.
    const searchBuilds = vi.spyOn(SearchIndex, 'build');
    const undoCountsAfter = (view: () => unknown): number => {
      view();
      return builds.undoCounts;
    };
    const read = async () => ({
      model: ui.model.get(),
      search: await ui.search().then(() => searchBuilds.mock.calls.length),
      pool: pool.current(),
      vocabulary: await vocabulary.get(),
      undo: undoCountsAfter(() => undoable.of(runs)),
    });
    const before = await read();
    expect(await read()).toEqual(before); // a second view rebuilds nothing
    const versionsBefore = readDataVersions(sqlite);

    await act(ctx);

    const versionsAfter = readDataVersions(sqlite);
    expect({
      library: versionsAfter.library !== versionsBefore.library,
      ratings: versionsAfter.ratings !== versionsBefore.ratings,
    }).toEqual(moves);
    expect(await readDataVersionsOf(db)).toEqual(versionsAfter);
    const after = await read();
    const rebuilt = {
      model: after.model !== before.model,
      search: after.search !== before.search,
      pool: after.pool !== before.pool,
      vocabulary: after.vocabulary !== before.vocabulary,
      undoCounts: after.undo !== before.undo,
    };
    const any = moves.library || moves.ratings;
    expect(rebuilt).toEqual({ model: any, search: moves.library, pool: any, vocabulary: moves.library, undoCounts: moves.ratings });
    // …and once rebuilt, the next view reuses what was built.
    const again = await read();
    expect([again.model, again.search, again.pool, again.vocabulary, again.undo]).toEqual([
      after.model,
      after.search,
      after.pool,
      after.vocabulary,
      after.undo,
    ]);
  });
});

describe('own changes and the versioned cache', () => {
  let dir: string;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-versions-own-'));
    handle = await openDatabase(join(dir, 'db.sqlite'));
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const bump = (...names: Array<keyof DataVersions>) => handle.sqlite.transaction(() => bumpDataVersions(handle.sqlite, ...names))();

  it("counts the bumps made inside a scope, across awaits, and nobody else's", async () => {
    const own = noChanges();
    const start = readDataVersions(handle.sqlite);
    // A task begun outside the scope bumps while the scope is waiting on it: it is someone else's change.
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const outside = (async () => {
      await gate;
      bump('ratings');
    })();
    await ownChanges(own, async () => {
      bump('ratings');
      await new Promise((resolve) => setImmediate(resolve));
      bump('library', 'ratings');
      open();
      await outside;
    });
    expect(own).toEqual({ library: 1, ratings: 2 });
    expect(readDataVersions(handle.sqlite)).toEqual({ library: start.library + 1, ratings: start.ratings + 3 });
  });

  it('builds again only when a version it depends on moved, and forgets a build that failed', async () => {
    let builds = 0;
    let fail = true;
    const cache = new VersionedCache(handle.sqlite, ['library'], async () => {
      builds += 1;
      if (fail) throw new Error('no');
      return builds;
    });
    await expect(cache.get()).rejects.toThrow('no');
    fail = false;
    expect(await cache.get()).toBe(2);
    bump('ratings');
    expect(await cache.get()).toBe(2);
    bump('library');
    expect(await cache.get()).toBe(3);
    expect(builds).toBe(3);
  });
});
