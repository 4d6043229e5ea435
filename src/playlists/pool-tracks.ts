// Loads cached tracks as PoolTracks: the row, the album's year and live flag, and the union of tags —
// the track's own and its album's for every kind, its artist's for genre and style; never Sagewire's own
// tag (music-tags.ts).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isLiveTrack, type PoolTrack } from '../domain/playlist/index.js';
import type { MusicTagTest } from './music-tags.js';

interface Row {
  rating_key: string;
  title: string;
  artist_title: string;
  original_title: string | null;
  artist_key: string;
  album_title: string;
  album_key: string;
  year: number | null;
  album_year: number | null;
  duration_ms: number | null;
  user_rating: number | null;
  is_live: number;
  thumb: string | null;
  album_thumb: string | null;
}

export async function loadPoolTracks(db: Kysely<Database>, keys: readonly string[], isMusic: MusicTagTest): Promise<PoolTrack[]> {
  if (keys.length === 0) return [];
  const list = JSON.stringify(keys);
  const { rows } = await sql<Row>`
    select t.rating_key, t.title, t.artist_title, t.original_title, t.artist_key, t.album_title, t.album_key, t.year,
           a.year as album_year, t.duration_ms, t.user_rating, a.is_live, t.thumb, a.thumb as album_thumb
    from tracks t join albums a on a.rating_key = t.album_key
    where t.rating_key in (select value from json_each(${list}))`.execute(db);
  const owners = new Set<string>();
  for (const r of rows) owners.add(r.rating_key).add(r.album_key).add(r.artist_key);
  const tagRows = await sql<{ item_key: string; kind: string; tag: string }>`
    select item_key, kind, tag from item_tags
    where item_key in (select value from json_each(${JSON.stringify([...owners])})) and kind != 'subformat'`.execute(db);
  const tags = new Map<string, { kind: string; tag: string }[]>();
  for (const t of tagRows.rows) {
    if (!isMusic(t.kind, t.tag)) continue;
    const list = tags.get(t.item_key);
    if (list) list.push(t);
    else tags.set(t.item_key, [t]);
  }
  return rows.map((r) => {
    const union = { genres: new Set<string>(), styles: new Set<string>(), moods: new Set<string>() };
    for (const [owner, isArtist] of [[r.rating_key, false], [r.album_key, false], [r.artist_key, true]] as const) {
      for (const { kind, tag } of tags.get(owner) ?? []) {
        if (kind === 'genre') union.genres.add(tag);
        else if (kind === 'style') union.styles.add(tag);
        else if (kind === 'mood' && !isArtist) union.moods.add(tag);
      }
    }
    return {
      ratingKey: r.rating_key,
      title: r.title,
      artist: r.original_title ?? r.artist_title,
      artistKey: r.artist_key,
      album: r.album_title,
      albumKey: r.album_key,
      year: r.year ?? r.album_year,
      durationMs: r.duration_ms,
      rating: r.user_rating,
      tags: { genres: [...union.genres], styles: [...union.styles], moods: [...union.moods] },
      live: isLiveTrack({ title: r.title }, { title: r.album_title, isLive: r.is_live === 1 }),
      thumb: r.thumb ?? r.album_thumb,
    };
  });
}
