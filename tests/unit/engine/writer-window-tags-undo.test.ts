// The journaled writer's promises: every request follows a read of exactly its items (no stale read), bulk
// edits grouped by value over the whole run, inferred-tag edits as durable as rating writes under faults
// and crashes, and undo that undoes everything at the cost of the writes it reverses.
import { afterEach, describe, expect, it } from 'vitest';
import { planFullPass, runFullPass } from '../../../src/engine/pass/full-pass.js';
import { undoWrites } from '../../../src/engine/tools/undo.js';
import { verifyState } from '../../../src/engine/tools/verify.js';
import type { FakeOp, FakePlex, FakePlexOptions } from './support/fake-plex.js';
import { fakePlexFor, generateLibrary, rng, seedCache, syncCacheFrom } from './support/library.js';
import { openTestEngine, type TestEngine } from './support/engine.js';

const TAG = 'Rating_Inferred';
const engines: TestEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function setup(seed: number, options: FakePlexOptions = {}, writer: Parameters<typeof openTestEngine>[1] = {}) {
  const lib = generateLibrary(seed);
  const plex = fakePlexFor(lib, options);
  const engine = await openTestEngine(plex, writer);
  engines.push(engine);
  seedCache(engine.handle.sqlite, lib);
  return { lib, plex, engine };
}

const totalRequests = (plex: FakePlex) => plex.requests.read + plex.requests.rate + plex.requests.bulkRate + plex.requests.editMoods;

describe('each request is preceded by a read of exactly its items', () => {
  it.each([
    ['rate', 1],
    ['bulk', 1],
    ['rate', 4],
    ['bulk', 4],
  ] as const)(
    '%s mode, concurrency %i: a rating the person makes while an earlier request is in flight is kept',
    async (mode, concurrency) => {
      const log: Array<{ op: FakeOp; keys: readonly string[] }> = [];
      let victim: string | null = null;
      const options: FakePlexOptions = { bulk: 'honoured', onRequest: (op, keys) => log.push({ op, keys }) };
      const { plex, engine } = await setup(51, options, { mode, concurrency, batchSize: 50 });
      const plan = planFullPass(engine.deps.store, engine.deps.params, TAG);
      // The writer used to read a whole batch (the first 50 writes by kind and value) and send it later:
      // the victim is the last item of that first batch.
      const order = { artist: 0, album: 1, track: 2 };
      const firstBatch = [...plan.writes]
        .sort((a, b) => order[a.kind] - order[b.kind] || a.value - b.value || (a.key < b.key ? -1 : 1))
        .slice(0, 50);
      options.onRequest = (op, keys) => {
        log.push({ op, keys });
        if ((op === 'rate' || op === 'bulkRate') && victim === null) {
          // The person rates in Plexamp while the first request is in flight, an item not in it.
          const candidates = firstBatch.filter((w) => !keys.includes(w.key) && !log.some((l) => l.op !== 'read' && l.keys.includes(w.key)));
          victim = candidates[candidates.length - 1]?.key ?? null;
          if (victim) plex.userRate(victim, 10);
        }
      };
      const result = await runFullPass(engine.deps);
      expect(victim).not.toBeNull();
      expect(plex.items.get(victim!)!.rating).toBe(10);
      expect(
        engine.deps.store.journal
          .forRun(result.runId)
          .filter((e) => e.itemKey === victim && e.status === 'applied' && e.operation === 'rate'),
      ).toEqual([]);
      // Between the read that carries an item and the request that writes it, only other requests of the
      // same unit start: no await, no other read.
      for (const [i, entry] of log.entries()) {
        if (entry.op !== 'rate' && entry.op !== 'bulkRate') continue;
        let j = i - 1;
        while (j >= 0 && (log[j].op === 'rate' || log[j].op === 'bulkRate')) j -= 1;
        expect(log[j]?.op, `request ${i}`).toBe('read');
        for (const key of entry.keys) expect(log[j].keys).toContain(key);
      }
    },
  );
});

