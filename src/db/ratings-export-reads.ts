// The library cache as the ratings CSV export reads it: every item of one kind with names for context
// and Plex's cached rating, in the order a person reads a library. Raw on the engine store's connection
// (synchronous, like the engine's repositories), one `all()` of array rows for up to 300,000 tracks.
import type { RawReader } from './library-reads.js';

export type ExportedKind = 'tracks' | 'albums' | 'artists';

/** [ratingKey, artist, album, title, year, userRating]; albums carry their title as album, artists '' and no year. */
export type ExportRow = [string, string, string, string, number | null, number | null];

const QUERIES: Record<ExportedKind, string> = {
  tracks:
    `select t.rating_key, coalesce(t.original_title, t.artist_title), t.album_title, t.title, coalesce(t.year, a.year), t.user_rating
           from tracks t left join albums a on a.rating_key = t.album_key ` +
    'order by t.artist_title, t.album_title, t.disc_index, t.track_index, t.rating_key',
  albums: 'select rating_key, artist_title, title, title, year, user_rating from albums order by artist_title, year, title, rating_key',
  artists: "select rating_key, title, '', title, null, user_rating from artists order by title, rating_key",
};

export function ratingsExportRows(sqlite: RawReader, type: ExportedKind): ExportRow[] {
  return sqlite.prepare(QUERIES[type]).raw().all() as ExportRow[];
}
