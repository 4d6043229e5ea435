// The library cache as the playlist pool's columnar index loads it (playlists/pool-index). Raw array rows
// of only the needed columns, iterated or read in one `all()`: the index loads 300,000 tracks in one go,
// where the query builder's async layers would add to every row.
import type SQLite from 'better-sqlite3';

/** [itemKey, kind, tag] of every genre, style and mood tag, one at a time. */
export type PoolTagRow = [itemKey: string, kind: string, tag: string];

/**
 * [ratingKey, title, albumArtist, originalTitle, artistKey, albumTitle, albumKey, year (track's or album's),
 * durationMs, userRating, albumIsLive, thumb (track's or album's), inferred (> 0 when Sagewire's value),
 * viewCount, skipCount, lastViewedAt (epoch seconds, null when never played)].
 */
export type PoolTrackRow = [
  string,
  string,
  string,
  string | null,
  string,
  string,
  string,
  number | null,
  number | null,
  number | null,
  number,
  string | null,
  number,
  number,
  number,
  number | null,
];

export function iteratePoolTagRows(sqlite: Pick<SQLite.Database, 'prepare'>): IterableIterator<PoolTagRow> {
  return sqlite
    .prepare("select item_key, kind, tag from item_tags where kind in ('genre', 'style', 'mood')")
    .raw(true)
    .iterate() as IterableIterator<PoolTagRow>;
}

/** Every track joined with its album; `inferredFromState` counts a rating as inferred when it is the value Sagewire wrote. */
export function poolTrackRows(sqlite: Pick<SQLite.Database, 'prepare'>, inferredFromState: boolean): PoolTrackRow[] {
  const inferredSql = inferredFromState
    ? '(select count(*) from rating_state rs where rs.item_key = t.rating_key and rs.written_value is not null ' +
      'and abs(rs.written_value - t.user_rating) < 0.05)'
    : '0';
  return sqlite
    .prepare(`select t.rating_key, t.title, t.artist_title, t.original_title, t.artist_key, t.album_title, t.album_key,
      coalesce(t.year, a.year), t.duration_ms, t.user_rating, a.is_live, coalesce(t.thumb, a.thumb), ${inferredSql},
      coalesce(t.view_count, 0), coalesce(t.skip_count, 0), t.last_viewed_at
    from tracks t join albums a on a.rating_key = t.album_key`)
    .raw(true)
    .all() as PoolTrackRow[];
}
