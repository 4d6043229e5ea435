// The reports' cache: one computation per model, the first view waits for it, a later change is waited for
// briefly and otherwise answered with the previous numbers marked stale (only while those are seconds old),
// computations never overlap.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RatingModel } from '../../../src/web/read-models/ui-model.js';
import { ReportsCache, type Reports } from '../../../src/web/read-models/reports.js';

const model = (name: string) => ({ name }) as unknown as RatingModel;
const reportsFor = (m: RatingModel) => ({ mu: Number((m as unknown as { name: string }).name.slice(1)) }) as unknown as Reports;

/** A computation the test finishes by hand, recording what ran and whether two ever overlapped. */
function controlled() {
  const calls: string[] = [];
  const pending: Array<() => void> = [];
  let active = 0;
  let overlapped = false;
  const compute = async (m: RatingModel) => {
    calls.push((m as unknown as { name: string }).name);
    active += 1;
    if (active > 1) overlapped = true;
    await new Promise<void>((resolve) => pending.push(resolve));
    active -= 1;
    return reportsFor(m);
  };
  return { compute, calls, finish: () => pending.shift()?.(), overlapped: () => overlapped };
}

// The cache's own wait window is a timer: the tests drive it with fake timers, so nothing depends on how
// busy the machine is. `tick(ms)` moves the clock by `ms` and runs what is due, with the promises it settles.
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

describe('ReportsCache', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('the first view waits; the same model is answered from the cache without computing again', async () => {
    const c = controlled();
    const cache = new ReportsCache(c.compute, 20);
    const m1 = model('m1');
    const first = cache.get(m1);
    await tick(40); // longer than waitMs: the first view still waits, there is nothing older to show
    c.finish();
    expect(await first).toMatchObject({ reports: { mu: 1 }, stale: false });
    expect(await cache.get(m1)).toMatchObject({ reports: { mu: 1 }, stale: false });
    expect(await cache.get(m1)).toMatchObject({ reports: { mu: 1 }, stale: false });
    expect(c.calls).toEqual(['m1']);
  });

  it('after a change: a quick computation is waited for; a slow one is answered with the previous numbers, marked stale', async () => {
    const c = controlled();
    const cache = new ReportsCache(c.compute, 30);
    const m1 = model('m1');
    const first = cache.get(m1);
    await tick();
    c.finish();
    await first;

    const m2 = model('m2');
    const quick = cache.get(m2);
    await tick(5);
    c.finish();
    expect(await quick).toMatchObject({ reports: { mu: 2 }, stale: false });

    const m3 = model('m3');
    // Answered while m3's computation is still unfinished (only c.finish() ends it): it did not wait for it.
    const answer = cache.get(m3);
    await tick(30);
    const slow = await answer;
    expect(slow).toMatchObject({ reports: { mu: 2 }, stale: true });
    expect(c.calls).toEqual(['m1', 'm2', 'm3']);
    c.finish();
    await tick(5);
    expect(await cache.get(m3)).toMatchObject({ reports: { mu: 3 }, stale: false });
  });

  it('numbers minutes old are not answered in place of new ones: the first view after a quiet spell waits', async () => {
    const c = controlled();
    const cache = new ReportsCache(c.compute, 30, 10_000);
    const warmed = cache.get(model('m1')); // warmed at start
    await tick();
    c.finish();
    await warmed;
    await tick(5 * 60_000); // a full pass changed the model; nobody looked for five minutes
    let answered = false;
    const firstVisit = cache.get(model('m2')).then((view) => {
      answered = true;
      return view;
    });
    await tick(300); // ten times the wait window: still waiting for the new numbers
    expect(answered).toBe(false);
    c.finish();
    expect(await firstVisit).toMatchObject({ reports: { mu: 2 }, stale: false, at: Date.now() });
  });

  it('numbers seconds old are still answered at once while new ones compute', async () => {
    const c = controlled();
    const cache = new ReportsCache(c.compute, 30, 10_000);
    const first = cache.get(model('m1'));
    await tick();
    c.finish();
    await first;
    await tick(9_000);
    const answer = cache.get(model('m2'));
    await tick(30);
    expect(await answer).toMatchObject({ reports: { mu: 1 }, stale: true });
    c.finish();
  });

  it('when the new numbers fail, old ones are answered marked stale rather than an error', async () => {
    let fail = false;
    const cache = new ReportsCache(
      async (m) => {
        if (fail) throw new Error('boom');
        return reportsFor(m);
      },
      30,
      10_000,
    );
    await cache.get(model('m1'));
    await tick(60_000);
    fail = true;
    expect(await cache.get(model('m2'))).toMatchObject({ reports: { mu: 1 }, stale: true });
  });

  it('never runs two computations at once; a newer model waits for the one in flight', async () => {
    const c = controlled();
    const cache = new ReportsCache(c.compute, 1);
    const first = cache.get(model('m1'));
    await tick();
    c.finish();
    await first;
    const m2 = model('m2');
    const m3 = model('m3');
    const m2Answer = cache.get(m2);
    await tick(1);
    await m2Answer; // stale answer; m2 computing
    const m3Answer = cache.get(m3);
    await tick(1);
    await m3Answer; // stale answer; m3 queued behind m2
    expect(c.calls).toEqual(['m1', 'm2']);
    c.finish();
    await tick(5);
    expect(c.calls).toEqual(['m1', 'm2', 'm3']);
    c.finish();
    await tick(5);
    expect(await cache.get(m3)).toMatchObject({ reports: { mu: 3 }, stale: false });
    expect(c.overlapped()).toBe(false);
  });

  it('a failed computation fails the first view and is tried again on the next', async () => {
    let fail = true;
    const cache = new ReportsCache(async (m) => {
      if (fail) throw new Error('boom');
      return reportsFor(m);
    });
    const m1 = model('m1');
    await expect(cache.get(m1)).rejects.toThrow('boom');
    fail = false;
    expect(await cache.get(m1)).toMatchObject({ reports: { mu: 1 }, stale: false });
  });
});
