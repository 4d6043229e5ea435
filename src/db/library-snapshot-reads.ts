// The library cache as the rating model reads it: every item's structure and Plex's cached rating, and
// lookups of kinds and ratings by key. Raw statements returning array rows of only the needed columns:
// 300,000 tracks load in a few hundred milliseconds, far quicker than the query builder's async layers.
import type SQLite from 'better-sqlite3';
import type { RawReader } from './library-reads.js';
import type { ItemKind } from './tables/engine.js';

const TABLE: Record<ItemKind, string> = { artist: 'artists', album: 'albums', track: 'tracks' };
const KINDS: readonly ItemKind[] = ['artist', 'album', 'track'];

/** Keys per `in (…)` list; SQLite's default limit on bound parameters is far above this. */
const IN_CHUNK = 500;

/** [ratingKey, title, userRating] of every artist, in cache order. */
export function snapshotArtistRows(sqlite: RawReader): [string, string, number | null][] {
  return sqlite.prepare('select rating_key, title, user_rating from artists order by rowid').raw().all() as [
    string,
    string,
    number | null,
  ][];
}

/** [ratingKey, artistKey, title, criticRating, isLive, userRating] of every album, in cache order. */
export function snapshotAlbumRows(sqlite: RawReader): [string, string, string, number | null, number, number | null][] {
  return sqlite
    .prepare('select rating_key, artist_key, title, critic_rating, is_live, user_rating from albums order by rowid')
    .raw()
    .all() as [string, string, string, number | null, number, number | null][];
}

/** The genre tags of every album that has any, in tag order. */
export function snapshotAlbumGenres(sqlite: RawReader): Map<string, string[]> {
  // CROSS JOIN keeps the albums as the outer loop, each album's genres one primary-key search away, already
  // in order. Left to itself the planner walks every genre row (the tracks' too) by the (kind, tag) index
  // and sorts them: five times slower on a large library.
  const rows = sqlite
    .prepare(
      "select g.item_key, g.tag from albums a cross join item_tags g on g.item_key = a.rating_key and g.kind = 'genre' order by a.rowid, g.tag",
    )
    .raw()
    .all() as [string, string][];
  const out = new Map<string, string[]>();
  for (const [key, tag] of rows) {
    const list = out.get(key);
    if (list) list.push(tag);
    else out.set(key, [tag]);
  }
  return out;
}

export type SnapshotTrackRow = [
  key: string,
  albumKey: string,
  artistKey: string,
  title: string,
  trackArtist: string,
  durationMs: number | null,
  userRating: number | null,
  /** Plays; 0 when Plex sent none. */
  plays: number,
  /** Skips; 0 when Plex sent none. */
  skips: number,
];

/**
 * The structure, rating, plays and skips of every track, in cache order, row by row: a 300,000-track library
 * is never held as row arrays and model objects at once.
 */
export function snapshotTrackRows(sqlite: RawReader): IterableIterator<SnapshotTrackRow> {
  return sqlite
    .prepare(
      'select rating_key, album_key, artist_key, title, coalesce(original_title, artist_title), duration_ms, user_rating, ' +
        'coalesce(view_count, 0), coalesce(skip_count, 0) from tracks order by rowid',
    )
    .raw()
    .iterate() as IterableIterator<SnapshotTrackRow>;
}

/** [ratingKey, userRating] of every rated item of one kind. */
export function ratedItemRows(sqlite: RawReader, kind: ItemKind): [string, number][] {
  return sqlite.prepare(`select rating_key, user_rating from ${TABLE[kind]} where user_rating is not null`).raw().all() as [
    string,
    number,
  ][];
}

/** The kind of each given key the cache holds; unknown keys are absent. */
export function cachedKindsOf(sqlite: RawReader, keys: readonly string[]): Map<string, ItemKind> {
  const out = new Map<string, ItemKind>();
  for (let i = 0; i < keys.length; i += IN_CHUNK) {
    const chunk = keys.slice(i, i + IN_CHUNK);
    const marks = chunk.map(() => '?').join(',');
    for (const kind of KINDS) {
      for (const key of sqlite
        .prepare(`select rating_key from ${TABLE[kind]} where rating_key in (${marks})`)
        .pluck()
        .all(...chunk) as string[])
        out.set(key, kind);
    }
  }
  return out;
}

/** Plex's cached rating of each given key that is rated (any kind). */
export function cachedRatingsOf(sqlite: RawReader, keys: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < keys.length; i += IN_CHUNK) {
    const chunk = keys.slice(i, i + IN_CHUNK);
    const marks = chunk.map(() => '?').join(',');
    for (const kind of KINDS) {
      const rows = sqlite
        .prepare(`select rating_key, user_rating from ${TABLE[kind]} where rating_key in (${marks}) and user_rating is not null`)
        .raw()
        .all(...chunk) as [string, number][];
      for (const [key, rating] of rows) out.set(key, rating);
    }
  }
  return out;
}

/** Every cached key of one kind, one at a time (a scan of the whole cache beats a lookup per key for long lists). */
export function iterateItemKeys(sqlite: RawReader, kind: ItemKind): IterableIterator<string> {
  return sqlite.prepare(`select rating_key from ${TABLE[kind]}`).pluck().iterate() as IterableIterator<string>;
}

/** [ratingKey, userRating] of the items of one kind whose cached rating is off the whole-point grid. */
export function fractionalRatingRows(sqlite: RawReader, kind: ItemKind): [string, number][] {
  return sqlite
    .prepare(
      `select rating_key, user_rating from ${TABLE[kind]} where user_rating is not null and abs(user_rating - round(user_rating)) >= 0.05`,
    )
    .raw()
    .all() as [string, number][];
}

/** Keys of the items carrying the given mood (Sagewire's inferred tag). */
export function moodTaggedKeys(sqlite: RawReader, tag: string): string[] {
  return sqlite.prepare("select item_key from item_tags where kind = 'mood' and tag = ?").pluck().all(tag) as string[];
}

/**
 * One prepared statement per kind reading an item's cached rating, for callers that look items up one by
 * one (the live model after each write, catch-up over what Plex lists): prepared once, with the caller.
 * `get` returns undefined when the cache lacks the item, null when it is unrated.
 */
export function cachedRatingLookup(sqlite: RawReader): (kind: ItemKind, key: string) => number | null | undefined {
  const statements = new Map<ItemKind, SQLite.Statement>();
  return (kind, key) => {
    let statement = statements.get(kind);
    if (!statement) {
      statement = sqlite.prepare(`select user_rating from ${TABLE[kind]} where rating_key = ?`).pluck();
      statements.set(kind, statement);
    }
    return statement.get(key) as number | null | undefined;
  };
}
