// The playlist domain's vocabulary: what a request filters on, what a pool track carries, and the one
// reply shape every provider is asked for. Ratings are Plex points (0–10); filters speak stars (0–5).

export type TagKind = 'genre' | 'style' | 'mood';
const _TAG_KINDS: readonly TagKind[] = ['genre', 'style', 'mood'];

/** Hard filters on the library cache. Within a kind any value matches; every kind given must match. */
export interface FilterSpec {
  genres?: string[];
  styles?: string[];
  moods?: string[];
  /** Track or album artist names. */
  artists?: string[];
  /** Decade starts: 1990 means 1990–1999. */
  decades?: number[];
  /** Inclusive year range (the seed flow's era ± a decade); not part of the JSON API. */
  yearRange?: [number, number];
  /** Minimum effective rating in stars (0.5–5). */
  minRating?: number;
  /** Count inferred ratings towards `minRating` (default true); false keeps only manual ones. */
  includeInferred?: boolean;
  excludeLive?: boolean;
  /** Only tracks never played. */
  neverPlayed?: boolean;
  /** Played at least this many times. */
  minPlays?: number;
  /** Not played for this many months (30 days each, as Plex's relative dates); never played counts as not played. */
  notPlayedMonths?: number;
  /** Skips / (plays + skips) at most this (0–1); a track with neither passes. */
  maxSkipRatio?: number;
  /** Rating keys to leave out (a schedule's previous run); internal, not part of the JSON API. */
  excludeKeys?: readonly string[];
}

export interface TrackTags {
  genres: string[];
  styles: string[];
  moods: string[];
}

/** One library track as the pipeline ranks it. */
export interface PoolTrack {
  ratingKey: string;
  title: string;
  /** The track artist (compilations: the performer, not "Various Artists"). */
  artist: string;
  artistKey: string;
  album: string;
  albumKey: string;
  year: number | null;
  durationMs: number | null;
  /** Effective rating in points (manual or inferred), null when unrated. */
  rating: number | null;
  /** Union of the track's own tags and its album's (and, for genre/style, its artist's). */
  tags: TrackTags;
  live: boolean;
  thumb: string | null;
}

/** Soft preferences the ranking rewards; hard filters only decide membership. */
export interface RankSpec {
  genres: string[];
  styles: string[];
  moods: string[];
  /** Artists to favour (normalised by the caller or not: compared with `norm`). */
  artists: string[];
  /** Centre of the era to favour (seed flow), or null. */
  year: number | null;
  /** Seed for the variety term: same seed, same pool. */
  seed: number;
}

export interface DiversityCaps {
  /** Most tracks per artist (favoured artists use `favouredArtistShare` instead). */
  perArtist: number;
  perAlbum: number;
  /** Share of the result a favoured artist may take (0–1). */
  favouredArtistShare: number;
}

/** What the analysis model turns a prompt into. */
export interface AnalysisReply {
  genres: string[];
  styles: string[];
  moods: string[];
  /** Artists the request is *by* (a hard filter when accepted). */
  artists: string[];
  /** Artists the request wants music *like* (favoured, their tags preferred; not a filter). */
  likeArtists: string[];
  decades: number[];
  keywords: string[];
  excludeLive: boolean;
  minRating: number | null;
  /** Listening wishes ("never played", "not heard in a year", "most played") as filters (`listeningFilters`). */
  listening?: Pick<FilterSpec, 'neverPlayed' | 'minPlays' | 'notPlayedMonths'>;
  /** What the reader left out of a model's reply (a value it could not use), for the plan's warnings. */
  warnings?: string[];
}

export interface SeedDimension {
  /** e.g. `mood`, `era`, `instrumentation`. */
  dimension: string;
  /** Specific to this track, e.g. "hazy, bittersweet nostalgia". */
  description: string;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}
