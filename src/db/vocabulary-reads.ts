// The library's vocabularies as the playlist pipeline reads them (playlists/vocabulary-query): each tag
// with the number of items carrying it — an index-only count, so most common first costs milliseconds
// even at 300k tracks — the decades present, and every artist name.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Every genre, style and mood with how many items carry it, most used first. */
export async function musicTagCounts(db: Kysely<Database>): Promise<Array<{ kind: string; tag: string; n: number }>> {
  const query = sql<{ kind: string; tag: string; n: number }>`
    select kind, tag, count(*) as n from item_tags where kind in ('genre', 'style', 'mood') group by kind, tag order by n desc, tag`;
  const { rows } = await query.execute(db);
  return rows;
}

/** The decades (1990, 2000, …) of the cached tracks (a track's year, else its album's), ascending. */
export async function libraryDecades(db: Kysely<Database>): Promise<number[]> {
  const { rows } = await sql<{ d: number }>`
    select distinct (y - y % 10) as d from (select coalesce(t.year, a.year) as y from tracks t join albums a on a.rating_key = t.album_key)
    where y is not null order by d`.execute(db);
  return rows.map((r) => Number(r.d));
}

/** Every artist name a request could mention (album artists and compilation track artists). */
export async function artistNames(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select title as name from artists union select distinct original_title from tracks where original_title is not null`.execute(db);
  return rows.map((r) => r.name);
}
