// The library's vocabularies, all of them, each tag with the number of items (tracks, albums, artists)
// carrying it — an index-only count, so most common first costs milliseconds even at 300k tracks.
// What the analysis model chooses filters from and the UI offers. Sagewire's own tag is not music
// (music-tags.ts) and is left out.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TagCount, Vocabulary } from '../domain/playlist/index.js';
import type { MusicTagTest } from './music-tags.js';

export async function loadVocabulary(db: Kysely<Database>, isMusic: MusicTagTest): Promise<Vocabulary> {
  const { rows } = await sql<{ kind: string; tag: string; n: number }>`
    select kind, tag, count(*) as n from item_tags where kind in ('genre', 'style', 'mood') group by kind, tag order by n desc, tag`.execute(db);
  const by = (kind: string): TagCount[] => rows.filter((r) => r.kind === kind && isMusic(r.kind, r.tag)).map((r) => ({ tag: r.tag, count: Number(r.n) }));
  const decades = await sql<{ d: number }>`
    select distinct (y - y % 10) as d from (select coalesce(t.year, a.year) as y from tracks t join albums a on a.rating_key = t.album_key)
    where y is not null order by d`.execute(db);
  return { genres: by('genre'), styles: by('style'), moods: by('mood'), decades: decades.rows.map((r) => Number(r.d)) };
}

/** Every artist name a request could mention (album artists and compilation track artists). */
export async function loadArtistNames(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select title as name from artists union select distinct original_title from tracks where original_title is not null`.execute(db);
  return rows.map((r) => r.name);
}
