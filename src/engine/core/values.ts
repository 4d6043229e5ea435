// Comparing ratings the way ownership does: two values are the same within 0.05 points (Plex may store a
// written value rounded to one decimal, or as a float32), and "unrated" equals only "unrated".
import { TAKEOVER_TOLERANCE } from '../../domain/rating/index.js';

export function sameRating(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < TAKEOVER_TOLERANCE;
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
