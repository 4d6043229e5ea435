// Ranking owned albums for a request:
//   score = (1 + 3·fit + 3·favoured + 0.75·era)·(0.15 + 0.85·familiarity) + 0.2·variety
// The request's terms and the familiarity choice multiply: the album should both fit and be the kind of album
// asked for, so neither a perfect fit that is poorly rated (for a mode that promises good albums) nor a
// favourite that has nothing to do with the prompt comes first on one term alone.
//   fit         = mean over the album's matching tracks of the playlist's tag fit (requested tags present), 0–1
//   era         = 1 when the album's decade is one asked for, 0 otherwise
//   familiarity = by the chosen mode, 0–1, from the album's standing q (the share of the candidates rated below
//                 it: standing, not stars, because libraries differ in how generously they are rated and in
//                 what the model infers; unrated 0.1, as every mode promises a known-good album), plays per
//                 track p (log-scaled against the busiest candidate), months since the last play and the
//                 share of its ratings that are inferred:
//     comfort      q·(0.3 + 0.7·p)·(1 − 0.5·skip ratio)
//     hidden-gems  q²·(0.8 + 0.2·inferred share)·(1 − 0.8·p)   (a gem is good first, then unknown)
//     rediscover   q·away + 0.05·q, away = (months − 6) / 18 within 0–1: played in the last half year is not a
//                  rediscovery, two years or more fully is; never played is not a rediscovery either (0)
//     any          q
//   variety     = hash(seed, ratingKey): same request, same order
import { norm } from '../rating/text-match.js';
import { variety } from '../playlist/rank.js';
import type { PoolTrack } from '../playlist/types.js';
import type { AlbumRankSpec, AlbumSummary, Familiarity, RankedAlbum, TasteProfile } from './types.js';

const MONTH_SECONDS = 30.44 * 24 * 3600;

export interface FamiliarityContext {
  now: number;
  /** log1p of the highest plays per track among the candidates (≥ log1p(1)). */
  playScale: number;
}

export function playShare(a: Pick<AlbumSummary, 'plays' | 'tracks'>, ctx: Pick<FamiliarityContext, 'playScale'>): number {
  return Math.min(1, Math.log1p(a.plays / Math.max(1, a.tracks)) / ctx.playScale);
}

export function monthsSince(lastPlayed: number, now: number): number {
  return lastPlayed <= 0 ? Number.POSITIVE_INFINITY : Math.max(0, (now - lastPlayed) / MONTH_SECONDS);
}

export function familiarityScore(a: AlbumSummary, mode: Familiarity, ctx: FamiliarityContext, q: number): number {
  const p = playShare(a, ctx);
  switch (mode) {
    case 'comfort': {
      const skipRatio = a.plays + a.skips === 0 ? 0 : a.skips / (a.plays + a.skips);
      return q * (0.3 + 0.7 * p) * (1 - 0.5 * skipRatio);
    }
    case 'hidden-gems': {
      const inferredShare = a.rated === 0 ? 0 : a.inferred / a.rated;
      return q * q * (0.8 + 0.2 * inferredShare) * (1 - 0.8 * p);
    }
    case 'rediscover': {
      const months = monthsSince(a.lastPlayed, ctx.now);
      const away = Number.isFinite(months) ? Math.min(1, Math.max(0, (months - 6) / 18)) : 0;
      return q * away + 0.05 * q;
    }
    case 'any':
      return q;
  }
}

export function familiarityContext(albums: readonly AlbumSummary[], now: number): FamiliarityContext {
  let most = 1;
  for (const a of albums) most = Math.max(most, a.plays / Math.max(1, a.tracks));
  return { now, playScale: Math.log1p(most) };
}

/** Buckets of the rating histogram behind `ratingStanding` (0.05 points wide). */
const STANDING_BUCKETS = 200;
const UNRATED_STANDING = 0.1;

/** Each album's standing among `albums`: the share of the rated ones rated lower (ties count half); unrated
 *  ones 0.1. A histogram over the 0–10 scale, so it costs one pass whatever the number of albums. */
export function ratingStanding(albums: readonly Pick<AlbumSummary, 'rating'>[]): Float64Array {
  const bucketOf = (r: number) => Math.min(STANDING_BUCKETS - 1, Math.max(0, Math.floor((r / 10) * STANDING_BUCKETS)));
  const counts = new Float64Array(STANDING_BUCKETS);
  let rated = 0;
  for (const a of albums) {
    if (a.rating === null) continue;
    counts[bucketOf(a.rating)]++;
    rated++;
  }
  const below = new Float64Array(STANDING_BUCKETS);
  for (let b = 1; b < STANDING_BUCKETS; b++) below[b] = below[b - 1] + counts[b - 1];
  return Float64Array.from(albums, (a) => {
    if (a.rating === null || rated === 0) return UNRATED_STANDING;
    const b = bucketOf(a.rating);
    return (below[b] + 0.5 * (counts[b] - 1)) / Math.max(1, rated - 1);
  });
}

