// What the status page and GET /api/status read from the tables: library sizes, the last sync, the latest
// run and the latest run that computed the model's μ and ε.
import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { EngineRunTable } from './tables/engine.js';

/** Rows of one library table. */
export async function libraryTableCount(db: Kysely<Database>, table: 'artists' | 'albums' | 'tracks'): Promise<number> {
  return Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

/** When the library was last synced, in Plex epoch seconds (sync_state's unit); null before the first sync. */
export async function lastLibrarySyncAt(db: Kysely<Database>): Promise<number | null> {
  const row = await db
    .selectFrom('sync_state')
    .select((eb) => eb.fn.max('last_sync_at').as('at'))
    .executeTakeFirst();
  return row?.at != null ? Number(row.at) : null;
}

/** The newest engine run, or null. */
export async function latestRun(db: Kysely<Database>): Promise<Selectable<EngineRunTable> | null> {
  return (await db.selectFrom('engine_runs').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst()) ?? null;
}

/** The newest run that recorded μ (and ε), or null. */
export async function latestModelRun(db: Kysely<Database>): Promise<Pick<Selectable<EngineRunTable>, 'id' | 'mu' | 'epsilon'> | null> {
  return (
    (await db
      .selectFrom('engine_runs')
      .select(['id', 'mu', 'epsilon'])
      .where('mu', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()) ?? null
  );
}
