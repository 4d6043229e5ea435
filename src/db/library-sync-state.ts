// store: the sync bookkeeping of the library cache. The cache mirrors one section of one server,
// so there is at most one row; a different server or section means the cache is rebuilt.
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { SyncStateTable } from './tables/library.js';

export type SyncStateRow = Selectable<SyncStateTable>;
export type SyncStateValues = Omit<Insertable<SyncStateTable>, 'id'>;

export async function readSyncState(db: Kysely<Database>): Promise<SyncStateRow | null> {
  try {
    return (await db.selectFrom('sync_state').selectAll().orderBy('id').executeTakeFirst()) ?? null;
  } catch (err) {
    throw new Error(`store: unable to read sync state: ${(err as Error).message}`, { cause: err });
  }
}

/** Replaces the bookkeeping with one row for `values.section_id`. */
export async function saveSyncState(db: Kysely<Database>, values: SyncStateValues): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sync_state').where('section_id', '!=', values.section_id).execute();
      await trx
        .insertInto('sync_state')
        .values(values)
        .onConflict((oc) => oc.column('section_id').doUpdateSet(values))
        .execute();
    });
  } catch (err) {
    throw new Error(`store: unable to save sync state: ${(err as Error).message}`, { cause: err });
  }
}
