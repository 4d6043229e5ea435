// Properties of the full pass over random libraries, against an in-memory Plex.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RATING_PARAMS, buildLibraryIndex, computeAll, gridValue } from '../../../src/domain/rating/index.js';
import { loadCachedLibrary } from '../../../src/library/snapshot.js';
import { runFullPass } from '../../../src/engine/pass/full-pass.js';
import { SimulatedCrash } from './support/fake-plex.js';
import { fakePlexFor, generateLibrary, rng, seedCache, syncCacheFrom, type GenLibrary } from './support/library.js';
import { openTestEngine, type TestEngine } from './support/engine.js';

const engines: TestEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function setup(seed: number, options: Parameters<typeof fakePlexFor>[1] = {}, writer: Parameters<typeof openTestEngine>[1] = {}) {
  const lib = generateLibrary(seed);
  const plex = fakePlexFor(lib, options);
  const engine = await openTestEngine(plex, writer);
  engines.push(engine);
  seedCache(engine.handle.sqlite, lib);
  return { lib, plex, engine };
}

const manualKeys = (lib: GenLibrary) => new Set(lib.items.filter((i) => i.rating !== null).map((i) => i.key));

/** The values a single pass over the library's manual ratings writes, from the pure model. */
function expectedValues(engine: TestEngine): Map<string, number> {
  const { snapshot, current } = loadCachedLibrary(engine.handle.sqlite);
  const values = computeAll(
    buildLibraryIndex(snapshot, DEFAULT_RATING_PARAMS),
    { manual: current, optedOut: new Set() },
    DEFAULT_RATING_PARAMS,
  );
  const out = new Map<string, number>();
  for (const map of [values.artists, values.albums, values.tracks]) for (const [k, v] of map) out.set(k, gridValue(v));
  return out;
}

