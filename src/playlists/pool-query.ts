// The pool: hard filters over the in-memory index, the domain's score for every track that passes, the
// best few thousand materialised, then caps and twin collapse (domain/rank.ts). Filter semantics:
// within a kind any value matches, every kind given must match; tags requested that the library does
// not have match nothing (the service reports them before getting here). Listening filters read Plex's
// play and skip counts as synced, so "never played" here is what Plex's own `viewCount=0` means.
import {
  capsFor,
  favouredSet,
  rankTracks,
  selectDiverse,
  varietyOfHash,
  type FilterSpec,
  type PoolTrack,
  type RankSpec,
  type RankedTrack,
} from '../domain/playlist/index.js';
import { norm } from '../domain/rating/text-match.js';
import type { PoolIndex } from './pool-index.js';
import type { PoolIndexCache } from './pool-index-cache.js';

export interface PoolRequest {
  filters: FilterSpec;
  rank: RankSpec;
  /** Tracks wanted in the pool (before the token budget trims it). */
  size: number;
  favouredArtistShare?: number;
}

export interface Pool {
  /** Diversified and twin-collapsed, best first. */
  tracks: PoolTrack[];
  /** The best candidates, ranked: what top-up fill draws from. */
  ranked: RankedTrack[];
  /** Tracks the hard filters admit in the whole library. */
  matching: number;
}

type Test = (i: number) => boolean;

/** A flag per tag id: 1 when the tag is one of `tags` of `kind`. */
function tagFlags(index: PoolIndex, kind: string, tags: readonly string[]): Uint8Array {
  const flags = new Uint8Array(index.tagNames.length);
  for (const tag of tags) {
    const id = index.tagId.get(`${kind}\u0000${tag.toLowerCase()}`);
    if (id !== undefined) flags[id] = 1;
  }
  return flags;
}

/** Seconds in a month of `notPlayedMonths`: 30 days, as Plex's relative date `1mon`. */
const MONTH_SECONDS = 30 * 86_400;

/** `now` (epoch seconds) is when "not played for N months" counts back from. */
function compile(index: PoolIndex, f: FilterSpec, now: number = Date.now() / 1000): Test {
  const tests: Test[] = [];
  const tagTests: Test[] = [];
  for (const [kind, tags] of [
    ['genre', f.genres],
    ['style', f.styles],
    ['mood', f.moods],
  ] as const) {
    if (!tags?.length) continue;
    const wanted = tagFlags(index, kind, tags);
    const { tagStart, tagIds } = index;
    tagTests.push((i) => {
      for (let p = tagStart[i], end = tagStart[i + 1]; p < end; p++) if (wanted[tagIds[p]] === 1) return true;
      return false;
    });
  }
  if (f.artists?.length) {
    const names = new Set(f.artists.map(norm));
    tests.push((i) => names.has(index.artistNorms[i]) || names.has(index.albumArtistNorms[i]));
  }
  if (f.decades?.length) {
    const decades = new Set(f.decades);
    tests.push((i) => index.years[i] !== 0 && decades.has(index.years[i] - (index.years[i] % 10)));
  }
  if (f.yearRange) {
    const [from, to] = f.yearRange;
    tests.push((i) => index.years[i] >= from && index.years[i] <= to);
  }
  if (f.minRating !== undefined && f.minRating > 0) {
    const points = f.minRating * 2 - 1e-6;
    tests.push((i) => index.ratings[i] >= points);
    if (f.includeInferred === false) tests.push((i) => index.inferred[i] === 0);
  }
  if (f.excludeLive) tests.push((i) => index.live[i] === 0);
  const { plays, skips, lastPlayed } = index;
  if (f.neverPlayed) tests.push((i) => plays[i] === 0);
  if (f.minPlays !== undefined && f.minPlays > 0) {
    const min = f.minPlays;
    tests.push((i) => plays[i] >= min);
  }
  if (f.notPlayedMonths !== undefined && f.notPlayedMonths > 0) {
    const since = now - f.notPlayedMonths * MONTH_SECONDS;
    tests.push((i) => lastPlayed[i] <= since);
  }
  if (f.maxSkipRatio !== undefined && f.maxSkipRatio < 1) {
    // skips ≤ ratio × (plays + skips), kept in multiplications; no plays and no skips passes (0 ≤ 0).
    const ratio = f.maxSkipRatio;
    tests.push((i) => skips[i] <= ratio * (plays[i] + skips[i]) + 1e-9);
  }
  if (f.excludeKeys?.length) {
    const out = new Uint8Array(index.size);
    for (const key of f.excludeKeys) {
      const i = index.position.get(key);
      if (i !== undefined) out[i] = 1;
    }
    tests.push((i) => out[i] === 0);
  }
  // Cheap column tests first, tag scans last.
  const all = [...tests, ...tagTests];
  return (i) => {
    for (const t of all) if (!t(i)) return false;
    return true;
  };
}

