// Inbox retention (tables webhook_events, webhook_event_totals). A processed event's payload is only
// useful for a while (to see what Plex sent); its summary row (event, item, rating, outcome) a while
// longer (the Ratings page's feed, undo of one event). Pruning walks the inbox by id in small windows, one
// short transaction each, so it never holds the database (or the event loop) for long; ids grow with
// `received_at`, so the newest id received before a cutoff bounds the walk.
// Pending, processing and dead-lettered events are never pruned: they may still be applied or retried.
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const DAY_MS = 86_400_000;

export interface InboxRetentionPolicy {
  /** A processed event's payload is dropped this many days after it was received. */
  payloadDays: number;
  /** The row itself is deleted (its count moving to webhook_event_totals) this many days after receipt. */
  rowDays: number;
}

/** Rows are kept three times as long as payloads, and at least a week (the feed and undo of one event use them). */
export function inboxRetentionPolicy(payloadDays: number): InboxRetentionPolicy {
  return { payloadDays, rowDays: Math.max(7, payloadDays * 3) };
}

export const DEFAULT_INBOX_RETENTION: InboxRetentionPolicy = inboxRetentionPolicy(30);

export interface PruneStep {
  payloadsDropped: number;
  rowsDeleted: number;
  /** More rows are past a cutoff: call step() again (after letting other work run). */
  more: boolean;
}

/** Statuses whose rows retention may touch. */
const SETTLED = ['done', 'ignored'] as const;

export class InboxRetention {
  /** Every id at or below a mark has been handled; in memory, so a restart walks once more from the oldest row. */
  private payloadMark: number | null = null;
  private rowMark: number | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly policy: InboxRetentionPolicy,
    /** Ids per step: each step reads and writes at most this many rows. */
    private readonly window = 500,
  ) {}

  async step(now = Date.now()): Promise<PruneStep> {
    if (this.rowMark === null || this.payloadMark === null) {
      const oldest = await this.db
        .selectFrom('webhook_events')
        .select((eb) => eb.fn.min('id').as('id'))
        .executeTakeFirst();
      const start = oldest?.id != null ? Number(oldest.id) - 1 : 0;
      this.rowMark ??= start;
      this.payloadMark ??= start;
    }
    const rowCut = await this.newestIdBefore(now - this.policy.rowDays * DAY_MS);
    const payloadCut = await this.newestIdBefore(now - this.policy.payloadDays * DAY_MS);
    let rowsDeleted = 0;
    let payloadsDropped = 0;

    if (this.rowMark < rowCut) {
      const lo = this.rowMark;
      const hi = Math.min(lo + this.window, rowCut);
      rowsDeleted = await this.db.transaction().execute(async (trx) => {
        await sql`
          insert into webhook_event_totals (status, ignore_reason, events, last_received_at)
          select status, coalesce(ignore_reason, ''), count(*), max(received_at) from webhook_events
          where id > ${lo} and id <= ${hi} and status in ('done', 'ignored')
          group by status, coalesce(ignore_reason, '')
          on conflict (status, ignore_reason) do update set
            events = events + excluded.events,
            last_received_at = max(coalesce(last_received_at, 0), excluded.last_received_at)`.execute(trx);
        const deleted = await trx
          .deleteFrom('webhook_events')
          .where('id', '>', lo)
          .where('id', '<=', hi)
          .where('status', 'in', SETTLED)
          .executeTakeFirst();
        return Number(deleted.numDeletedRows);
      });
      this.rowMark = hi;
    }

    // Rows already deleted need no payload pass.
    this.payloadMark = Math.max(this.payloadMark, this.rowMark);
    if (this.payloadMark < payloadCut) {
      const lo = this.payloadMark;
      const hi = Math.min(lo + this.window, payloadCut);
      const dropped = await this.db
        .updateTable('webhook_events')
        .set({ payload: '' })
        .where('id', '>', lo)
        .where('id', '<=', hi)
        .where('status', 'in', SETTLED)
        .where('payload', '!=', '')
        .executeTakeFirst();
      payloadsDropped = Number(dropped.numUpdatedRows);
      this.payloadMark = hi;
    }
    return { payloadsDropped, rowsDeleted, more: this.rowMark < rowCut || this.payloadMark < payloadCut };
  }

  /** The id of the newest row received before `at` (0 when none): an index seek on received_at. */
  private async newestIdBefore(at: number): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_events')
      .select('id')
      .where('received_at', '<', at)
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? 0;
  }
}

export interface DeletedTotals {
  byStatus: Record<string, number>;
  ignoredByReason: Record<string, number>;
  lastReceivedAt: number | null;
}

/** What retention deleted, by status and ignored reason (added to the live rows' counts). */
export async function deletedInboxTotals(db: Kysely<Database>): Promise<DeletedTotals> {
  const rows = await db.selectFrom('webhook_event_totals').selectAll().execute();
  const totals: DeletedTotals = { byStatus: {}, ignoredByReason: {}, lastReceivedAt: null };
  for (const row of rows) {
    totals.byStatus[row.status] = (totals.byStatus[row.status] ?? 0) + Number(row.events);
    if (row.status === 'ignored') {
      const reason = row.ignore_reason || 'unknown';
      totals.ignoredByReason[reason] = (totals.ignoredByReason[reason] ?? 0) + Number(row.events);
    }
    if (row.last_received_at !== null) totals.lastReceivedAt = Math.max(totals.lastReceivedAt ?? 0, Number(row.last_received_at));
  }
  return totals;
}
