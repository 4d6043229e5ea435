// The model's input read straight from the library cache: the snapshot (structure) and Plex's current
// rating per item, as of the last sync. Raw array rows of only the needed columns: 300,000 tracks load in
// a few hundred milliseconds.
import type SQLite from 'better-sqlite3';
import type { LibrarySnapshot, ModelAlbum, ModelArtist, ModelTrack } from '../domain/rating/index.js';
import type { ItemKind } from '../engine/core/rating-port.js';

export interface CachedLibrary {
  snapshot: LibrarySnapshot;
  /** Plex's userRating per rated item (all kinds), as cached. */
  current: Map<string, number>;
}

export function loadCachedLibrary(sqlite: Pick<SQLite.Database, 'prepare'>): CachedLibrary {
  const current = new Map<string, number>();
  const artists: ModelArtist[] = [];
  for (const [key, title, rating] of sqlite.prepare('select rating_key, title, user_rating from artists order by rowid').raw().all() as [string, string, number | null][]) {
    artists.push({ key, title });
    if (rating !== null) current.set(key, rating);
  }
  const albums: ModelAlbum[] = [];
  const albumRows = sqlite
    .prepare('select rating_key, artist_key, title, critic_rating, is_live, user_rating from albums order by rowid')
    .raw()
    .all() as [string, string, string, number | null, number, number | null][];
  for (const [key, artistKey, title, criticRating, isLive, rating] of albumRows) {
    albums.push({ key, artistKey, title, criticRating, isLive: isLive === 1 });
    if (rating !== null) current.set(key, rating);
  }
  const tracks: ModelTrack[] = [];
  const trackRows = sqlite
    .prepare('select rating_key, album_key, artist_key, title, coalesce(original_title, artist_title), duration_ms, user_rating from tracks order by rowid')
    .raw()
    .all() as [string, string, string, string, string, number | null, number | null][];
  for (const [key, albumKey, artistKey, title, trackArtist, durationMs, rating] of trackRows) {
    tracks.push({ key, albumKey, artistKey, title, trackArtist, durationMs });
    if (rating !== null) current.set(key, rating);
  }
  return { snapshot: { artists, albums, tracks }, current };
}

/** Plex's cached rating of every rated item (all kinds): what changes when only ratings moved. */
export function loadCachedRatings(sqlite: Pick<SQLite.Database, 'prepare'>): Map<string, number> {
  const current = new Map<string, number>();
  for (const table of ['artists', 'albums', 'tracks']) {
    for (const [key, rating] of sqlite.prepare(`select rating_key, user_rating from ${table} where user_rating is not null`).raw().all() as [string, number][]) current.set(key, rating);
  }
  return current;
}

/** The kind of each cached key (for CSV import, recover and verify, which start from bare keys). */
export function kindsOf(sqlite: Pick<SQLite.Database, 'prepare'>, keys: readonly string[]): Map<string, ItemKind> {
  const out = new Map<string, ItemKind>();
  const tables: Array<[string, ItemKind]> = [['artists', 'artist'], ['albums', 'album'], ['tracks', 'track']];
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const marks = chunk.map(() => '?').join(',');
    for (const [table, kind] of tables) {
      for (const key of sqlite.prepare(`select rating_key from ${table} where rating_key in (${marks})`).pluck().all(...chunk) as string[]) out.set(key, kind);
    }
  }
  return out;
}

/** Plex's cached rating of each given key that is rated (any kind). */
export function cachedRatingsOf(sqlite: Pick<SQLite.Database, 'prepare'>, keys: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const marks = chunk.map(() => '?').join(',');
    for (const table of ['artists', 'albums', 'tracks']) {
      const rows = sqlite.prepare(`select rating_key, user_rating from ${table} where rating_key in (${marks}) and user_rating is not null`).raw().all(...chunk) as [string, number][];
      for (const [key, rating] of rows) out.set(key, rating);
    }
  }
  return out;
}