function materialise(index: PoolIndex, i: number): PoolTrack {
  const tags = { genres: [] as string[], styles: [] as string[], moods: [] as string[] };
  for (let p = index.tagStart[i]; p < index.tagStart[i + 1]; p++) {
    const id = index.tagIds[p];
    (index.tagKinds[id] === 0 ? tags.genres : index.tagKinds[id] === 1 ? tags.styles : tags.moods).push(index.tagNames[id]);
  }
  return {
    ratingKey: index.keys[i],
    title: index.titles[i],
    artist: index.artists[i],
    artistKey: index.artistKeys[i],
    album: index.albums[i],
    albumKey: index.albumKeys[i],
    year: index.years[i] || null,
    durationMs: index.durations[i] < 0 ? null : index.durations[i],
    rating: Number.isNaN(index.ratings[i]) ? null : index.ratings[i],
    tags,
    live: index.live[i] === 1,
    thumb: index.thumbs[i],
  };
}

/** The domain's score (rank.ts) over index columns, so only the best need materialising. */
function scorer(index: PoolIndex, rank: RankSpec): (i: number) => number {
  const wanted = [tagFlags(index, 'genre', rank.genres), tagFlags(index, 'style', rank.styles), tagFlags(index, 'mood', rank.moods)];
  const asked = [rank.genres.length, rank.styles.length, rank.moods.length];
  const kindsAsked = asked.filter((n) => n > 0).length;
  const favoured = favouredSet(rank);
  return (i) => {
    let tags = 0;
    if (kindsAsked > 0) {
      const hits = [0, 0, 0];
      for (let p = index.tagStart[i]; p < index.tagStart[i + 1]; p++) {
        const id = index.tagIds[p];
        const kind = index.tagKinds[id];
        hits[kind] += wanted[kind][id];
      }
      for (let k = 0; k < 3; k++) if (asked[k] > 0) tags += hits[k] / asked[k];
      tags /= kindsAsked;
    }
    const rating = Number.isNaN(index.ratings[i]) ? 0.5 : index.ratings[i] / 10;
    const era = rank.year === null || index.years[i] === 0 ? 0 : Math.max(0, 1 - Math.abs(index.years[i] - rank.year) / 20);
    return (
      3 * tags +
      4 * (favoured.size > 0 && favoured.has(index.artistNorms[i]) ? 1 : 0) +
      1.5 * rating +
      era +
      0.75 * varietyOfHash(rank.seed, index.keyHashes[i])
    );
  };
}

export class PoolQuery {
  private readonly scratch = new WeakMap<PoolIndex, Int32Array>();

  constructor(
    private readonly cache: PoolIndexCache,
    /** Now in epoch seconds, for the listening filters (tests fix it). */
    private readonly clock: () => number = () => Date.now() / 1000,
  ) {}

