// Undo restores every item exactly; the bulk and auto write modes; the inferred tag's edits.
import { afterEach, describe, expect, it } from 'vitest';
import { runFullPass } from '../../../src/engine/pass/full-pass.js';
import { undoWrites } from '../../../src/engine/tools/undo.js';
import { fakePlexFor, generateLibrary, seedCache, syncCacheFrom } from './support/library.js';
import { openTestEngine, type TestEngine } from './support/engine.js';

const engines: TestEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function setup(
  seed: number,
  options: Parameters<typeof fakePlexFor>[1] = {},
  writer: Parameters<typeof openTestEngine>[1] = {},
  tag?: string,
) {
  const lib = generateLibrary(seed);
  const plex = fakePlexFor(lib, options);
  const engine = await openTestEngine(plex, writer, tag);
  engines.push(engine);
  seedCache(engine.handle.sqlite, lib);
  return { lib, plex, engine };
}

describe('undo', () => {
  it.each([31, 32, 33])('undo of a run restores every item exactly (seed %i)', async (seed) => {
    const { plex, engine } = await setup(seed, { roundRatings: true });
    const original = plex.ratings();
    const pass = await runFullPass(engine.deps);
    const result = await undoWrites(engine.deps, { runId: pass.runId });
    expect(result.leftAlone).toBe(0);
    expect(plex.ratings()).toEqual(original);
    for (const item of plex.items.values()) expect(item.moods).not.toContain('Rating_Inferred');
    expect(engine.deps.store.state.counts().inferred).toBe(0);
    // Nothing is undone twice.
    const again = await undoWrites(engine.deps, { runId: pass.runId });
    expect(again.items).toHaveLength(0);
  });

  it('undo --all across several passes (values that moved) restores the original library', async () => {
    const { lib, plex, engine } = await setup(34);
    const original = plex.ratings();
    await runFullPass(engine.deps);
    // The person rates a few more tracks; the next pass moves values.
    const unrated = lib.items.filter((i) => i.kind === 'track' && i.rating === null).slice(0, 30);
    const manualNow = new Map<string, number>();
    for (const [n, t] of unrated.entries()) {
      if (engine.deps.store.state.get(t.key)) {
        plex.userRate(t.key, n % 2 ? 2 : 10);
        manualNow.set(t.key, n % 2 ? 2 : 10);
      }
    }
    syncCacheFrom(engine.handle.sqlite, plex);
    const second = await runFullPass(engine.deps);
    expect(second.plan.writes.some((w) => w.reason === 'moved')).toBe(true);
    const result = await undoWrites(engine.deps, 'all');
    // The person's later ratings are theirs (reported, left alone); everything else is as before.
    expect(
      result.items
        .filter((i) => i.result === 'changed-by-person')
        .map((i) => i.key)
        .sort(),
    ).toEqual([...manualNow.keys()].sort());
    for (const [key, value] of plex.ratings()) expect(value).toBe(manualNow.get(key) ?? original.get(key));
  });

  it('dry-run undo reports without writing', async () => {
    const { plex, engine } = await setup(35);
    const pass = await runFullPass(engine.deps);
    const [key] = [...engine.deps.store.state.loadAll().keys()];
    plex.userRate(key, 6);
    const writes = plex.writeLog.length;
    const result = await undoWrites(engine.deps, { runId: pass.runId }, { dryRun: true });
    expect(plex.writeLog.length).toBe(writes);
    expect(result.items.find((i) => i.key === key)!.result).toBe('changed-by-person');
    expect(result.restored).toBe(result.items.length - 1);
  });
});

describe('write modes', () => {
  it('bulk mode sends one request per group of items sharing a value and ends like rate mode', async () => {
    const rate = await setup(41, {}, { mode: 'rate' });
    await runFullPass(rate.engine.deps);
    const bulk = await setup(41, { bulk: 'honoured' }, { mode: 'bulk', batchSize: 100 });
    const result = await runFullPass(bulk.engine.deps);
    expect(result.outcome!.mode).toBe('bulk');
    expect(bulk.plex.ratings()).toEqual(rate.plex.ratings());
    expect(bulk.plex.requests.rate).toBe(0);
    expect(bulk.plex.requests.bulkRate).toBeLessThan(result.outcome!.written / 3);
  });

  it('auto mode probes and uses bulk where the server honours it; the probe is undoable', async () => {
    const { plex, engine } = await setup(42, { bulk: 'honoured' }, { mode: 'auto' });
    const original = plex.ratings();
    const rate = await setup(42, {}, { mode: 'rate' });
    await runFullPass(rate.engine.deps);
    const result = await runFullPass(engine.deps);
    expect(result.outcome!.mode).toBe('bulk');
    expect(engine.deps.store.runs.get(result.runId)!.writeMode).toBe('bulk');
    expect(plex.ratings()).toEqual(rate.plex.ratings());
    await undoWrites(engine.deps, { runId: result.runId });
    expect(plex.ratings()).toEqual(original);
  });

  it.each(['refused', 'whole-points'] as const)(
    'auto mode falls back to /:/rate when the several-id edit is %s, leaving no stray value',
    async (bulk) => {
      const { plex, engine } = await setup(43, { bulk }, { mode: 'auto' });
      const rate = await setup(43, {}, { mode: 'rate' });
      await runFullPass(rate.engine.deps);
      const result = await runFullPass(engine.deps);
      expect(result.outcome!.mode).toBe('rate');
      expect(plex.ratings()).toEqual(rate.plex.ratings());
      expect(engine.deps.store.journal.pending()).toHaveLength(0);
      syncCacheFrom(engine.handle.sqlite, plex);
      const again = await runFullPass(engine.deps);
      expect(again.plan.writes).toHaveLength(0);
      expect(again.plan.takeovers).toHaveLength(0);
    },
  );

  it('tags are added and removed with several-id edits, never without ids; an empty tag disables them', async () => {
    const { plex, engine } = await setup(44, {}, { batchSize: 100 });
    const result = await runFullPass(engine.deps);
    expect(plex.requests.editMoods).toBeLessThanOrEqual(Math.ceil(result.outcome!.intents / 100) * 3);
    const untagged = await setup(44, {}, {}, '');
    await runFullPass(untagged.engine.deps);
    expect(untagged.plex.requests.editMoods).toBe(0);
    for (const item of untagged.plex.items.values()) expect(item.moods).toEqual([]);
  });
});
