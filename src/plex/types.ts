// The JSON shapes Plex Media Server answers with (Accept: application/json), limited to the fields
// Sagewire reads. Keys (`ratingKey`, `parentRatingKey`, `key` of sections) are strings; counts,
// years, durations (ms), epoch-second dates and ratings are numbers. Fields Plex omits when empty
// (`userRating` when unrated, tag arrays, `originalTitle`) are optional here.

/** Plex type codes for `…/all?type=`. */
export const PLEX_TYPE = { artist: 8, album: 9, track: 10, playlist: 15 } as const;
export type PlexItemTypeCode = 8 | 9 | 10;

export interface PlexTag {
  id?: number;
  filter?: string;
  tag: string;
}

export interface PlexFieldLock {
  name: string;
  locked: boolean;
}

interface PlexItemBase {
  ratingKey: string;
  key?: string;
  guid?: string;
  title: string;
  titleSort?: string;
  thumb?: string;
  userRating?: number;
  lastRatedAt?: number;
  addedAt?: number;
  updatedAt?: number;
  librarySectionID?: number;
  librarySectionUUID?: string;
  Genre?: PlexTag[];
  Style?: PlexTag[];
  Mood?: PlexTag[];
  Field?: PlexFieldLock[];
}

export interface PlexArtist extends PlexItemBase {
  type: 'artist';
}

export interface PlexAlbum extends PlexItemBase {
  type: 'album';
  parentRatingKey: string;
  parentTitle: string;
  year?: number;
  /** Critic rating 0–10; Plex sends 0 or omits it when there is none. */
  rating?: number;
  leafCount?: number;
  Subformat?: PlexTag[];
}

export interface PlexTrack extends PlexItemBase {
  type: 'track';
  parentRatingKey: string;
  grandparentRatingKey: string;
  parentTitle: string;
  grandparentTitle: string;
  /** Track artist, present only when it differs from the album artist. */
  originalTitle?: string;
  index?: number;
  parentIndex?: number;
  parentYear?: number;
  duration?: number;
  /** Plays, skips and the last play (epoch seconds); Plex omits each while it is 0 or none. */
  viewCount?: number;
  skipCount?: number;
  lastViewedAt?: number;
  /** Present on playlist items. */
  playlistItemID?: number;
}

export type PlexItem = PlexArtist | PlexAlbum | PlexTrack;
export type PlexItemOfType<T extends PlexItemTypeCode> = T extends 8 ? PlexArtist : T extends 9 ? PlexAlbum : PlexTrack;

export interface PlexMediaContainer<TMetadata = never, TDirectory = never> {
  size?: number;
  totalSize?: number;
  offset?: number;
  librarySectionID?: number;
  librarySectionUUID?: string;
  Metadata?: TMetadata[];
  Directory?: TDirectory[];
}

export interface PlexResponse<TContainer> {
  MediaContainer: TContainer;
}

export interface PlexIdentity {
  machineIdentifier: string;
  version?: string;
  claimed?: boolean;
}

export interface PlexLocation {
  id?: number;
  path: string;
}

export interface PlexSection {
  /** The section id, as a string (`"3"`). */
  key: string;
  type: string;
  title: string;
  uuid?: string;
  agent?: string;
  updatedAt?: number;
  Location?: PlexLocation[];
}

export interface PlexPlaylist {
  ratingKey: string;
  key?: string;
  type: 'playlist';
  title: string;
  playlistType?: string;
  smart?: boolean | number;
  leafCount?: number;
  duration?: number;
  addedAt?: number;
  updatedAt?: number;
}

/** One entry of `…/{genre|mood|style}`: `key` is the tag id used in `genre=<id>` filters. */
export interface PlexTagValue {
  key: string;
  title: string;
  fastKey?: string;
  count?: number;
}

export interface PlexHub {
  type: string;
  hubIdentifier?: string;
  title?: string;
  size?: number;
  Metadata?: PlexItem[];
}

export interface PlexPage<T> {
  items: T[];
  /** Where this page starts in the whole listing. */
  offset: number;
  /** Size of the whole listing, as Plex reported it with this page. */
  totalSize: number;
}

/** Filters on `…/all`, keyed as Plex spells them: `{ 'updatedAt>>': 1700000000, 'genre': 5, 'title': 'love' }`. */
export type PlexFilters = Readonly<Record<string, string | number>>;

export type PlexTagField = 'mood' | 'genre' | 'style';

/** A player the server knows (`GET /clients`, `Server` elements); `protocolCapabilities` split on commas. */
export interface PlexPlayer {
  machineIdentifier: string;
  name: string;
  product: string | null;
  host: string | null;
  port: number | null;
  protocolCapabilities: string[];
}

/** A play queue as created on the server: its id and the item it starts with. */
export interface PlexPlayQueue {
  playQueueID: string;
  /** Rating key of the selected (first) item. */
  selectedKey: string;
  size: number;
}

/** What to queue: tracks by key, a saved playlist, or an album. */
export type PlayQueueSource = { tracks: readonly (string | number)[] } | { playlist: string | number } | { album: string | number };

/** A track as `…/nearest` answers it: the track and its sonic distance (0 = same, 1 = far). */
export interface PlexSonicNeighbour {
  track: PlexTrack;
  distance: number | null;
}
