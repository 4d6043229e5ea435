// Step 5.1 and 5.3: every copy of a song carries the same rating.
//   cluster with manual members → mean of the manual members' ratings (the anchors; never written)
//   otherwise                  → mean of the members' step-2 values (members without one are left out;
//                                no member with one → no value)
// Opted-out members are not written and get no value, but their step-2 value is still averaged: a cluster's
// value then depends only on the library and the manual ratings, never on which copy the person cleared,
// so the full pass and subtree recomputation agree whatever the opt-out state.
// Sums run in cluster member order (input order) for bit-for-bit determinism.
import type { RatingContext } from './rate-artist.js';

export function twinClusterValue(
  ctx: RatingContext,
  members: readonly number[],
  fromAlbum: (track: number) => number | null,
): number | null {
  const { tracks } = ctx.index.snapshot;
  let manualSum = 0;
  let manualCount = 0;
  for (const t of members) {
    const manual = ctx.ownership.manual.get(tracks[t].key);
    if (manual !== undefined) {
      manualSum += manual;
      manualCount += 1;
    }
  }
  if (manualCount > 0) return manualSum / manualCount;
  let sum = 0;
  let count = 0;
  for (const t of members) {
    const value = fromAlbum(t);
    if (value !== null) {
      sum += value;
      count += 1;
    }
  }
  return count > 0 ? sum / count : null;
}

/** Tracks that may carry an inferred value: neither manual nor opted out. */
export function isInferableTrack(ctx: RatingContext, key: string): boolean {
  return !ctx.ownership.manual.has(key) && !ctx.ownership.optedOut.has(key);
}