describe('bulk edits are grouped by value across the whole run', () => {
  it.each([25, 50, 100])('one several-id edit per (kind, value), split only at the batch size (%i)', async (batchSize) => {
    const { plex, engine } = await setup(52, { bulk: 'honoured' }, { mode: 'bulk', batchSize });
    const plan = planFullPass(engine.deps.store, engine.deps.params, TAG);
    const groups = new Map<string, number>();
    for (const w of plan.writes) groups.set(`${w.kind}:${w.value}`, (groups.get(`${w.kind}:${w.value}`) ?? 0) + 1);
    const minimal = [...groups.values()].reduce((n, size) => n + Math.ceil(size / batchSize), 0);
    const result = await runFullPass(engine.deps);
    expect(result.outcome!.written).toBe(plan.writes.length);
    expect(plex.requests.rate).toBe(0);
    expect(plex.requests.bulkRate).toBe(minimal);
    expect(result.outcome!.ratingRequests).toBe(minimal);
  });
});

describe('undo uses the write modes of a pass', () => {
  it.each(['bulk', 'auto'] as const)('%s mode: undo of a fill costs at most twice the fill and restores it exactly', async (mode) => {
    const { plex, engine } = await setup(53, { bulk: 'honoured', roundRatings: true }, { mode, batchSize: 100 });
    const original = plex.ratings();
    const fill = await runFullPass(engine.deps);
    expect(fill.outcome!.mode).toBe('bulk');
    const fillRequests = totalRequests(plex);
    const before = { ...plex.requests };
    const undo = await undoWrites(engine.deps, { runId: fill.runId });
    const undoRequests = totalRequests(plex) - fillRequests;
    expect(undo.leftAlone).toBe(0);
    expect(plex.ratings()).toEqual(original);
    for (const item of plex.items.values()) expect(item.moods).not.toContain(TAG);
    expect(plex.requests.rate - before.rate).toBe(0); // clears went out as several-id edits too
    expect(undoRequests).toBeLessThanOrEqual(2 * fillRequests);
    expect(engine.deps.store.journal.pending()).toEqual([]);
  });

  it.each(['ignored', 'zero'] as const)(
    'a server that treats a several-id clear as %s: undo falls back to /:/rate and still restores exactly',
    async (bulkClear) => {
      const { plex, engine } = await setup(54, { bulk: 'honoured', bulkClear, roundRatings: true }, { mode: 'auto', batchSize: 100 });
      const original = plex.ratings();
      const fill = await runFullPass(engine.deps);
      const undo = await undoWrites(engine.deps, { runId: fill.runId });
      expect(undo.leftAlone).toBe(0);
      expect(plex.ratings()).toEqual(original);
      for (const item of plex.items.values()) expect(item.moods).not.toContain(TAG);
      expect(engine.deps.store.journal.pending()).toEqual([]);
      expect(engine.deps.store.state.counts().inferred).toBe(0);
      // Nothing left for a later undo --all either: the probe's stored values were Sagewire's and are undone.
      expect((await undoWrites(engine.deps, 'all')).items).toEqual([]);
    },
  );
});

describe('undo --all undoes everything', () => {
  it("after an earlier undo of a later run, every item returns to its value before Sagewire (a person's later rating kept)", async () => {
    const { lib, plex, engine } = await setup(55, { roundRatings: true });
    const original = plex.ratings();
    await runFullPass(engine.deps);
    const expected = new Map(original);
    const unrated = lib.items.filter((i) => i.kind === 'track' && i.rating === null && engine.deps.store.state.get(i.key));
    for (const [n, t] of unrated.slice(0, 30).entries()) {
      plex.userRate(t.key, n % 2 ? 2 : 10);
      expected.set(t.key, plex.items.get(t.key)!.rating);
    }
    syncCacheFrom(engine.handle.sqlite, plex);
    const second = await runFullPass(engine.deps);
    expect(second.plan.writes.some((w) => w.reason === 'moved')).toBe(true);
    const first = await undoWrites(engine.deps, { runId: second.runId });
    expect(first.restored).toBeGreaterThan(0);
    const all = await undoWrites(engine.deps, 'all');
    expect(all.items.filter((i) => i.result === 'failed')).toEqual([]);
    expect(plex.ratings()).toEqual(expected);
    for (const item of plex.items.values()) expect(item.moods).not.toContain(TAG);
    expect(engine.deps.store.state.counts().inferred).toBe(0);
  });
});

