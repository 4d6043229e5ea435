// The durable inbox: a webhook is a row here before Plex gets its 200. The worker (the engine's side)
// claims pending rows, and the UI reads counts and the recent feed. The statements are in db/inbox-*.
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { DatabaseBusyError, isDatabaseBusy } from '../db/connection.js';
import { inboxInserter, type InboxInsertArgs } from '../db/inbox-insert.js';
import { insertInboxEvent } from '../db/inbox-repo.js';
import type { Database } from '../db/schema.js';
import type { Classified } from './payload.js';
import { storePayload } from './stored-payload.js';

export { inboxCounts } from '../db/inbox-reads.js';

/**
 * An ignored event keeps its summary row (event, reason, item) but not its payload: nothing will ever
 * apply it, and most deliveries are ignored (plays, other libraries). A pending event keeps the compact
 * form of its payload (webhooks/stored-payload) until retention drops it (see db/inbox-retention-repo).
 */
function storedPayload(classified: Classified, payloadText: string): Buffer | string {
  return classified.status === 'ignored' ? '' : storePayload(payloadText);
}

export async function recordWebhook(
  db: Kysely<Database>,
  event: string,
  classified: Classified,
  payloadText: string,
  now = Date.now(),
): Promise<number> {
  return insertInboxEvent(db, {
    received_at: now,
    event,
    status: classified.status,
    ignore_reason: classified.ignoreReason,
    item_key: classified.itemKey,
    item_type: classified.itemType,
    rating: classified.rating,
    account_id: classified.accountId,
    server_uuid: classified.serverUuid,
    payload: storedPayload(classified, payloadText),
    attempts: 0,
    next_attempt_at: classified.status === 'pending' ? now : null,
    last_error: null,
    processed_at: classified.status === 'ignored' ? now : null,
    outcome: null,
    run_id: null,
  });
}

/**
 * The receiver's hot path: one prepared INSERT per event (db/inbox-insert), no query building — with group
 * commit. Rows that arrive in the same turn of the event loop (many senders at once) are committed in one
 * transaction at the end of that turn; each request is answered only after its row is committed. Alone, a row waits
 * one turn (microseconds). If the batch's transaction fails, each row is tried on its own, so one bad row
 * never fails the rows beside it. Same row as recordWebhook.
 * When another connection holds the write lock (SQLITE_BUSY), the rows wait on a timer and are tried again
 * with backoff, never in a blocking wait; a row still not stored after `busyWaitMs` (default 1 s) is refused
 * with DatabaseBusyError.
 */
export function inboxRecorder(
  sqlite: SQLite.Database,
  options: { busyWaitMs?: number; onBusy?: (waiting: number, attempt: number) => void; table?: 'webhook_events' | 'spooled_events' } = {},
): (event: string, classified: Classified, payloadText: string, now?: number) => Promise<number> {
  const inserter = inboxInserter(sqlite, options.table);
  interface Queued {
    args: InboxInsertArgs;
    resolve: (id: number) => void;
    reject: (err: unknown) => void;
  }
  let queue: Queued[] = [];
  // Rows waiting for the database, each with the time it was first tried, in arrival order.
  const busyWaitMs = options.busyWaitMs ?? 1000;
  let held: Array<{ q: Queued; since: number }> = [];
  let retry: NodeJS.Timeout | null = null;
  let busyAttempts = 0;
  const flush = () => {
    const now = Date.now();
    for (const q of queue) held.push({ q, since: now });
    queue = [];
    // While the database is busy, new rows join the rows waiting for the next try.
    if (!retry) tryHeld();
  };
  const tryHeld = () => {
    retry = null;
    const batch = held;
    held = [];
    try {
      const ids = inserter.insertAll(batch.map((h) => h.q.args));
      batch.forEach((h, i) => {
        h.q.resolve(ids[i]);
      });
      busyAttempts = 0;
      return;
    } catch (err) {
      if (isDatabaseBusy(err)) return holdOn(batch);
    }
    const busy: typeof held = [];
    for (const h of batch) {
      try {
        h.q.resolve(inserter.insert(h.q.args));
      } catch (err) {
        if (isDatabaseBusy(err)) busy.push(h);
        else h.q.reject(err);
      }
    }
    if (busy.length > 0) holdOn(busy);
    else busyAttempts = 0;
  };
  const holdOn = (batch: typeof held) => {
    const now = Date.now();
    for (const h of batch) {
      if (now - h.since >= busyWaitMs) h.q.reject(new DatabaseBusyError());
      else held.push(h);
    }
    if (held.length === 0) {
      busyAttempts = 0;
      return;
    }
    busyAttempts += 1;
    options.onBusy?.(held.length, busyAttempts);
    // Every millisecond (the timer's grain): the other writer's transactions last about that long, and
    // a try that finds the lock still held costs microseconds, so a growing backoff would only add to the
    // answer's latency; a refusal comes within a millisecond of busyWaitMs.
    retry = setTimeout(tryHeld, 1);
  };
  return (event, c, payloadText, now = Date.now()) =>
    new Promise<number>((resolve, reject) => {
      const args: InboxInsertArgs = [
        now,
        event,
        c.status,
        c.ignoreReason,
        c.itemKey,
        c.itemType,
        c.rating,
        c.accountId,
        c.serverUuid,
        storedPayload(c, payloadText),
        c.status === 'pending' ? now : null,
        c.status === 'ignored' ? now : null,
      ];
      if (queue.push({ args, resolve, reject }) === 1) setImmediate(flush);
    });
}
