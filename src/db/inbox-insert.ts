// The receiver's insert into the inbox (or into the receiver's spool, which has the inbox row's columns).
// Raw prepared statement, prepared once with the recorder: it runs per delivered webhook on the path that
// answers Plex, where building a query per row would cost more than the insert itself.
import type SQLite from 'better-sqlite3';
import type { WebhookStatus } from './tables/webhooks.js';

/** One new row's values, in the statement's order; attempts start at 0, last error, outcome and run empty. */
export type InboxInsertArgs = [
  receivedAt: number,
  event: string,
  status: WebhookStatus,
  ignoreReason: string | null,
  itemKey: string | null,
  itemType: string | null,
  rating: number | null,
  accountId: number | null,
  serverUuid: string | null,
  payload: Buffer | string,
  nextAttemptAt: number | null,
  processedAt: number | null,
];

export interface InboxInserter {
  /** Inserts one row; returns its id. */
  insert(args: InboxInsertArgs): number;
  /** Inserts the rows in one transaction (all or none); returns their ids in order. */
  insertAll(rows: readonly InboxInsertArgs[]): number[];
}

export function inboxInserter(sqlite: SQLite.Database, table: 'webhook_events' | 'spooled_events' = 'webhook_events'): InboxInserter {
  const statement = sqlite.prepare(
    `insert into ${table} (received_at, event, status, ignore_reason, item_key, item_type, rating, account_id, server_uuid,
       payload, attempts, next_attempt_at, last_error, processed_at, outcome, run_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, null, ?, null, null)`,
  );
  const insert = (args: InboxInsertArgs) => Number(statement.run(...args).lastInsertRowid);
  const insertAll = sqlite.transaction((rows: readonly InboxInsertArgs[]) => rows.map(insert));
  return { insert, insertAll };
}
