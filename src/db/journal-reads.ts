// Reads of the write journal outside the writer: where the live model last looked (to re-read only the
// items journaled since), and one item's history for the explorer. Synchronous on the raw connection like
// the journal's repository (db/engine-journal-repo): the live model and the item view are synchronous.
import type { RawReader } from './library-reads.js';

/** Keys per `in (…)` list; SQLite's default limit on bound parameters is far above this. */
const IN_CHUNK = 500;

/** The newest journal id (0 when the journal is empty). */
export function newestJournalId(sqlite: RawReader): number {
  return (sqlite.prepare('select coalesce(max(id), 0) from write_journal').pluck().get() as number) ?? 0;
}

/** Ids of the journal rows still pending. */
export function pendingJournalIds(sqlite: RawReader): number[] {
  return sqlite.prepare("select id from write_journal where status = 'pending'").pluck().all() as number[];
}

/** Item keys of every journal row after `afterId`. */
export function journaledKeysSince(sqlite: RawReader, afterId: number): string[] {
  return sqlite.prepare('select item_key from write_journal where id > ?').pluck().all(afterId) as string[];
}

/** Item keys of those of the given journal rows that are no longer pending. */
export function settledJournalKeys(sqlite: RawReader, ids: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = ids.slice(i, i + IN_CHUNK);
    const rows = sqlite
      .prepare(`select item_key from write_journal where id in (${chunk.map(() => '?').join(',')}) and status != 'pending'`)
      .pluck()
      .all(...chunk) as string[];
    for (const key of rows) out.push(key);
  }
  return out;
}

export interface ItemJournalRow {
  id: number;
  run_id: number;
  run_kind: string | null;
  operation: string;
  value_before: number | null;
  value_after: number | null;
  status: string;
  note: string | null;
  created_at: number;
  undone_by_run_id: number | null;
}

/** One item's journal rows with their run's kind, newest first. */
export function itemJournalHistory(sqlite: RawReader, key: string, limit: number): ItemJournalRow[] {
  return sqlite
    .prepare(
      'select j.id, j.run_id, r.kind as run_kind, j.operation, j.value_before, j.value_after, j.status, j.note, ' +
        `j.created_at, j.undone_by_run_id
       from write_journal j left join engine_runs r on r.id = j.run_id where j.item_key = ? order by j.id desc limit ?`,
    )
    .all(key, limit) as ItemJournalRow[];
}
