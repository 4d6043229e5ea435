// Ranking: score every candidate, then walk the best first under diversity caps and twin collapse.
//   score = 3·tags + 4·favoured + 1.5·rating + 1·era + 0.75·variety
//   tags     = mean over the requested kinds of |track tags ∩ wanted| / |wanted|          (0–1)
//   favoured = 1 when the track or album artist is one the request names                   (0/1)
//   rating   = effective rating / 10, unrated counts as 0.5                                 (0–1)
//   era      = 1 − |year − centre| / 20, floored at 0 (seed flow only)                      (0–1)
//   variety  = hash(seed, ratingKey) in [0, 1): same seed, same order
import { norm } from '../rating/text-match.js';
import { twinKey } from './twin-key.js';
import type { DiversityCaps, PoolTrack, RankSpec } from './types.js';

export interface RankedTrack {
  track: PoolTrack;
  score: number;
}

/** FNV-1a of the key: seed-independent, so an index can compute it once per track. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A 32-bit mix of the seed and the key's hash, mapped to [0, 1). */
export function varietyOfHash(seed: number, hash: number): number {
  let h = (hash ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x2c1b3c6d) >>> 0;
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39) >>> 0;
  h ^= h >>> 15;
  return (h >>> 0) / 0x1_0000_0000;
}

export function variety(seed: number, key: string): number {
  return varietyOfHash(seed, keyHash(key));
}

function overlap(have: readonly string[], wanted: readonly string[]): number {
  if (wanted.length === 0) return 0;
  const set = new Set(have.map((t) => t.toLowerCase()));
  let hits = 0;
  for (const w of wanted) if (set.has(w.toLowerCase())) hits++;
  return hits / wanted.length;
}

export function favouredSet(spec: Pick<RankSpec, 'artists'>): Set<string> {
  return new Set(spec.artists.map(norm).filter((a) => a !== ''));
}

export function isFavoured(track: PoolTrack, favoured: ReadonlySet<string>): boolean {
  return favoured.size > 0 && favoured.has(norm(track.artist));
}

export function scoreTrack(track: PoolTrack, spec: RankSpec, favoured: ReadonlySet<string>): number {
  const kinds: [readonly string[], readonly string[]][] = [
    [track.tags.genres, spec.genres],
    [track.tags.styles, spec.styles],
    [track.tags.moods, spec.moods],
  ];
  const asked = kinds.filter(([, wanted]) => wanted.length > 0);
  const tags = asked.length === 0 ? 0 : asked.reduce((sum, [have, wanted]) => sum + overlap(have, wanted), 0) / asked.length;
  const rating = (track.rating ?? 5) / 10;
  const era = spec.year === null || track.year === null ? 0 : Math.max(0, 1 - Math.abs(track.year - spec.year) / 20);
  return 3 * tags + 4 * (isFavoured(track, favoured) ? 1 : 0) + 1.5 * rating + era + 0.75 * variety(spec.seed, track.ratingKey);
}

/** Best first; ties broken by ratingKey so the order never depends on input order. */
export function rankTracks(tracks: readonly PoolTrack[], spec: RankSpec): RankedTrack[] {
  const favoured = favouredSet(spec);
  return tracks
    .map((track) => ({ track, score: scoreTrack(track, spec, favoured) }))
    .sort((a, b) => b.score - a.score || (a.track.ratingKey < b.track.ratingKey ? -1 : a.track.ratingKey > b.track.ratingKey ? 1 : 0));
}

/** Caps for a list of `size` tracks: a few per artist, fewer per album. */
export function capsFor(size: number, favouredArtistShare = 0.3): DiversityCaps {
  return {
    perArtist: Math.max(2, Math.ceil(size * 0.08)),
    perAlbum: Math.max(1, Math.ceil(size * 0.05)),
    favouredArtistShare,
  };
}

/** Counts what is already chosen, so caps and twins hold across calls (model picks, top-up, fill). */
export class DiversityLedger {
  private readonly artists = new Map<string, number>();
  private readonly normCache = new Map<string, { artist: string; twin: string }>();
  private readonly albums = new Map<string, number>();
  private readonly twins = new Set<string>();
  private readonly keys = new Set<string>();

