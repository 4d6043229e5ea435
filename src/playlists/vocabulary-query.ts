// The library's vocabularies, all of them, each tag with the number of items (tracks, albums, artists)
// carrying it — an index-only count, so most common first costs milliseconds even at 300k tracks.
// What the analysis model chooses filters from and the UI offers. Sagewire's own tag is not music
// (music-tags.ts) and is left out.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { artistNames, libraryDecades, musicTagCounts } from '../db/vocabulary-reads.js';
import type { TagCount, Vocabulary } from '../domain/playlist/index.js';
import type { MusicTagTest } from './music-tags.js';

export async function loadVocabulary(db: Kysely<Database>, isMusic: MusicTagTest): Promise<Vocabulary> {
  const rows = await musicTagCounts(db);
  const by = (kind: string): TagCount[] =>
    rows.filter((r) => r.kind === kind && isMusic(r.kind, r.tag)).map((r) => ({ tag: r.tag, count: Number(r.n) }));
  const decades = await libraryDecades(db);
  return { genres: by('genre'), styles: by('style'), moods: by('mood'), decades };
}

/** Every artist name a request could mention (album artists and compilation track artists). */
export function loadArtistNames(db: Kysely<Database>): Promise<string[]> {
  return artistNames(db);
}
