// The inbox (table webhook_events) as the pages read it: counts by status over every event ever received,
// the newest events, what applying some of them did, and the dead-lettered ones.
import { sql, type Kysely, type Selectable } from 'kysely';
import { RATING_OPERATIONS } from './engine-journal-repo.js';
import { deletedInboxTotals } from './inbox-retention-repo.js';
import type { Database } from './schema.js';
import type { WebhookEventTable, WebhookStatus } from './tables/webhooks.js';

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

/**
 * Counts by status over every event ever received: the rows still in the inbox plus the running totals
 * of rows retention has deleted (webhook_event_totals), so the numbers never drop when old rows go.
 */
export async function inboxCounts(db: Kysely<Database>): Promise<InboxCounts> {
  const byStatus = await db
    .selectFrom('webhook_events')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const deleted = await deletedInboxTotals(db);
  const counts: Record<WebhookStatus, number> = { pending: 0, processing: 0, done: 0, ignored: 0, dead: 0 };
  for (const row of byStatus) counts[row.status] = Number(row.n);
  for (const [status, n] of Object.entries(deleted.byStatus)) if (status in counts) counts[status as WebhookStatus] += n;
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
  const ignoredByReason: Record<string, number> = { ...deleted.ignoredByReason };
  for (const r of reasons) {
    const reason = r.ignore_reason ?? 'unknown';
    ignoredByReason[reason] = (ignoredByReason[reason] ?? 0) + Number(r.n);
  }
  const last = await db
    .selectFrom('webhook_events')
    .select((eb) => eb.fn.max('received_at').as('at'))
    .executeTakeFirst();
  const lastReceivedAt = last?.at ?? null;
  return {
    ...counts,
    failed: Number(failed.n),
    lastReceivedAt:
      lastReceivedAt === null && deleted.lastReceivedAt === null ? null : Math.max(lastReceivedAt ?? 0, deleted.lastReceivedAt ?? 0),
    ignoredByReason,
  };
}

export type RecentInboxRow = Pick<
  Selectable<WebhookEventTable>,
  'id' | 'received_at' | 'event' | 'status' | 'ignore_reason' | 'item_type' | 'rating' | 'attempts' | 'last_error' | 'next_attempt_at'
>;

/** The newest `limit` rows, newest first, without their payload. */
export async function recentInboxEvents(db: Kysely<Database>, limit: number): Promise<RecentInboxRow[]> {
  return db
    .selectFrom('webhook_events')
    .select(['id', 'received_at', 'event', 'status', 'ignore_reason', 'item_type', 'rating', 'attempts', 'last_error', 'next_attempt_at'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * The newest `limit` events that are not echoes (Sagewire's own writes coming back from Plex), among the
 * newest `scan` rows: a rating whose propagation wrote hundreds of items is followed by as many echoes, which
 * must not push it out of a feed that reads the newest rows. Bounded by rowid, so a long run of echoes costs
 * at most `scan` rows.
 */
export async function recentEventsBesidesEchoes(db: Kysely<Database>, limit: number, scan: number): Promise<RecentInboxRow[]> {
  return db
    .selectFrom('webhook_events')
    .select(['id', 'received_at', 'event', 'status', 'ignore_reason', 'item_type', 'rating', 'attempts', 'last_error', 'next_attempt_at'])
    .where('id', '>', (eb) => eb.selectFrom('webhook_events').select(sql<number>`coalesce(max(id), 0) - ${scan}`.as('floor')))
    .where(sql<boolean>`not (status = 'done' and coalesce(outcome, '') like '%"echo":true%')`)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** What applying each of the given rows did (`outcome` as stored, JSON) and its run; absent ids are left out. */
/** What applying each event did, and how many of its run's rating writes undo could still restore (the same
 *  scope as the journal's undoable({eventId}): 0 once they are undone). */
export async function inboxOutcomes(
  db: Kysely<Database>,
  ids: readonly number[],
): Promise<Array<Pick<Selectable<WebhookEventTable>, 'id' | 'outcome' | 'run_id'> & { undoable: number }>> {
  if (ids.length === 0) return [];
  const ops = sql.join(RATING_OPERATIONS.map((o) => sql.lit(o)));
  return db
    .selectFrom('webhook_events as e')
    .select(['e.id', 'e.outcome', 'e.run_id'])
    .select(
      sql<number>`(select count(*) from write_journal j join engine_runs r on r.id = j.run_id
        where j.status = 'applied' and j.undone_by_run_id is null and j.operation in (${ops})
        and (r.event_id = e.id or r.id = e.run_id))`.as('undoable'),
    )
    .where('e.id', 'in', [...ids])
    .execute();
}

export type DeadInboxRow = Pick<
  Selectable<WebhookEventTable>,
  'id' | 'received_at' | 'event' | 'item_key' | 'item_type' | 'attempts' | 'last_error'
>;

/** How many rows are dead-lettered, and the newest `limit` of them. */
export async function deadInboxEvents(db: Kysely<Database>, limit: number): Promise<{ total: number; rows: DeadInboxRow[] }> {
  const [count, rows] = await Promise.all([
    db
      .selectFrom('webhook_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'dead')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('webhook_events')
      .select(['id', 'received_at', 'event', 'item_key', 'item_type', 'attempts', 'last_error'])
      .where('status', '=', 'dead')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}
