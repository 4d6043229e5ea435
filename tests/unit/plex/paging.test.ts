import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../src/plex/limit.js';
import { pagedListing, type PageFetcher } from '../../../src/plex/paging.js';
import type { PlexPage } from '../../../src/plex/types.js';

/** Lets `turns` turns of the event loop pass: pages answer in an order other than the one they were asked in. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A listing of `total` numbers whose pages are capped at `cap` rows (a server that returns short pages). */
function fakeListing(total: () => number, cap = Infinity, calls: [number, number][] = []): PageFetcher<number> {
  return async (start, size) => {
    calls.push([start, size]);
    await turns(3 - (calls.length % 3));
    const n = Math.max(0, Math.min(size, cap, total() - start));
    return { items: Array.from({ length: n }, (_, i) => start + i), offset: start, totalSize: total() };
  };
}

async function collect(gen: AsyncGenerator<PlexPage<number>>): Promise<number[]> {
  const out: number[] = [];
  for await (const page of gen) out.push(...page.items);
  return out.sort((a, b) => a - b);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('paged listings', () => {
  it.each([
    [1, 1, 1],
    [0, 7, 1],
    [1001, 1000, 1],
    [999, 7, 3],
    [2500, 333, 4],
  ])('lists all %i rows with page size %i and concurrency %i', async (total, pageSize, concurrency) => {
    expect(
      await collect(
        pagedListing(
          fakeListing(() => total),
          { pageSize, concurrency },
        ),
      ),
    ).toEqual(range(total));
  });

  it('never assumes a page is full: a short page is followed up', async () => {
    const calls: [number, number][] = [];
    const rows = await collect(
      pagedListing(
        fakeListing(() => 95, 30, calls),
        { pageSize: 50, concurrency: 3 },
      ),
    );
    expect(rows).toEqual(range(95));
    expect(calls).toContainEqual([30, 20]); // the rest of the first, short page
  });

  it('continues without totalSize until a short page', async () => {
    const noTotal: PageFetcher<number> = async (start, size) => {
      const n = Math.max(0, Math.min(size, 23 - start));
      return { items: Array.from({ length: n }, (_, i) => start + i), offset: start, totalSize: Number.NaN };
    };
    expect(await collect(pagedListing(noTotal, { pageSize: 5, concurrency: 4 }))).toEqual(range(23));
  });

  it('picks up rows added while listing', async () => {
    let total = 40;
    const fetcher = fakeListing(() => total);
    const rows: number[] = [];
    for await (const page of pagedListing(fetcher, { pageSize: 10 })) {
      rows.push(...page.items);
      if (rows.length === 10) total = 45;
    }
    expect(rows.sort((a, b) => a - b)).toEqual(range(45));
  });

  it('keeps at most `concurrency` pages in flight, and a shared limiter caps several listings', async () => {
    let inFlight = 0;
    let peak = 0;
    const fetcher: PageFetcher<number> = async (start, size) => {
      peak = Math.max(peak, ++inFlight);
      await turns(2);
      inFlight--;
      const n = Math.max(0, Math.min(size, 200 - start));
      return { items: Array.from({ length: n }, (_, i) => start + i), offset: start, totalSize: 200 };
    };
    const limiter = createLimiter(3);
    await Promise.all([1, 2, 3].map(() => collect(pagedListing(fetcher, { pageSize: 10, concurrency: 3, limiter }))));
    expect(peak).toBe(3);
  });

  it('fails with the first error and cancels the pages in flight', async () => {
    const aborted: number[] = [];
    const fetcher: PageFetcher<number> = (start, size, signal) =>
      new Promise((resolve, reject) => {
        if (start === 0) return resolve({ items: range(size), offset: 0, totalSize: 100 });
        if (start === 10) return setImmediate(() => reject(new Error('page 10 failed')));
        signal.addEventListener('abort', () => {
          aborted.push(start);
          reject(new Error('aborted'));
        });
      });
    await expect(collect(pagedListing(fetcher, { pageSize: 10, concurrency: 4 }))).rejects.toThrow('page 10 failed');
    expect(aborted.length).toBeGreaterThan(0);
  });

  it('rejects a nonsensical page size', async () => {
    await expect(
      collect(
        pagedListing(
          fakeListing(() => 3),
          { pageSize: 0 },
        ),
      ),
    ).rejects.toThrow(RangeError);
  });
});