/** Best first (the best `limit` of them); ties by ratingKey so the order never depends on the input's. */
export function rankAlbums(albums: readonly AlbumSummary[], spec: AlbumRankSpec, limit = Number.POSITIVE_INFINITY): RankedAlbum[] {
  const ctx = familiarityContext(albums, spec.now);
  const decades = new Set(spec.decades);
  const n = albums.length;
  const scores = new Float64Array(n);
  const familiar = new Float64Array(n);
  const standing = ratingStanding(albums);
  for (let i = 0; i < n; i++) {
    const album = albums[i];
    familiar[i] = familiarityScore(album, spec.familiarity, ctx, standing[i]);
    const era = decades.size > 0 && album.year !== null && decades.has(album.year - (album.year % 10)) ? 1 : 0;
    const request = 1 + 3 * album.fit + 3 * (album.favoured ? 1 : 0) + 0.75 * era;
    scores[i] = request * (0.15 + 0.85 * familiar[i]) + 0.2 * variety(spec.seed, album.ratingKey);
  }
  // Only the best `limit` are sorted: a numeric sort of the scores gives the threshold.
  const threshold = limit < n ? scores.slice().sort()[n - limit] : Number.NEGATIVE_INFINITY;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (scores[i] >= threshold) order.push(i);
  const key = (i: number) => albums[i].ratingKey;
  order.sort((x, y) => scores[y] - scores[x] || (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  return order.slice(0, Math.min(n, limit)).map((i) => ({ album: albums[i], score: scores[i], familiarity: familiar[i] }));
}

/** The album as the playlist matcher sees a track: its title and artist are what a reply names. */
export function albumAsTrack(a: AlbumSummary): PoolTrack {
  return {
    ratingKey: a.ratingKey,
    title: a.title,
    artist: a.artist,
    artistKey: '',
    album: a.title,
    albumKey: a.ratingKey,
    year: a.year,
    durationMs: null,
    rating: a.rating,
    tags: a.tags,
    live: false,
    thumb: a.thumb,
  };
}

/** Normalised "artist\0title": how a suggestion is recognised as an album the person already owns. */
export const albumKey = (artist: string, title: string): string =>
  `${norm(artist)}\u0000${norm(title.replace(/\s*[([][^)\]]*[)\]]\s*$/, ''))}`;

/**
 * Taste from every owned album, weighted by love: rating r (unrated 0.4) times (1 + log1p(plays)). Top
 * artists, tags and decades by summed weight; favourites are the best-weighted albums.
 */
export function tasteProfile(albums: readonly AlbumSummary[], max = { artists: 12, tags: 8, decades: 3, favourites: 10 }): TasteProfile {
  const weightOf = (a: AlbumSummary) => (a.rating === null ? 0.4 : a.rating / 10) * (1 + Math.log1p(a.plays));
  const sums = {
    artists: new Map<string, number>(),
    genres: new Map<string, number>(),
    styles: new Map<string, number>(),
    moods: new Map<string, number>(),
    decades: new Map<number, number>(),
  };
  const add = <K>(m: Map<K, number>, k: K, w: number) => m.set(k, (m.get(k) ?? 0) + w);
  for (const a of albums) {
    const w = weightOf(a);
    if (norm(a.artist) !== 'various artists') add(sums.artists, a.artist, w);
    for (const g of a.tags.genres) add(sums.genres, g, w);
    for (const s of a.tags.styles) add(sums.styles, s, w);
    for (const m of a.tags.moods) add(sums.moods, m, w);
    if (a.year) add(sums.decades, a.year - (a.year % 10), w);
  }
  const top = <K>(m: Map<K, number>, n: number): K[] =>
    [...m]
      .sort((x, y) => y[1] - x[1] || String(x[0]).localeCompare(String(y[0])))
      .slice(0, n)
      .map(([k]) => k);
  const favourites = [...albums]
    .sort((x, y) => weightOf(y) - weightOf(x) || x.ratingKey.localeCompare(y.ratingKey))
    .slice(0, max.favourites)
    .map((a) => `${a.artist} – ${a.title}`);
  return {
    artists: top(sums.artists, max.artists),
    genres: top(sums.genres, max.tags),
    styles: top(sums.styles, max.tags),
    moods: top(sums.moods, max.tags),
    decades: top(sums.decades, max.decades).sort((a, b) => a - b),
    favourites,
  };
}
