// The seed-track flow. Offline, the seed is described from what the library knows (tags, year, artist,
// length); either way the person ticks dimensions and the pool is built around the seed:
//   hard: its genres when a genre/style dimension is kept, its era ± a decade when an era one is, no live
//         versions unless the seed itself is live;
//   soft: its genres/styles/moods preferred (similar artists surface through shared tags), its artist
//         favoured, years near its own preferred.
import { energy } from './sequence.js';
import type { FilterSpec, PoolTrack, RankSpec, SeedDimension } from './types.js';

const list = (values: readonly string[], max: number): string => values.slice(0, max).join(', ');

export function describeSeedOffline(seed: PoolTrack): SeedDimension[] {
  const dims: SeedDimension[] = [];
  const { genres, styles, moods } = seed.tags;
  if (genres.length || styles.length) {
    dims.push({
      dimension: 'genre',
      description: styles.length ? `${list(styles, 3)}${genres.length ? ` (${list(genres, 2)})` : ''}` : list(genres, 3),
    });
  }
  if (moods.length) dims.push({ dimension: 'mood', description: list(moods, 4) });
  if (seed.year !== null) dims.push({ dimension: 'era', description: `${Math.floor(seed.year / 10) * 10}s, around ${seed.year}` });
  const e = energy(seed);
  dims.push({ dimension: 'energy', description: e >= 0.65 ? 'driving, high-energy' : e <= 0.35 ? 'calm, low-key' : 'mid-tempo, balanced' });
  dims.push({ dimension: 'artist', description: `in the vein of ${seed.artist}` });
  if (seed.durationMs !== null) {
    const minutes = seed.durationMs / 60_000;
    const length = minutes >= 6 ? 'long-form, unhurried' : minutes <= 3 ? 'short and concise' : 'song-length';
    dims.push({
      dimension: 'length',
      description: `${length} (${Math.floor(minutes)}:${String(Math.round((minutes % 1) * 60)).padStart(2, '0')})`,
    });
  }
  if (seed.live) dims.push({ dimension: 'recording', description: 'a live recording' });
  return dims.slice(0, 7);
}

const kept = (keep: readonly SeedDimension[], pattern: RegExp): boolean => keep.some((d) => pattern.test(d.dimension));

export interface SeedPlan {
  filters: FilterSpec;
  rank: RankSpec;
}

export function seedPlan(seed: PoolTrack, keep: readonly SeedDimension[], variety: number): SeedPlan {
  const filters: FilterSpec = { excludeLive: !seed.live };
  if (kept(keep, /genre|style/i) && seed.tags.genres.length > 0) filters.genres = [...seed.tags.genres];
  if (kept(keep, /era|decade|year|period/i) && seed.year !== null) {
    filters.yearRange = [seed.year - 10, seed.year + 10];
  }
  return {
    filters,
    rank: {
      genres: [...seed.tags.genres],
      styles: [...seed.tags.styles],
      moods: kept(keep, /mood|feel|emotion|atmosphere/i) || keep.length === 0 ? [...seed.tags.moods] : [],
      artists: [seed.artist],
      year: seed.year,
      seed: variety,
    },
  };
}
