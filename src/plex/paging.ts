// Paged listings. Plex answers `X-Plex-Container-Start/Size` with `offset`, `size` and `totalSize`,
// but a page may come back shorter than asked (and the library may change while we read), so the
// only stop rule is "offset + size ≥ totalSize". After the first page tells the total, the rest are
// fetched several at a time; a short page queues a follow-up for the rows it did not return.
import type { Limiter } from './limit.js';
import type { PlexPage } from './types.js';

export type PageFetcher<T> = (start: number, size: number, signal: AbortSignal) => Promise<PlexPage<T>>;

export interface PagingOptions {
  pageSize: number;
  start?: number;
  /** Pages in flight at once for this listing. */
  concurrency?: number;
  /** Shared cap across listings. */
  limiter?: Limiter;
  signal?: AbortSignal;
}

interface Range {
  start: number;
  size: number;
}

type Settled<T> = { range: Range; page: PlexPage<T> } | { range: Range; error: unknown };

/** Yields pages as they arrive (not necessarily in offset order). */
export async function* pagedListing<T>(fetchPage: PageFetcher<T>, options: PagingOptions): AsyncGenerator<PlexPage<T>> {
  const { pageSize } = options;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`plex: pageSize must be a positive integer, got ${pageSize}`);
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const run = options.limiter ?? (<R>(task: () => Promise<R>) => task());
  // Our own controller, so a failure or an early `break` by the consumer cancels pages in flight.
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const queue: Range[] = [];
  const inflight = new Map<Range, Promise<Settled<T>>>();
  let total = Number.NaN;
  let planned = options.start ?? 0; // everything below this offset is queued, in flight or done

  const launch = (range: Range) => {
    const settled = run(() => fetchPage(range.start, range.size, controller.signal)).then(
      (page): Settled<T> => ({ range, page }),
      (error: unknown): Settled<T> => ({ range, error }),
    );
    inflight.set(range, settled);
  };
  const planUpTo = (end: number) => {
    for (; planned < end; planned += pageSize) queue.push({ start: planned, size: Math.min(pageSize, end - planned) });
  };

  try {
    queue.push({ start: planned, size: pageSize });
    planned += pageSize;
    while (queue.length > 0 || inflight.size > 0) {
      while (queue.length > 0 && inflight.size < concurrency) launch(queue.shift()!);
      const done = await Promise.race(inflight.values());
      inflight.delete(done.range);
      if ('error' in done) throw done.error;
      const { range, page } = done;
      const got = page.items.length;
      if (Number.isFinite(page.totalSize)) total = page.totalSize;
      const end = range.start + got;
      if (!Number.isFinite(total)) {
        // No totalSize: continue one page at a time until a short page.
        if (got >= range.size) queue.push({ start: end, size: pageSize });
      } else {
        // A short page that did not reach the end: ask again for what it left out.
        if (got > 0 && got < range.size && end < total) queue.push({ start: end, size: range.size - got });
        // The total may have grown since the first page.
        if (got > 0 || range.start === (options.start ?? 0)) planUpTo(total);
      }
      yield page;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (inflight.size > 0) controller.abort();
  }
}
