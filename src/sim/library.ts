// The simulator's library format: the in-memory model and the JSON file are the same plain data, so
// `generateLibrary` output can be saved, loaded and inspected without a translation layer.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

interface RatedFields {
  /** Owner's rating in Plex points (0–10); absent when unrated. */
  userRating?: number;
  /** Epoch seconds of the last rate call. */
  lastRatedAt?: number;
  addedAt: number;
  updatedAt: number;
  genres: string[];
  moods: string[];
  styles: string[];
  /** Fields locked by an edit (`mood.locked=1`). */
  locked?: string[];
}

export interface SimArtist extends RatedFields {
  ratingKey: string;
  title: string;
}

export type AlbumKind = 'studio' | 'live' | 'bestof' | 'compilation' | 'deluxe' | 'added';

export interface SimAlbum extends RatedFields {
  ratingKey: string;
  artistKey: string;
  title: string;
  year: number;
  /** Critic rating, 0–10; absent for most albums. */
  rating?: number;
  studio?: string;
  subformats: string[];
  kind: AlbumKind;
}

export interface SimTrack extends RatedFields {
  ratingKey: string;
  albumKey: string;
  title: string;
  /** Track artist when it differs from the album artist (compilations). */
  originalTitle?: string;
  index: number;
  disc: number;
  /** Milliseconds. */
  duration: number;
  /** Plays; absent when never played (Plex omits 0). */
  viewCount?: number;
  /** Skips; absent when never skipped. */
  skipCount?: number;
  /** Epoch seconds of the last play; absent when never played. */
  lastViewedAt?: number;
  /** ratingKey of the studio recording this track repeats (best-ofs, compilations, live, deluxe). */
  sourceKey?: string;
}

export interface SimPlaylist {
  ratingKey: string;
  title: string;
  addedAt: number;
  updatedAt: number;
  items: { playlistItemID: number; ratingKey: string }[];
  /**
   * Smart playlists only: the section query they stand for (`/library/sections/1/all?type=10&userRating%3E%3E=8`),
   * as the client sent it inside `uri`; their items are that query's answer at the time they are read.
   */
  smartQuery?: string;
}

/**
 * The hidden taste model the manual ratings were drawn from. Points are Plex points (0–10).
 * `trackTrue` holds the listener's true (continuous) opinion of every track, so inferred ratings can be
 * scored against held-out manual ratings or against the truth itself.
 */
export interface SimTaste {
  mu: number;
  manualTrackShare: number;
  artistQuality: Record<string, number>;
  albumQuality: Record<string, number>;
  artistTrue: Record<string, number>;
  albumTrue: Record<string, number>;
  trackTrue: Record<string, number>;
}

/** A library section as `/library/sections` describes it. */
export interface SimSectionInfo {
  id: number;
  title: string;
  uuid: string;
  createdAt: number;
  updatedAt: number;
  location: string;
}

/**
 * A music section beyond the first (a family member's music, audiobooks kept apart): its own artists, albums
 * and tracks, whose ratingKeys are disjoint from every other section's. Playlists, shared accounts' ratings
 * and the taste model stay server-wide in the library.
 */
export interface SimExtraSection {
  section: SimSectionInfo;
  artists: SimArtist[];
  albums: SimAlbum[];
  tracks: SimTrack[];
}

export interface SimLibrary {
  format: 'sagewire-sim-library';
  version: 1;
  seed: number;
  machineIdentifier: string;
  friendlyName: string;
  /** The first music section (id 1), whose items are `artists`, `albums` and `tracks` below. */
  section: SimSectionInfo;
  /** Further music sections (ids 2, 3, …); absent on a server with one. */
  extraSections?: SimExtraSection[];
  /** Next free ratingKey (ratingKeys are numeric strings, unique across artists, albums, tracks, playlists). */
  nextRatingKey: number;
  nextPlaylistItemId: number;
  artists: SimArtist[];
  albums: SimAlbum[];
  tracks: SimTrack[];
  playlists: SimPlaylist[];
  /** Ratings of shared (non-owner) accounts: accountId → ratingKey → points. Never visible to the owner's API. */
  accountRatings: Record<string, Record<string, number>>;
  taste: SimTaste;
}

export function loadLibraryFile(path: string): SimLibrary {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<SimLibrary>;
  if (data.format !== 'sagewire-sim-library' || data.version !== 1) {
    throw new Error(`sim: ${path} is not a sagewire simulator library (format/version missing)`);
  }
  if (!Array.isArray(data.artists) || !Array.isArray(data.albums) || !Array.isArray(data.tracks)) {
    throw new Error(`sim: ${path} lacks artists/albums/tracks arrays`);
  }
  for (const extra of data.extraSections ?? []) {
    if (!extra?.section || !Array.isArray(extra.artists) || !Array.isArray(extra.albums) || !Array.isArray(extra.tracks)) {
      throw new Error(`sim: ${path} has an extra section without section/artists/albums/tracks`);
    }
  }
  data.playlists ??= [];
  data.accountRatings ??= {};
  return data as SimLibrary;
}

export function saveLibraryFile(path: string, library: SimLibrary): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(library));
}
