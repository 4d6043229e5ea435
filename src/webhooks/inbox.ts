// The durable inbox: a webhook is a row here before Plex gets its 200. The worker (issue 4's
// engine side) claims pending rows, and the UI reads counts and the recent feed.
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { WebhookStatus } from '../db/tables/webhooks.js';
import type { Classified } from './payload.js';

export interface InboxCounts {
  pending: number;
  processing: number;
  done: number;
  ignored: number;
  dead: number;
  /** Pending rows that already failed at least once and wait for a retry. */
  failed: number;
  lastReceivedAt: number | null;
  ignoredByReason: Record<string, number>;
}

export async function recordWebhook(
  db: Kysely<Database>,
  event: string,
  classified: Classified,
  payloadText: string,
  now = Date.now(),
): Promise<number> {
  const row = await db
    .insertInto('webhook_events')
    .values({
      received_at: now,
      event,
      status: classified.status,
      ignore_reason: classified.ignoreReason,
      item_key: classified.itemKey,
      item_type: classified.itemType,
      rating: classified.rating,
      account_id: classified.accountId,
      server_uuid: classified.serverUuid,
      payload: payloadText,
      attempts: 0,
      next_attempt_at: classified.status === 'pending' ? now : null,
      last_error: null,
      processed_at: classified.status === 'ignored' ? now : null,
      outcome: null,
      run_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The receiver's hot path: one prepared INSERT per event, no query building — with group commit. Rows
 * that arrive in the same turn of the event loop (many senders at once) are committed in one transaction
 * at the end of that turn; each request is answered only after its row is committed. Alone, a row waits
 * one turn (microseconds). If the batch's transaction fails, each row is tried on its own, so one bad row
 * never fails the rows beside it. Same row as recordWebhook.
 */
export function inboxRecorder(sqlite: SQLite.Database): (event: string, classified: Classified, payloadText: string, now?: number) => Promise<number> {
  const insert = sqlite.prepare(
    `insert into webhook_events (received_at, event, status, ignore_reason, item_key, item_type, rating, account_id, server_uuid,
       payload, attempts, next_attempt_at, last_error, processed_at, outcome, run_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, null, ?, null, null)`,
  );
  interface Queued {
    args: unknown[];
    resolve: (id: number) => void;
    reject: (err: unknown) => void;
  }
  let queue: Queued[] = [];
  const insertAll = sqlite.transaction((batch: Queued[]) => batch.map((q) => Number(insert.run(...q.args).lastInsertRowid)));
  const flush = () => {
    const batch = queue;
    queue = [];
    try {
      const ids = insertAll(batch);
      batch.forEach((q, i) => q.resolve(ids[i]));
    } catch {
      for (const q of batch) {
        try {
          q.resolve(Number(insert.run(...q.args).lastInsertRowid));
        } catch (err) {
          q.reject(err);
        }
      }
    }
  };
  return (event, c, payloadText, now = Date.now()) =>
    new Promise<number>((resolve, reject) => {
      const args = [
        now, event, c.status, c.ignoreReason, c.itemKey, c.itemType, c.rating, c.accountId, c.serverUuid, payloadText,
        c.status === 'pending' ? now : null, c.status === 'ignored' ? now : null,
      ];
      if (queue.push({ args, resolve, reject }) === 1) setImmediate(flush);
    });
}

export async function inboxCounts(db: Kysely<Database>): Promise<InboxCounts> {
  const byStatus = await db
    .selectFrom('webhook_events')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts: Record<WebhookStatus, number> = { pending: 0, processing: 0, done: 0, ignored: 0, dead: 0 };
  for (const row of byStatus) counts[row.status] = Number(row.n);
  const failed = await db
    .selectFrom('webhook_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .where('attempts', '>', 0)
    .executeTakeFirstOrThrow();
  const reasons = await db
    .selectFrom('webhook_events')
    .select(['ignore_reason', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', '=', 'ignored')
    .groupBy('ignore_reason')
    .execute();
  const last = await db.selectFrom('webhook_events').select((eb) => eb.fn.max('received_at').as('at')).executeTakeFirst();
  return {
    ...counts,
    failed: Number(failed.n),
    lastReceivedAt: last?.at ?? null,
    ignoredByReason: Object.fromEntries(reasons.map((r) => [r.ignore_reason ?? 'unknown', Number(r.n)])),
  };
}
