// Ranking owned albums for a request. Every term is 0–1:
//   score = 3·fit + 2.5·familiarity + 2·favoured + 0.75·era + 0.5·variety
//   fit         = mean over the album's matching tracks of the playlist's tag fit (requested tags present)
//   familiarity = by the chosen mode, from rating r (mean effective rating / 10; unrated 0.35, as every
//                 mode asks for albums known to be good), plays per
//                 track p (log-scaled against the busiest candidate), months since the last play and the
//                 share of ratings that are inferred:
//     comfort      0.55·r + 0.45·p − 0.3·skip ratio
//     hidden-gems  0.5·r + 0.2·inferred share + 0.3·(1 − p), halved when the album is much played (p > 0.5)
//     rediscover   r·(0.3 + 0.7·min(1, months / 24)) + 0.1·p; never played counts 0.2 on the months term
//                  (a product: long unplayed alone, unrated or poorly rated, is not worth rediscovering)
//     any          r
//   era         = 1 when the album's decade is one asked for, 0 otherwise (no decades asked: 0)
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

const ratingOf = (a: Pick<AlbumSummary, 'rating'>): number => (a.rating === null ? 0.35 : a.rating / 10);

export function playShare(a: Pick<AlbumSummary, 'plays' | 'tracks'>, ctx: Pick<FamiliarityContext, 'playScale'>): number {
  return Math.min(1, Math.log1p(a.plays / Math.max(1, a.tracks)) / ctx.playScale);
}

export function monthsSince(lastPlayed: number, now: number): number {
  return lastPlayed <= 0 ? Number.POSITIVE_INFINITY : Math.max(0, (now - lastPlayed) / MONTH_SECONDS);
}

export function familiarityScore(a: AlbumSummary, mode: Familiarity, ctx: FamiliarityContext): number {
  const r = ratingOf(a);
  const p = playShare(a, ctx);
  switch (mode) {
    case 'comfort': {
      const skipRatio = a.plays + a.skips === 0 ? 0 : a.skips / (a.plays + a.skips);
      return Math.max(0, 0.55 * r + 0.45 * p - 0.3 * skipRatio);
    }
    case 'hidden-gems': {
      const inferredShare = a.rated === 0 ? 0 : a.inferred / a.rated;
      const gem = 0.5 * r + 0.2 * inferredShare + 0.3 * (1 - p);
      return p > 0.5 ? gem / 2 : gem;
    }
    case 'rediscover': {
      const months = monthsSince(a.lastPlayed, ctx.now);
      const away = Number.isFinite(months) ? Math.min(1, months / 24) : 0.2;
      return r * (0.3 + 0.7 * away) + 0.1 * p;
    }
    case 'any':
      return r;
  }
}

export function familiarityContext(albums: readonly AlbumSummary[], now: number): FamiliarityContext {
  let most = 1;
  for (const a of albums) most = Math.max(most, a.plays / Math.max(1, a.tracks));
  return { now, playScale: Math.log1p(most) };
}

/** Best first (the best `limit` of them); ties by ratingKey so the order never depends on the input's. */
export function rankAlbums(albums: readonly AlbumSummary[], spec: AlbumRankSpec, limit = Number.POSITIVE_INFINITY): RankedAlbum[] {
  const ctx = familiarityContext(albums, spec.now);
  const decades = new Set(spec.decades);
  const n = albums.length;
  const scores = new Float64Array(n);
  const familiar = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const album = albums[i];
    familiar[i] = familiarityScore(album, spec.familiarity, ctx);
    const era = decades.size > 0 && album.year !== null && decades.has(album.year - (album.year % 10)) ? 1 : 0;
    scores[i] = 3 * album.fit + 2.5 * familiar[i] + 2 * (album.favoured ? 1 : 0) + 0.75 * era + 0.5 * variety(spec.seed, album.ratingKey);
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
