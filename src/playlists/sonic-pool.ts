// Sonic neighbours in the seed flow: the tracks Plex's sonic analysis puts nearest the seed join the pool
// ahead of everything the tag ranking found, nearest first, even when the seed's hard filters (its era
// window, its genres) would have left them out — they sound like the seed, which is what was asked for.
// Only what the person excluded outright stays out: live versions when live is excluded, and excluded keys.
// The diversity caps and twin collapse still apply to the merged ranking.
//   neighbour score = best pool score + 1 + (n − i) / n   (i = 0 for the nearest of n)
import {
  capsFor,
  favouredSet,
  selectDiverse,
  type FilterSpec,
  type PoolTrack,
  type RankSpec,
  type RankedTrack,
} from '../domain/playlist/index.js';
import type { Pool } from './pool-query.js';

export interface SonicPoolOptions {
  filters: FilterSpec;
  rank: RankSpec;
  size: number;
  favouredArtistShare?: number;
}

export function withSonicNeighbours(pool: Pool, neighbours: readonly PoolTrack[], options: SonicPoolOptions): Pool {
  const excluded = new Set(options.filters.excludeKeys ?? []);
  const eligible = neighbours.filter((t) => !excluded.has(t.ratingKey) && !(options.filters.excludeLive && t.live));
  if (eligible.length === 0) return pool;
  const top = pool.ranked[0]?.score ?? 0;
  const n = eligible.length;
  const boosted: RankedTrack[] = eligible.map((track, i) => ({ track, score: top + 1 + (n - i) / n }));
  const keys = new Set(eligible.map((t) => t.ratingKey));
  const ranked = [...boosted, ...pool.ranked.filter((r) => !keys.has(r.track.ratingKey))];
  const inPool = new Set(pool.ranked.map((r) => r.track.ratingKey));
  const added = eligible.filter((t) => !inPool.has(t.ratingKey)).length;
  const tracks = selectDiverse(ranked, options.size, capsFor(options.size, options.favouredArtistShare), favouredSet(options.rank));
  return { tracks, ranked, matching: pool.matching + added };
}
