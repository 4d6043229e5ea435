// The inbox (table webhook_events) as the worker and the event sources use it: rows recorded one at a
// time (catch-up polling, tests), claimed in arrival order, settled with their outcome, retried. The
// receiver's own insert is db/inbox-insert; retention is db/inbox-retention-repo.
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { WebhookEventTable, WebhookStatus } from './tables/webhooks.js';

export type InboxRow = Selectable<WebhookEventTable>;
export type NewInboxRow = Omit<Insertable<WebhookEventTable>, 'id' | 'receipt_id'>;

/** Inserts one row; returns its id. */
export async function insertInboxEvent(db: Kysely<Database>, row: NewInboxRow): Promise<number> {
  const inserted = await db.insertInto('webhook_events').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Puts rows left `processing` (by a stop or a crash) back to pending, due at `now`; returns how many. */
export async function reviveProcessingEvents(db: Kysely<Database>, now: number): Promise<number> {
  const revived = await db
    .updateTable('webhook_events')
    .set({ status: 'pending', next_attempt_at: now })
    .where('status', '=', 'processing')
    .executeTakeFirst();
  return Number(revived.numUpdatedRows);
}

/** Marks up to `limit` pending rows due at `now` as processing, in arrival order, and returns them (one transaction). */
export async function claimDueEvents(db: Kysely<Database>, now: number, limit: number): Promise<InboxRow[]> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('webhook_events')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('id')
      .limit(limit)
      .execute();
    if (rows.length === 0) return rows;
    await trx
      .updateTable('webhook_events')
      .set({ status: 'processing' })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows;
  });
}

export interface ProcessedEvent {
  /** The reason when the event turned out not to be for Sagewire (then counted as ignored), else null (done). */
  ignored: string | null;
  /** Drop the payload, keeping the summary row (ignored events, Sagewire's own echoes). */
  dropPayload: boolean;
  outcome: string;
  runId: number | null;
  attempts: number;
  processedAt: number;
}

/** Settles a row the engine applied. */
export async function markEventProcessed(db: Kysely<Database>, id: number, done: ProcessedEvent): Promise<void> {
  await db
    .updateTable('webhook_events')
    .set({
      ...(done.dropPayload ? { payload: '' } : {}),
      status: done.ignored ? 'ignored' : 'done',
      ignore_reason: done.ignored,
      processed_at: done.processedAt,
      outcome: done.outcome,
      run_id: done.runId,
      attempts: done.attempts,
      last_error: null,
    })
    .where('id', '=', id)
    .execute();
}

export interface FailedEvent {
  /** Dead-lettered (never retried unless asked), or pending again at `nextAttemptAt`. */
  dead: boolean;
  attempts: number;
  error: string;
  nextAttemptAt: number | null;
  processedAt: number | null;
}

/** Settles a row the engine failed to apply. */
export async function markEventFailed(db: Kysely<Database>, id: number, failed: FailedEvent): Promise<void> {
  const status: WebhookStatus = failed.dead ? 'dead' : 'pending';
  await db
    .updateTable('webhook_events')
    .set({
      status,
      attempts: failed.attempts,
      last_error: failed.error,
      next_attempt_at: failed.nextAttemptAt,
      processed_at: failed.processedAt,
    })
    .where('id', '=', id)
    .execute();
}

/** Puts dead-lettered rows (all, or the given ids) back in the queue, due at `now`; returns how many. */
export async function requeueDeadEvents(db: Kysely<Database>, ids: readonly number[] | undefined, now: number): Promise<number> {
  let query = db
    .updateTable('webhook_events')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, processed_at: null })
    .where('status', '=', 'dead');
  if (ids) query = query.where('id', 'in', ids.length > 0 ? [...ids] : [-1]);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Item keys of the rows still waiting to be applied (pending or processing). */
export async function queuedItemKeys(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_events')
    .select('item_key')
    .where('status', 'in', ['pending', 'processing'])
    .where('item_key', 'is not', null)
    .execute();
  return rows.map((r) => r.item_key!);
}
