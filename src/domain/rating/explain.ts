// Why an item has the value it has, in numbers a UI can print (points; the UI converts to stars).
// Computed on demand for one item, from the same functions as the pass, e.g.
//   album 7.2 = (3 × 6.8 + 8 + 9) / (3 + 2), base from the artist
// `values` is the last pass (its μ, κ, and album values for twin members); the item is recomputed, so the
// explanation's value equals the pass's value whenever `values` is current.
import { albumEvidence, contributingRatings, countsExcludedTracks } from './evidence.js';
import { exclusionReason } from './exclusion.js';
import { crit, hasCriticSignal } from './formulas.js';
import { gridValue } from './grid.js';
import type { ArtistGroup, LibraryIndex } from './library-index.js';
import type { RatingParams } from './params.js';
import {
  albumBase,
  albumEstimateForArtist,
  albumValue,
  artistValue,
  artistWritten,
  trackFromAlbum,
  type BaseSource,
  type RatingContext,
} from './rate-artist.js';
import { twinClusterValue } from './rate-twins.js';
import { defaultTerms, type ModelTerms } from './terms.js';
import type { ItemKind, OwnershipView, RatingValues } from './types.js';

interface ExplanationCommon {
  kind: ItemKind;
  key: string;
  title: string;
  /** 'manual' and 'opted_out' items are never written. */
  ownership: 'manual' | 'opted_out' | 'computed';
  /** The rating in points: the manual one, or the computed (unrounded) one; null when none. */
  value: number | null;
  /** What Sagewire would write (on the grid), or null when it writes nothing. */
  written: number | null;
  line: string;
}

export interface ArtistExplanation extends ExplanationCommon {
  kind: 'artist';
  isCompilation: boolean;
  mu: number;
  C: number;
  /** X_r: manual album ratings and evidence estimates e_a, in album order. */
  albums: Array<{ key: string; title: string; value: number; from: 'manual' | 'evidence' }>;
}

export interface AlbumExplanation extends ExplanationCommon {
  kind: 'album';
  base: number | null;
  baseSource: BaseSource | null;
  critic: number | null;
  kappa: number | null;
  C: number;
  W_global: number;
  W_critic: number;
  /** p_a = crit(base_a). */
  criticAdjustedBase: number | null;
  evidence: number[];
  /** Every track rated by hand is excluded (short, or a keyword in its title), so all of them count. */
  allExcludedFallback: boolean;
}

export type TrackSource = 'manual' | 'opted out' | 'twins rated by hand' | 'twins' | 'album manual with gravity' | 'album' | 'none';

/** The learned mode's listening term of a track: how its plays and skips move it against its album. */
export interface ListeningTerm {
  plays: number;
  skips: number;
  /** Points added to the album's value (β·d_t). */
  shift: number;
}

/** A track as evidence of its album's value. */
export interface TrackEvidence {
  /** Why the exclusion rules leave it out of its album's evidence, in words; null when they keep it. */
  excludedBecause: string | null;
  /** Its rating by hand is evidence of its album (an excluded one through the all-excluded fallback). */
  counts: boolean;
}

export interface TrackExplanation extends ExplanationCommon {
  kind: 'track';
  evidence: TrackEvidence;
  source: TrackSource;
  /** Null in the classic model, for a track without an album, or when its listening moves nothing. */
  listening: ListeningTerm | null;
  /** Step 5.2: what the track takes from its album. */
  fromAlbum: number | null;
  twins: Array<{ key: string; title: string; manual: boolean; fromAlbum: number | null }>;
}

export type Explanation = ArtistExplanation | AlbumExplanation | TrackExplanation;

const fmt = (n: number): string => String(Math.round(n * 100) / 100);