  /** The index in effect (reloaded when the library or ratings moved). */
  index(): PoolIndex {
    return this.cache.current();
  }

  /** One track of the library, or null. */
  track(ratingKey: string): PoolTrack | null {
    const index = this.cache.current();
    const i = index.position.get(ratingKey);
    return i === undefined ? null : materialise(index, i);
  }

  /** The most common genres and styles on the named artists' tracks: what "songs like X" prefers. */
  artistTags(names: readonly string[], max = 3): { genres: string[]; styles: string[] } {
    const index = this.cache.current();
    const wanted = new Set(names.map(norm));
    const counts = new Map<number, number>();
    for (let i = 0; i < index.size; i++) {
      if (!wanted.has(index.artistNorms[i])) continue;
      for (let p = index.tagStart[i]; p < index.tagStart[i + 1]; p++) counts.set(index.tagIds[p], (counts.get(index.tagIds[p]) ?? 0) + 1);
    }
    const top = (kind: number) =>
      [...counts]
        .filter(([id]) => index.tagKinds[id] === kind)
        .sort((a, b) => b[1] - a[1])
        .slice(0, max)
        .map(([id]) => index.tagNames[id]);
    return { genres: top(0), styles: top(1) };
  }

  count(filters: FilterSpec): number {
    const index = this.cache.current();
    const test = compile(index, filters, this.clock());
    let n = 0;
    for (let i = 0; i < index.size; i++) if (test(i)) n++;
    return n;
  }

  /**
   * The positions of every track the filters admit, with the index they index (album recommendations aggregate
   * them). The positions are a view of one buffer kept per index and reused by the next call: read them before
   * anything else asks. A fresh 1.2 MB buffer per call at 300,000 tracks is memory outside the heap that V8
   * answers with full collections of the whole index, which is where the slow requests came from.
   */
  matchingTracks(filters: FilterSpec): { index: PoolIndex; positions: Int32Array } {
    const index = this.cache.current();
    const test = compile(index, filters, this.clock());
    let positions = this.scratch.get(index);
    if (!positions) {
      positions = new Int32Array(index.size);
      this.scratch.set(index, positions);
    }
    let n = 0;
    for (let i = 0; i < index.size; i++) if (test(i)) positions[n++] = i;
    return { index, positions: positions.subarray(0, n) };
  }

  build(request: PoolRequest): Pool {
    const index = this.cache.current();
    const test = compile(index, request.filters, this.clock());
    const score = scorer(index, request.rank);
    const matches = new Int32Array(index.size);
    const scores = new Float64Array(index.size);
    let n = 0;
    for (let i = 0; i < index.size; i++) {
      if (!test(i)) continue;
      matches[n] = i;
      scores[n++] = score(i);
    }
    const caps = capsFor(request.size, request.favouredArtistShare);
    const favoured = favouredSet(request.rank);
    for (let limit = Math.max(2000, request.size * 6); ; limit *= 4) {
      const best = topIndices(scores, n, limit);
      const ranked = rankTracks(
        best.map((o) => materialise(index, matches[o])),
        request.rank,
      );
      const tracks = selectDiverse(ranked, request.size, caps, favoured);
      if (tracks.length >= request.size || limit >= n) return { tracks, ranked, matching: n };
    }
  }
}

/** Positions of the `k` highest of `scores[0..n)`: a quickselect for the threshold, then one pass. */
function topIndices(scores: Float64Array, n: number, k: number): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  const copy = scores.slice(0, n);
  let lo = 0;
  let hi = n - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = copy[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (copy[i] > pivot) i++;
      while (copy[j] < pivot) j--;
      if (i <= j) {
        const t = copy[i];
        copy[i] = copy[j];
        copy[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  const threshold = copy[target];
  const above: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    if (scores[i] > threshold) above.push(i);
    else if (scores[i] === threshold) at.push(i);
  }
  return above.concat(at.slice(0, k - above.length));
}
