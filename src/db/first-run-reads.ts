// What the first-run wizard reads from the tables: whether the library cache holds the section, whether Plex
// ever delivered a webhook, the newest finished dry run and full pass, and how many rating writes were applied.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface FirstRunRecord {
  /** Tracks in the library cache. */
  tracks: number;
  /** The newest sync of the cache (Plex epoch seconds, sync_state's unit); null before the first. */
  lastSyncAt: number | null;
  /** Webhook deliveries stored, those retention deleted included. */
  webhooksReceived: number;
  lastDryRun: FinishedRun | null;
  lastFullPass: FinishedRun | null;
  /** Journal rows Plex took (ratings set or cleared), by any run. */
  appliedWrites: number;
}

export interface FinishedRun {
  id: number;
  finishedAt: number;
  /** The run's counts (`planned`, `written`, …), parsed; {} when absent or unreadable. */
  counts: Record<string, number>;
}

async function count(db: Kysely<Database>, table: 'tracks' | 'webhook_events'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function lastFinished(db: Kysely<Database>, kind: 'dry' | 'full'): Promise<FinishedRun | null> {
  const row = await db
    .selectFrom('engine_runs')
    .select(['id', 'finished_at', 'counts'])
    .where('kind', '=', kind)
    .where('status', '=', 'done')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  let counts: Record<string, number> = {};
  try {
    counts = row.counts ? (JSON.parse(row.counts) as Record<string, number>) : {};
  } catch {
    counts = {};
  }
  return { id: row.id, finishedAt: row.finished_at ?? 0, counts };
}

export async function readFirstRunRecord(db: Kysely<Database>): Promise<FirstRunRecord> {
  try {
    const [tracks, sync, received, retained, lastDryRun, lastFullPass, applied] = await Promise.all([
      count(db, 'tracks'),
      db
        .selectFrom('sync_state')
        .select((eb) => eb.fn.max('last_sync_at').as('at'))
        .executeTakeFirst(),
      count(db, 'webhook_events'),
      db
        .selectFrom('webhook_event_totals')
        .select((eb) => eb.fn.sum<number>('events').as('n'))
        .executeTakeFirst(),
      lastFinished(db, 'dry'),
      lastFinished(db, 'full'),
      db
        .selectFrom('write_journal')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'applied')
        .where('operation', 'in', ['rate', 'rate_manual', 'clear'])
        .executeTakeFirstOrThrow(),
    ]);
    return {
      tracks,
      lastSyncAt: sync?.at != null ? Number(sync.at) : null,
      webhooksReceived: received + Number(retained?.n ?? 0),
      lastDryRun,
      lastFullPass,
      appliedWrites: Number(applied.n),
    };
  } catch (err) {
    throw new Error(`store: unable to read the first-run facts: ${(err as Error).message}`, { cause: err });
  }
}
