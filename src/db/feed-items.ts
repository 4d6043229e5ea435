// What the dashboard's feed names for each inbox row: the item's key and, when the library cache holds
// it, its title and where it sits (a track's artist and album, an album's artist).
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface FeedItemRow {
  id: number;
  item_key: string | null;
  title: string | null;
  /** "Artist — Album" for a track, the artist for an album, null for an artist. */
  context: string | null;
}

export async function feedItems(db: Kysely<Database>, ids: readonly number[]): Promise<FeedItemRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('webhook_events as e')
    .leftJoin('tracks as t', 't.rating_key', 'e.item_key')
    .leftJoin('albums as al', 'al.rating_key', 'e.item_key')
    .leftJoin('artists as ar', 'ar.rating_key', 'e.item_key')
    .select(['e.id', 'e.item_key', 't.title as track', 't.artist_title as trackArtist', 't.album_title as trackAlbum'])
    .select(['al.title as album', 'al.artist_title as albumArtist', 'ar.title as artist'])
    .where('e.id', 'in', [...ids])
    .execute();
  return rows.map((r) => {
    if (r.track !== null) return { id: r.id, item_key: r.item_key, title: r.track, context: `${r.trackArtist} — ${r.trackAlbum}` };
    if (r.album !== null) return { id: r.id, item_key: r.item_key, title: r.album, context: r.albumArtist };
    return { id: r.id, item_key: r.item_key, title: r.artist, context: null };
  });
}