  constructor(
    private readonly caps: DiversityCaps,
    private readonly size: number,
    private readonly favoured: ReadonlySet<string>,
  ) {}

  /** Why the track cannot join, or null when it can. */
  refusal(track: PoolTrack, relax = 0): 'duplicate' | 'twin' | 'artist cap' | 'album cap' | null {
    if (this.keys.has(track.ratingKey)) return 'duplicate';
    const { artist, twin } = this.keysOf(track);
    if (this.twins.has(twin)) return 'twin';
    if (relax < 2) {
      const artistCap = this.favoured.has(artist)
        ? Math.max(this.caps.perArtist, Math.ceil(this.size * this.caps.favouredArtistShare))
        : this.caps.perArtist;
      if ((this.artists.get(artist) ?? 0) >= artistCap) return 'artist cap';
    }
    if (relax < 1 && (this.albums.get(track.albumKey) ?? 0) >= this.caps.perAlbum) return 'album cap';
    return null;
  }

  add(track: PoolTrack): void {
    const { artist, twin } = this.keysOf(track);
    this.artists.set(artist, (this.artists.get(artist) ?? 0) + 1);
    this.albums.set(track.albumKey, (this.albums.get(track.albumKey) ?? 0) + 1);
    this.twins.add(twin);
    this.keys.add(track.ratingKey);
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  private keysOf(track: PoolTrack): { artist: string; twin: string } {
    let keys = this.normCache.get(track.ratingKey);
    if (!keys) {
      keys = { artist: norm(track.artist), twin: twinKey(track) };
      this.normCache.set(track.ratingKey, keys);
    }
    return keys;
  }
}

/**
 * Walks `ranked` best first and keeps up to `limit` tracks under the caps, one copy per song. With
 * `relaxToFill`, a second and third walk lift the album cap and then the artist cap (never twins).
 */
export function selectDiverse(
  ranked: readonly RankedTrack[],
  limit: number,
  caps: DiversityCaps,
  favoured: ReadonlySet<string>,
  options: { relaxToFill?: boolean; ledger?: DiversityLedger } = {},
): PoolTrack[] {
  const ledger = options.ledger ?? new DiversityLedger(caps, limit, favoured);
  const chosen: PoolTrack[] = [];
  const passes = options.relaxToFill ? [0, 1, 2] : [0];
  for (const relax of passes) {
    for (const { track } of ranked) {
      if (chosen.length >= limit) return chosen;
      if (ledger.refusal(track, relax) !== null) continue;
      ledger.add(track);
      chosen.push(track);
    }
  }
  return chosen;
}

/**
 * The caps a list of `count` tracks is chosen under: `caps` when the ranked pool fills the list under them,
 * else the least lifted caps that do — the album cap first, then the artist cap, a track at a time, the order
 * the fill lifts them in. Picks (a model's, the offline picker's) and the fill then share one set of caps:
 * a pick is never a low-ranked track taken because the caps were strict while better-ranked tracks come
 * back as filler once the fill lifts the caps anyway. Lifting never refuses more, so the least lift is found
 * by bisection over the sequence of lifts (a few walks of the ranked pool).
 */
export function capsToFill(
  ranked: readonly RankedTrack[],
  count: number,
  caps: DiversityCaps,
  favoured: ReadonlySet<string>,
): DiversityCaps {
  const lifted = (steps: number): DiversityCaps => {
    let { perArtist, perAlbum } = caps;
    for (let i = 0; i < steps; i++) {
      if (perAlbum < perArtist) perAlbum++;
      else perArtist++;
    }
    return { ...caps, perArtist, perAlbum };
  };
  const reach = (c: DiversityCaps) => selectDiverse(ranked, count, c, favoured).length;
  let high = 0;
  while (lifted(high).perArtist < count || lifted(high).perAlbum < count) high++;
  const most = reach(lifted(high));
  if (reach(caps) >= most) return caps;
  let low = 0;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (reach(lifted(mid)) >= most) high = mid;
    else low = mid;
  }
  return lifted(high);
}