describe('full pass', () => {
  it.each([1, 2, 3, 4, 5])(
    'writes exactly the model values, never a manual item, and a second pass writes nothing (seed %i)',
    async (seed) => {
      const { lib, plex, engine } = await setup(seed);
      const expected = expectedValues(engine);
      const manual = manualKeys(lib);
      const first = await runFullPass(engine.deps);
      expect(first.status).toBe('done');
      expect(first.outcome!.written).toBe(expected.size);
      for (const w of plex.writeLog) expect(manual.has(w.key)).toBe(false);
      for (const [key, value] of expected) expect(plex.items.get(key)!.rating).toBeCloseTo(value, 5);
      for (const key of manual) expect(plex.items.get(key)!.rating).toBe(lib.byKey.get(key)!.rating);
      // Every inferred item is tagged; the state claims exactly the written values.
      for (const key of expected.keys()) expect(plex.items.get(key)!.moods).toContain('Rating_Inferred');
      expect(engine.deps.store.state.counts().inferred).toBe(expected.size);

      const writesBefore = plex.writeLog.length;
      const second = await runFullPass(engine.deps);
      expect(second.plan.writes).toHaveLength(0);
      expect(second.outcome!.written).toBe(0);
      expect(plex.writeLog.length).toBe(writesBefore);
      // Also after a sync from Plex (the cache was written through; a sync must agree).
      syncCacheFrom(engine.handle.sqlite, plex);
      const third = await runFullPass(engine.deps);
      expect(third.plan.writes).toHaveLength(0);
      expect(third.plan.takeovers).toHaveLength(0);
    },
  );

  it('a Plex that rounds stored ratings to one decimal causes no false takeovers', async () => {
    const { plex, engine } = await setup(11, { roundRatings: true });
    await runFullPass(engine.deps);
    syncCacheFrom(engine.handle.sqlite, plex);
    const again = await runFullPass(engine.deps);
    expect(again.plan.takeovers).toHaveLength(0);
    expect(again.plan.optOuts).toHaveLength(0);
    expect(again.plan.writes).toHaveLength(0);
  });

  it('float32 storage (Plex keeps 6.9 as 6.900000095) causes no false takeovers either', async () => {
    const { plex, engine } = await setup(12);
    await runFullPass(engine.deps);
    syncCacheFrom(engine.handle.sqlite, plex);
    const again = await runFullPass(engine.deps);
    expect(again.plan.takeovers).toHaveLength(0);
    expect(again.plan.writes).toHaveLength(0);
  });

  it('dry run writes nothing and journals nothing', async () => {
    const { plex, engine } = await setup(13);
    const result = await runFullPass(engine.deps, { dryRun: true });
    expect(result.plan.writes.length).toBeGreaterThan(0);
    expect(plex.writeLog).toHaveLength(0);
    expect(plex.requests).toEqual({ read: 0, rate: 0, bulkRate: 0, editMoods: 0 });
    expect(engine.handle.sqlite.prepare('select count(*) from write_journal').pluck().get()).toBe(0);
    expect(engine.deps.store.runs.get(result.runId)!.kind).toBe('dry');
  });

  it('takeover: the person changes an inferred rating → manual, adopted, tag removed, never written again', async () => {
    const { plex, engine } = await setup(14);
    await runFullPass(engine.deps);
    const [key] = [...engine.deps.store.state.loadAll()].find(([, c]) => c.kind === 'track')!;
    plex.userRate(key, 8);
    syncCacheFrom(engine.handle.sqlite, plex);
    const result = await runFullPass(engine.deps);
    expect(result.plan.takeovers.map((t) => t.key)).toContain(key);
    expect(result.outcome!.takeovers).toBe(1);
    expect(engine.deps.store.state.get(key)).toBeNull();
    expect(plex.items.get(key)!.moods).not.toContain('Rating_Inferred');
    expect(plex.items.get(key)!.rating).toBe(8);
    const adopt = engine.deps.store.journal.forRun(result.runId).find((e) => e.operation === 'adopt');
    expect(adopt).toMatchObject({ itemKey: key, valueAfter: 8, status: 'applied' });
    const writes = plex.writeLog.length;
    syncCacheFrom(engine.handle.sqlite, plex);
    await runFullPass(engine.deps);
    expect(plex.writeLog.slice(writes).some((w) => w.key === key)).toBe(false);
  });

  it('opt-out: the person clears an inferred rating → opted_out, never written again', async () => {
    const { plex, engine } = await setup(15);
    await runFullPass(engine.deps);
    const [key] = [...engine.deps.store.state.loadAll()].find(([, c]) => c.kind === 'track')!;
    plex.userRate(key, null);
    syncCacheFrom(engine.handle.sqlite, plex);
    const writes = plex.writeLog.length;
    const result = await runFullPass(engine.deps);
    expect(result.plan.optOuts.map((t) => t.key)).toContain(key);
    expect(engine.deps.store.state.get(key)).toMatchObject({ optedOut: true, writtenValue: null });
    expect(plex.items.get(key)!.rating).toBeNull();
    expect(plex.items.get(key)!.moods).not.toContain('Rating_Inferred');
    syncCacheFrom(engine.handle.sqlite, plex);
    await runFullPass(engine.deps);
    expect(plex.writeLog.slice(writes).some((w) => w.key === key)).toBe(false);
  });

  it('an item the person rates between the sync and its batch is left alone', async () => {
    const { plex, engine } = await setup(16);
    const plan = (await runFullPass(engine.deps, { dryRun: true })).plan;
    const target = plan.writes.find((w) => w.kind === 'track')!.key;
    const read = plex.readCurrent.bind(plex);
    let once = false;
    plex.readCurrent = async (keys) => {
      if (!once && keys.includes(target)) {
        once = true;
        plex.userRate(target, 4);
      }
      return read(keys);
    };
    const result = await runFullPass(engine.deps);
    expect(result.outcome!.changedSinceSync).toBe(1);
    expect(plex.items.get(target)!.rating).toBe(4);
    expect(plex.writeLog.some((w) => w.key === target)).toBe(false);
  });

  it('cancellation stops after the batch in flight; the next pass finishes the work', async () => {
    const { plex, engine } = await setup(17, {}, { batchSize: 20 });
    const controller = new AbortController();
    const result = await runFullPass(engine.deps, { signal: controller.signal, onProgress: (p) => p.done >= 40 && controller.abort() });
    expect(result.status).toBe('cancelled');
    expect(result.outcome!.written).toBeLessThan(result.plan.writes.length);
    expect(engine.deps.store.runs.get(result.runId)!.status).toBe('cancelled');
    const rest = await runFullPass(engine.deps);
    expect(rest.outcome!.written + result.outcome!.written).toBe(result.plan.writes.length);
    expect(new Set(plex.writeLog.map((w) => w.key)).size).toBe(plex.writeLog.length);
  });
});

describe('crash safety', () => {
  for (const [seed, applyFirst] of [
    [21, true],
    [22, false],
    [23, true],
    [24, false],
    [25, true],
    [26, false],
  ] as const) {
    it(`a pass interrupted at a random write and resumed ends like an uninterrupted one, no write sent twice (seed ${seed}, ${applyFirst ? 'after' : 'before'} Plex applied it)`, async () => {
      const reference = await setup(seed);
      await runFullPass(reference.engine.deps);

      const { plex, engine } = await setup(seed, {}, { batchSize: 25, concurrency: 3 });
      const total = reference.plex.writeLog.length + 0;
      const k = 1 + Math.floor(rng(seed)() * (total - 1));
      plex.crashAtWrite(k, applyFirst);
      await expect(runFullPass(engine.deps)).rejects.toBeInstanceOf(SimulatedCrash);
      expect(engine.deps.store.journal.pending().length).toBeGreaterThan(0);
      plex.revive();
      const resumed = await runFullPass(engine.deps);
      expect(resumed.reconciled!.applied + resumed.reconciled!.dropped).toBeGreaterThan(0);
      expect(engine.deps.store.journal.pending()).toHaveLength(0);

      expect(plex.ratings()).toEqual(reference.plex.ratings());
      const counts = new Map<string, number>();
      for (const w of plex.writeLog) counts.set(w.key, (counts.get(w.key) ?? 0) + 1);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(engine.deps.store.state.loadAll()).toEqual(reference.engine.deps.store.state.loadAll());
      for (const [key, item] of plex.items) expect(item.moods).toEqual(reference.plex.items.get(key)!.moods);
    });
  }
});