export function explainItem(
  index: LibraryIndex,
  ownership: OwnershipView,
  params: RatingParams,
  key: string,
  values: RatingValues,
  terms: ModelTerms = defaultTerms(index, params),
): Explanation | null {
  const ctx: RatingContext = { index, ownership, params, terms, mu: values.mu, kappa: values.kappa };
  const track = index.trackPosition.get(key);
  if (track !== undefined) return explainTrack(ctx, track, values);
  const album = index.albumPosition.get(key);
  if (album !== undefined) return explainAlbum(ctx, album);
  const artist = index.artistPosition.get(key);
  if (artist !== undefined) return explainArtist(ctx, index.groups[index.groupOfArtist.get(key)!]);
  return null;
}

function common(ctx: RatingContext, kind: ItemKind, key: string, title: string, computed: number | null, line: string) {
  const manual = ctx.ownership.manual.get(key);
  const optedOut = manual === undefined && ctx.ownership.optedOut.has(key);
  const value = manual ?? computed;
  const written = manual === undefined && !optedOut && computed !== null ? gridValue(computed, ctx.params.grid) : null;
  return {
    kind,
    key,
    title,
    ownership: manual !== undefined ? 'manual' : optedOut ? 'opted_out' : 'computed',
    value,
    written,
    line,
  } as const;
}

function groupEvidence(ctx: RatingContext, group: ArtistGroup) {
  return group.albums.map((a) => albumEvidence(ctx.index, ctx.ownership, a, ctx.terms));
}

function explainArtist(ctx: RatingContext, group: ArtistGroup): ArtistExplanation {
  const { albums, artists } = ctx.index.snapshot;
  const artist = artists[group.artist];
  const evidence = groupEvidence(ctx, group);
  const groupAt = ctx.index.groupOfArtist.get(group.artistKey)!;
  const excluded = ctx.index.groupExcluded[groupAt] === 1;
  const value = excluded ? null : artistWritten(ctx, groupAt, artistValue(ctx, group, evidence));
  const parts: ArtistExplanation['albums'] = [];
  group.albums.forEach((a, i) => {
    const manual = ctx.ownership.manual.get(albums[a].key);
    if (manual !== undefined) parts.push({ key: albums[a].key, title: albums[a].title, value: manual, from: 'manual' });
    else if (evidence[i].count > 0) {
      parts.push({ key: albums[a].key, title: albums[a].title, value: albumEstimateForArtist(ctx, a, evidence[i]), from: 'evidence' });
    }
  });
  const C = ctx.terms.constants.cArtist;
  const shift = ctx.terms.shifted ? ctx.terms.groupShift(groupAt) : 0;
  const listened = Math.abs(shift) >= 0.005 ? `, ${signed(shift)} for how much its albums are played` : '';
  let line: string;
  if (ctx.ownership.manual.has(artist.key)) line = `artist ${fmt(ctx.ownership.manual.get(artist.key)!)} is rated by hand`;
  else if (excluded) line = `${artist.title} is excluded from inference (exclude.artists): Sagewire leaves it alone`;
  else if (group.isCompilation) line = `${artist.title} is the compilation placeholder and gets no rating`;
  else if (parts.length > 0) {
    line = `artist ${fmt(value!)} = (${fmt(C)} × ${fmt(ctx.mu)} + ${parts.map((p) => fmt(p.value)).join(' + ')}) / (${fmt(C)} + ${parts.length})${listened}`;
  } else if (value !== null) line = `artist ${fmt(value)} = μ (no rated albums and no track evidence)${listened}`;
  else line = 'artist has no value: no rated albums, no track evidence, and fill_unknown is off';
  return {
    ...common(ctx, 'artist', artist.key, artist.title, value, line),
    kind: 'artist',
    isCompilation: group.isCompilation,
    mu: ctx.mu,
    C,
    albums: parts,
  };
}

