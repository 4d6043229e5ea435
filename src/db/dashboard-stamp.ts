// The dashboard's stamp: one short string that changes whenever anything the dashboard shows may have
// changed, whoever changed it (this process, the webhook receiver's thread, the CLI). The live dashboard
// reads it a few times a second and renders only when it moved. It is read in two steps:
//   - a commit counter, free to read: SQLite's data_version moves when another connection (another thread
//     or process) commits, and total_changes() counts the rows this connection changed. While neither
//     moves, nothing can have changed and the stamp read last is still right;
//   - the stamp itself, read only after a commit: primary-key and rowid lookups, and counts of the few
//     queued and dead inbox rows through the inbox's status index:
//   data_versions            library and ratings (the counts, ownership, undo state of feed rows)
//   sync_state               when the library cache was last synced
//   webhook_events           the newest id; status and attempts of the rows the feed reads; rows queued
//                            and dead anywhere in the inbox (a retry or a dead letter far back in it)
//   engine_runs              the newest runs' status and end (a run starting, finishing, failing)
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Inbox rows the feed reads (the dashboard folds echoes out of them); their state is part of the stamp. */
export const FEED_WINDOW = 200;

const RUNS_WATCHED = 5;

/** Moves whenever any connection committed a change (or this one changed a row) since the last read. */
export async function readCommitCounter(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{
    counter: string;
  }>`select data_version || '.' || total_changes() as counter from pragma_data_version`.execute(db);
  return rows[0]?.counter ?? '';
}

/** The stamp, read again only when the commit counter moved. */
export function dashboardStamp(db: Kysely<Database>): () => Promise<string> {
  let last: { counter: string; stamp: string } | null = null;
  return async () => {
    const counter = await readCommitCounter(db);
    if (last?.counter === counter) return last.stamp;
    // The counter is read first: a commit landing while the stamp is read moves it again for the next call.
    const stamp = await readDashboardStamp(db);
    last = { counter, stamp };
    return stamp;
  };
}

/** One statement; every part is a lookup by key, rowid or index (tests check its query plan). */
export const STAMP_SQL = `select
  coalesce((select version from data_versions where name = 'library'), 0) || '.' ||
  coalesce((select version from data_versions where name = 'ratings'), 0) || '|' ||
  coalesce((select max(last_sync_at) from sync_state), '') || '|' ||
  coalesce((select max(id) from webhook_events), 0) || '|' ||
  coalesce((select group_concat(id || status || attempts, ',') from
    (select id, status, attempts from webhook_events order by id desc limit ${FEED_WINDOW})), '') || '|' ||
  (select count(*) from webhook_events where status = 'dead') || '.' ||
  (select count(*) from webhook_events where status in ('pending', 'processing')) || '|' ||
  coalesce((select group_concat(id || status || coalesce(finished_at, ''), ',') from
    (select id, status, finished_at from engine_runs order by id desc limit ${RUNS_WATCHED})), '') as stamp`;

export async function readDashboardStamp(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ stamp: string }>`${sql.raw(STAMP_SQL)}`.execute(db);
  return rows[0]?.stamp ?? '';
}
