// Reads of the library sync's bookkeeping (sync_state) beyond the sync itself: the server and section the
// receiver judges events by, where catch-up polling starts, and the section a state file must belong to.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { RawReader } from './library-reads.js';
import type { Database } from './schema.js';

/** The server's identity and the music section of the most recent sync (nulls before any sync). */
export async function syncedServerIdentity(db: Kysely<Database>): Promise<{ machineIdentifier: string | null; sectionId: number | null }> {
  const row = await db
    .selectFrom('sync_state')
    .select(['machine_identifier', 'section_id'])
    .orderBy('last_sync_at', 'desc')
    .executeTakeFirst();
  return { machineIdentifier: row?.machine_identifier ?? null, sectionId: row?.section_id ?? null };
}

/** The older of the section's rated and added watermarks (Plex epoch seconds); null when unknown. */
export async function syncWatermark(db: Kysely<Database>, sectionId: number): Promise<number | null> {
  const row = await db
    .selectFrom('sync_state')
    .select(sql<number | null>`min(watermark_rated_at, watermark_added_at)`.as('at'))
    .where('section_id', '=', sectionId)
    .executeTakeFirst();
  return row?.at ?? null;
}

/**
 * The section UUID of the most recent sync (null when unknown). Raw and synchronous: the engine's tools
 * read through the engine store's raw connection.
 */
export function latestSectionUuid(sqlite: RawReader): string | null {
  return (
    (sqlite.prepare('select section_uuid from sync_state order by last_sync_at desc limit 1').pluck().get() as string | null | undefined) ??
    null
  );
}