function explainAlbum(ctx: RatingContext, album: number): AlbumExplanation {
  const { albums } = ctx.index.snapshot;
  const { W_global, W_critic } = ctx.params;
  const C = ctx.terms.constants.cAlbum;
  const record = albums[album];
  const group = ctx.index.groups[ctx.index.albumGroup[album]];
  const artist = group.isCompilation ? null : artistValue(ctx, group, groupEvidence(ctx, group));
  const base = albumBase(ctx, group, artist);
  const evidence = albumEvidence(ctx.index, ctx.ownership, album, ctx.terms);
  const ratings = contributingRatings(ctx.index, ctx.ownership, album);
  const manual = ctx.ownership.manual.get(record.key);
  const fallback = countsExcludedTracks(ctx.index, ctx.ownership, album);
  const value = manual !== undefined ? null : albumValue(ctx, album, base, evidence);
  const p = value === null ? null : crit(base.base, record, ctx.kappa, ctx.params);
  const critic = record.criticRating !== null && record.criticRating > 0 ? record.criticRating : null;

  const shift = ctx.terms.shifted ? ctx.terms.albumShift(album) : 0;
  let line: string;
  if (manual !== undefined) line = `album ${fmt(manual)} is rated by hand`;
  else if (ctx.index.albumExcluded[album] === 1)
    line = 'album is excluded from inference (by its genre, artist or title): Sagewire leaves it alone';
  else if (value === null || p === null) line = 'album has no value: no track evidence, its artist has none, and fill_unknown is off';
  else {
    const sum =
      ratings.length === 0
        ? `album ${fmt(value)} = its base (no track evidence)`
        : `album ${fmt(value)} = (${fmt(C)} × ${fmt(p)} + ${ratings.map(fmt).join(' + ')}) / (${fmt(C)} + ${ratings.length})`;
    const artistRating = ctx.ownership.manual.get(group.artistKey);
    const from =
      base.source === 'artist manual with gravity'
        ? `base ${fmt(base.base)} = ${fmt(artistRating!)} × (1 − ${ctx.params.g_album}) + μ ${fmt(ctx.mu)} × ${ctx.params.g_album} ` +
          'from the artist rated by hand'
        : base.source === 'artist inferred'
          ? `base ${fmt(base.base)} from the artist`
          : `base μ ${fmt(base.base)}${group.isCompilation ? ' (compilation)' : ''}`;
    const critics = hasCriticSignal(record, ctx.kappa, ctx.params)
      ? `; critic ${fmt(critic!)} vs average ${fmt(ctx.kappa!)} moves the base to ${fmt(p)}`
      : '';
    const listened =
      Math.abs(shift) < 0.005
        ? ''
        : ctx.index.listening?.albumPlayed[album] === 1
          ? `; ${signed(shift)} for how much it is played against the library's average album`
          : `; ${signed(shift)} because it was never played`;
    const selection =
      ctx.terms.shifted && ratings.length > 0 ? ' (its rated tracks count net of how much more they are played than the album)' : '';
    const counted = fallback ? `; every track rated by hand is excluded, so all ${ratings.length} count (the all-excluded fallback)` : '';
    line = `${sum}${selection}, ${from}${critics}${listened}${counted}`;
  }
  return {
    ...common(ctx, 'album', record.key, record.title, value, line),
    kind: 'album',
    base: manual !== undefined ? null : base.base,
    baseSource: manual !== undefined ? null : base.source,
    critic,
    kappa: ctx.kappa,
    C,
    W_global,
    W_critic,
    criticAdjustedBase: p,
    evidence: ratings,
    allExcludedFallback: fallback,
  };
}

