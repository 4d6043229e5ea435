// A counting semaphore: at most `max` tasks run at once, the rest wait in order. Shared between
// listings so a sync of artists, albums and tracks together still keeps a fixed load on Plex.

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(max: number): Limiter {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`plex: concurrency must be a positive integer, got ${max}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finishing task hands its slot straight to the next waiter, so no newcomer can slip in between.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/** Runs `task` over `inputs` with at most `concurrency` at once; results keep the input order. */
export async function mapLimited<I, O>(inputs: readonly I[], concurrency: number, task: (input: I) => Promise<O>): Promise<O[]> {
  const limit = createLimiter(concurrency);
  return Promise.all(inputs.map((input) => limit(() => task(input))));
}