describe('inferred-tag edits are as durable as rating writes', () => {
  it.each([61, 62, 63, 66, 67])(
    'a fifth of requests failing and crashes at random writes: verify finds no tag problem afterwards (seed %i)',
    async (seed) => {
      const { lib, plex, engine } = await setup(
        seed,
        { bulk: 'honoured', faults: { rate: 0.2, seed, ops: ['read', 'rate', 'bulkRate', 'editMoods'] } },
        { mode: 'auto', batchSize: 20 },
      );
      const random = rng(seed * 7);
      // A person runs `infer` until it finishes (a failed or crashed run is simply run again).
      const passUntilDone = async () => {
        for (let attempt = 0; attempt < 60; attempt++) {
          if (random() < 0.3) plex.crashAtWrite(1 + Math.floor(random() * 40), random() < 0.5);
          try {
            const result = await runFullPass(engine.deps);
            plex.revive();
            if (result.status === 'done') return;
          } catch {
            plex.revive();
          }
        }
        throw new Error('no pass finished in 60 attempts');
      };
      await passUntilDone();
      // The person takes some inferred items over and clears others (opt-outs): tags must come off.
      const inferred = lib.items.filter((i) => engine.deps.store.state.get(i.key)?.writtenValue != null);
      for (const [n, item] of inferred.filter((_, i) => i % 7 === 0).entries()) plex.userRate(item.key, n % 3 === 0 ? null : 1 + (n % 10));
      syncCacheFrom(engine.handle.sqlite, plex);
      await passUntilDone();
      expect(plex.faultsInjected.editMoods).toBeGreaterThan(0);
      plex.setFaultRate(0);
      syncCacheFrom(engine.handle.sqlite, plex); // what `sagewire verify` does first
      const report = await verifyState(engine.deps);
      expect(report.problems.filter((p) => p.finding === 'tag_missing' || p.finding === 'tag_stray')).toEqual([]);
      expect(engine.deps.store.journal.pending()).toEqual([]);
    },
  );

  it("a takeover's tag removal that fails once is sent again, not dropped", async () => {
    const options: FakePlexOptions = {};
    const { lib, plex, engine } = await setup(65, options, { mode: 'rate', batchSize: 50 });
    await runFullPass(engine.deps);
    const taken = lib.items
      .filter((i) => engine.deps.store.state.get(i.key)?.writtenValue != null)
      .slice(0, 10)
      .map((i) => i.key);
    for (const key of taken) plex.userRate(key, 8);
    syncCacheFrom(engine.handle.sqlite, plex);
    let failures = 0;
    options.onRequest = (op) => {
      if (op === 'editMoods' && failures === 0) {
        failures += 1;
        throw new Error('500 once');
      }
    };
    const result = await runFullPass(engine.deps);
    expect(result.status).toBe('done');
    expect(result.outcome!.takeovers).toBe(taken.length);
    expect(failures).toBe(1);
    for (const key of taken) expect(plex.items.get(key)!.moods, key).not.toContain(TAG);
    syncCacheFrom(engine.handle.sqlite, plex);
    const report = await verifyState(engine.deps);
    expect(report.problems.filter((p) => p.finding === 'tag_missing' || p.finding === 'tag_stray')).toEqual([]);
  });

  it('a tag edit that keeps failing stops the run and stays journaled; the next reconcile sends it', async () => {
    const { plex, engine } = await setup(64, { faults: { rate: 0, seed: 1, ops: ['editMoods'] } }, { mode: 'rate', batchSize: 50 });
    plex.setFaultRate(1);
    await expect(runFullPass(engine.deps)).rejects.toThrow(/inferred-tag edit/);
    const pending = engine.deps.store.journal.pending();
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((e) => e.operation === 'tag_add')).toBe(true);
    plex.setFaultRate(0);
    const next = await runFullPass(engine.deps);
    expect(next.reconciled!.applied).toBeGreaterThanOrEqual(pending.length);
    expect(engine.deps.store.journal.pending()).toEqual([]);
    for (const [key, claim] of engine.deps.store.state.loadAll())
      if (claim.writtenValue != null) expect(plex.items.get(key)!.moods, key).toContain(TAG);
  });
});