function explainTrack(ctx: RatingContext, track: number, values: RatingValues): TrackExplanation {
  const { albums, tracks } = ctx.index.snapshot;
  const record = tracks[track];
  const stepTwo = (t: number): number | null => {
    if (ctx.index.trackAlbum[t] < 0) return null;
    const albumKey = albums[ctx.index.trackAlbum[t]].key;
    return trackFromAlbum(ctx, ctx.index.trackAlbum[t], values.albums.get(albumKey) ?? null, t);
  };
  const fromAlbum = stepTwo(track);
  const cluster = ctx.index.trackTwin[track];
  const members = cluster >= 0 ? ctx.index.twinClusters[cluster] : [];
  const twins = members.map((t) => ({
    key: tracks[t].key,
    title: tracks[t].title,
    manual: ctx.ownership.manual.has(tracks[t].key),
    fromAlbum: stepTwo(t),
  }));
  const manual = ctx.ownership.manual.get(record.key);
  const optedOut = manual === undefined && ctx.ownership.optedOut.has(record.key);
  const computed = manual !== undefined || optedOut ? null : cluster >= 0 ? twinClusterValue(ctx, members, stepTwo) : fromAlbum;

  let source: TrackSource;
  let line: string;
  const albumKey = ctx.index.trackAlbum[track] >= 0 ? albums[ctx.index.trackAlbum[track]].key : null;
  const albumRating = albumKey === null ? undefined : ctx.ownership.manual.get(albumKey);
  if (manual !== undefined) [source, line] = ['manual', `track ${fmt(manual)} is rated by hand`];
  else if (optedOut) [source, line] = ['opted out', 'track is opted out: Sagewire leaves it unrated until it is re-enabled'];
  else if (computed === null) [source, line] = ['none', 'track has no value: its album has none'];
  else if (twins.some((t) => t.manual)) {
    const anchors = twins.filter((t) => t.manual).map((t) => fmt(ctx.ownership.manual.get(t.key)!));
    [source, line] = ['twins rated by hand', `track ${fmt(computed)} = mean of its twins rated by hand (${anchors.join(', ')})`];
  } else if (cluster >= 0) {
    const copies = twins.filter((t) => t.fromAlbum !== null).map((t) => fmt(t.fromAlbum!));
    [source, line] = ['twins', `track ${fmt(computed)} = mean of its ${copies.length} copies' album values (${copies.join(', ')})`];
  } else if (albumRating !== undefined) {
    const g = ctx.params.g_track;
    [source, line] = [
      'album manual with gravity',
      `track ${fmt(computed)} = ${fmt(albumRating)} × (1 − ${g}) + μ ${fmt(ctx.mu)} × ${g}, album rated by hand`,
    ];
  } else [source, line] = ['album', `track ${fmt(computed)} = its album's value`];

  const shift = ctx.terms.shifted && ctx.index.trackAlbum[track] >= 0 ? ctx.terms.trackShift(track) : 0;
  const listening: ListeningTerm | null = Math.abs(shift) >= 0.005 ? { plays: record.plays ?? 0, skips: record.skips ?? 0, shift } : null;
  if (listening && (source === 'album' || source === 'album manual with gravity')) {
    line += ` (${playedLine(listening)}: ${signed(listening.shift)} against its album)`;
  }
  if (ctx.index.trackAlbum[track] >= 0 && ctx.index.albumExcluded[ctx.index.trackAlbum[track]] === 1 && manual === undefined) {
    [source, line] = ['none', 'track is excluded from inference with its album (by genre, artist or title): Sagewire leaves it alone'];
  }
  const albumAt = ctx.index.trackAlbum[track];
  const excludedBecause = ctx.index.trackExcluded[track] === 1 ? exclusionReason(ctx.params, record) : null;
  const counts =
    manual !== undefined &&
    albumAt >= 0 &&
    ctx.index.albumExcluded[albumAt] === 0 &&
    (excludedBecause === null || countsExcludedTracks(ctx.index, ctx.ownership, albumAt));
  return {
    ...common(ctx, 'track', record.key, record.title, computed, line),
    kind: 'track',
    evidence: { excludedBecause, counts },
    source,
    fromAlbum,
    twins,
    listening,
  };
}

const signed = (n: number): string => `${n >= 0 ? '+' : '−'}${fmt(Math.abs(n))}`;

const times = (n: number, one: string, many: string): string =>
  n === 0 ? `never ${many}` : n === 1 ? `${one} once` : n === 2 ? `${one} twice` : `${one} ${n} times`;

/** "played 41 times, skipped twice". */
export function playedLine(term: Pick<ListeningTerm, 'plays' | 'skips'>): string {
  const played = term.plays === 0 ? 'never played' : times(term.plays, 'played', 'played');
  return term.skips === 0 ? played : `${played}, ${times(term.skips, 'skipped', 'skipped')}`;
}
