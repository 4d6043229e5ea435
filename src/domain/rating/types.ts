// What the rating model reads (a snapshot of the library cache plus who owns each rating) and what it
// returns (a value in points for every item it may write). All ratings are Plex points, 0–10.

export type ItemKind = 'artist' | 'album' | 'track';

export interface ModelArtist {
  key: string;
  title: string;
}

export interface ModelAlbum {
  key: string;
  artistKey: string;
  title: string;
  /** Plex album `rating`, 0–10; null or 0 = none. */
  criticRating: number | null;
  /** Subformat `Live`. */
  isLive: boolean;
  /** Plex genres of the album (exclusions by genre); absent = none known. */
  genres?: readonly string[];
}

export interface ModelTrack {
  key: string;
  albumKey: string;
  /** The album artist. */
  artistKey: string;
  title: string;
  /** `originalTitle ?? grandparentTitle`: matters only for twins. */
  trackArtist: string;
  durationMs: number | null;
  /** Plex `viewCount`: plays; absent = never played (or not known). */
  plays?: number;
  /** Plex `skipCount`: skips; absent = none. */
  skips?: number;
}

export interface LibrarySnapshot {
  artists: ModelArtist[];
  albums: ModelAlbum[];
  tracks: ModelTrack[];
}

export type Ownership = 'manual' | 'inferred' | 'unrated' | 'opted_out';

/** What the computation needs to know about ownership: the person's ratings and the opt-outs. */
export interface OwnershipView {
  /** Key → the manual rating in points, all kinds. */
  manual: ReadonlyMap<string, number>;
  optedOut: ReadonlySet<string>;
}

/** The prior μ and the critics' average κ (null when no album has a critic rating). */
export interface Prior {
  mu: number;
  kappa: number | null;
}

/**
 * Unrounded values in points for every item that is neither manual nor an opted-out track and that has a
 * value. Opted-out artists and albums keep their value here (it feeds their children); the planner never
 * writes them.
 */
export interface RatingValues extends Prior {
  artists: Map<string, number>;
  albums: Map<string, number>;
  tracks: Map<string, number>;
}
