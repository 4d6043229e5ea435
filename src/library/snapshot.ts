// The model's input read straight from the library cache: the snapshot (structure, album genres and each
// track's plays, skips and last play) and Plex's current rating per item, as of the last sync
// (db/library-snapshot-reads: 300,000 tracks load in a few hundred milliseconds).
import type SQLite from 'better-sqlite3';
import {
  ratedItemRows,
  snapshotAlbumGenres,
  snapshotAlbumRows,
  snapshotArtistRows,
  snapshotTrackRows,
} from '../db/library-snapshot-reads.js';
import type { LibrarySnapshot, ModelAlbum, ModelArtist, ModelTrack } from '../domain/rating/index.js';

export interface CachedLibrary {
  snapshot: LibrarySnapshot;
  /** Plex's userRating per rated item (all kinds), as cached. */
  current: Map<string, number>;
}

/** Shared by every album the cache knows no genre of (the model only reads it). */
const NO_GENRES: readonly string[] = Object.freeze([]);

export function loadCachedLibrary(sqlite: Pick<SQLite.Database, 'prepare'>): CachedLibrary {
  const current = new Map<string, number>();
  const artists: ModelArtist[] = [];
  for (const [key, title, rating] of snapshotArtistRows(sqlite)) {
    artists.push({ key, title });
    if (rating !== null) current.set(key, rating);
  }
  const albums: ModelAlbum[] = [];
  const genres = snapshotAlbumGenres(sqlite);
  for (const [key, artistKey, title, criticRating, isLive, rating] of snapshotAlbumRows(sqlite)) {
    albums.push({ key, artistKey, title, criticRating, isLive: isLive === 1, genres: genres.get(key) ?? NO_GENRES });
    if (rating !== null) current.set(key, rating);
  }
  const tracks: ModelTrack[] = [];
  for (const [key, albumKey, artistKey, title, trackArtist, durationMs, rating, plays, skips] of snapshotTrackRows(sqlite)) {
    tracks.push({ key, albumKey, artistKey, title, trackArtist, durationMs, plays, skips });
    if (rating !== null) current.set(key, rating);
  }
  return { snapshot: { artists, albums, tracks }, current };
}

/** Plex's cached rating of every rated item (all kinds): what changes when only ratings moved. */
export function loadCachedRatings(sqlite: Pick<SQLite.Database, 'prepare'>): Map<string, number> {
  const current = new Map<string, number>();
  for (const kind of ['artist', 'album', 'track'] as const) {
    for (const [key, rating] of ratedItemRows(sqlite, kind)) current.set(key, rating);
  }
  return current;
}
