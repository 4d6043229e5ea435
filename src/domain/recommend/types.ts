// Album recommendations (PLAYLISTS.md, "Beyond playlists"): what an owned album looks like once its
// matching tracks are aggregated, how familiar the person wants it to be, and what the model answers.

/** comfort: high rating, much played · hidden-gems: high inferred rating, rarely played ·
 *  rediscover: well rated, long unplayed · any: rating and fit alone. */
export const FAMILIARITIES = ['comfort', 'hidden-gems', 'rediscover', 'any'] as const;
export type Familiarity = (typeof FAMILIARITIES)[number];

export interface AlbumTags {
  genres: string[];
  styles: string[];
  moods: string[];
}

/** One owned album, aggregated over its tracks that pass the filters. */
export interface AlbumSummary {
  ratingKey: string;
  title: string;
  /** The album artist. */
  artist: string;
  year: number | null;
  /** Matching tracks. */
  tracks: number;
  /** Mean effective rating of the rated tracks, in points (0–10); null when none is rated. */
  rating: number | null;
  /** Rated tracks among `tracks`, and how many of those ratings are inferred. */
  rated: number;
  inferred: number;
  plays: number;
  skips: number;
  /** Last play of any matching track, epoch seconds; 0 = never played. */
  lastPlayed: number;
  /** Mean tag fit of the matching tracks to the request (0–1). */
  fit: number;
  /** Whether the album artist is one the request names. */
  favoured: boolean;
  tags: AlbumTags;
  thumb: string | null;
}

/** What the ranking prefers besides familiarity: an era, artists named, a seed for variety. */
export interface AlbumRankSpec {
  familiarity: Familiarity;
  /** Epoch seconds: "now" for months since the last play. */
  now: number;
  /** Decade starts the request mentions; albums from them are preferred (soft). */
  decades: number[];
  seed: number;
}

export interface RankedAlbum {
  album: AlbumSummary;
  score: number;
  /** The familiarity term alone (0–1), for the offline pitch. */
  familiarity: number;
}

/** A compact picture of the library's taste for discovery: names and weights, nothing per track. */
export interface TasteProfile {
  artists: string[];
  genres: string[];
  styles: string[];
  moods: string[];
  decades: number[];
  /** The best-loved owned albums ("Artist – Title"), told to the model as examples not to repeat. */
  favourites: string[];
}

export interface ClarifyingQuestion {
  question: string;
  /** Suggested answers (may be empty: free text). */
  choices: string[];
}

export interface QuestionAnswer {
  question: string;
  answer: string;
}

/** One suggestion of the discovery model: an album the person may not own. */
export interface DiscoverySuggestion {
  artist: string;
  title: string;
  year: number | null;
  pitch: string;
}
