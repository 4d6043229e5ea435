// Items the person opted out of inference (rating_state.opted_out), named from the library cache: the
// Ratings page's "needs attention" list and `sagewire opt-in --list`.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { ItemKind } from './tables/engine.js';

export interface OptedOutRow {
  key: string;
  kind: ItemKind;
  /** The cached title, or the key when the cache lacks the item. */
  title: string;
  /** Artist — album of a track, artist of an album, '' otherwise. */
  context: string;
  /** When the opt-out was recorded (epoch ms). */
  since: number;
}

/** How many items are opted out, and the `limit` most recently opted out. */
export async function optedOutItemsPage(db: Kysely<Database>, limit: number): Promise<{ total: number; rows: OptedOutRow[] }> {
  const [count, rows] = await Promise.all([
    db
      .selectFrom('rating_state')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('opted_out', '=', 1)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('rating_state as s')
      .leftJoin('tracks as t', (join) => join.on('s.kind', '=', 'track').onRef('t.rating_key', '=', 's.item_key'))
      .leftJoin('albums as al', (join) => join.on('s.kind', '=', 'album').onRef('al.rating_key', '=', 's.item_key'))
      .leftJoin('artists as ar', (join) => join.on('s.kind', '=', 'artist').onRef('ar.rating_key', '=', 's.item_key'))
      .select([
        's.item_key as key',
        's.kind',
        's.updated_at as since',
        sql<string>`coalesce(t.title, al.title, ar.title, s.item_key)`.as('title'),
        sql<string>`coalesce(t.artist_title || ' — ' || t.album_title, al.artist_title, '')`.as('context'),
      ])
      .where('s.opted_out', '=', 1)
      .orderBy('s.updated_at', 'desc')
      .limit(limit)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}

/** Every opted-out item with its cached title (null when the cache lacks it), by kind and title. */
export async function optedOutList(db: Kysely<Database>): Promise<Array<{ key: string; kind: ItemKind; title: string | null }>> {
  return db
    .selectFrom('rating_state as s')
    .leftJoin('tracks as t', 't.rating_key', 's.item_key')
    .leftJoin('albums as al', 'al.rating_key', 's.item_key')
    .leftJoin('artists as ar', 'ar.rating_key', 's.item_key')
    .select(['s.item_key as key', 's.kind as kind', sql<string | null>`coalesce(t.title, al.title, ar.title)`.as('title')])
    .where('s.opted_out', '=', 1)
    .orderBy('s.kind')
    .orderBy(sql`title`)
    .execute();
}
