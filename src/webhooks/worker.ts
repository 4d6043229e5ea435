// The inbox worker: a small loop that claims pending events in arrival order and hands them to
// the engine. A "retry later" failure keeps the row pending with exponential backoff; after
// `maxAttempts` it is dead-lettered with the error (visible in /api/status, retriable). One event's
// failure never blocks the events behind it, nor the events beside it: when several events of a batch
// fail with one same error, they are applied again in halves until the failing ones stand alone, so only
// those accrue attempts. Rows left `processing` by a crash go back to pending on start; the engine's
// journal makes re-applying them safe. In idle time the worker prunes the inbox (db/inbox-retention-repo)
// a small step at a time.
import type { Kysely } from 'kysely';
import {
  claimDueEvents,
  markEventFailed,
  markEventProcessed,
  requeueDeadEvents,
  reviveProcessingEvents,
  type InboxRow,
} from '../db/inbox-repo.js';
import { DEFAULT_INBOX_RETENTION, InboxRetention, type InboxRetentionPolicy } from '../db/inbox-retention-repo.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { yieldToIo } from '../util/yield-to-io.js';

export type InboxEvent = InboxRow;

export interface EventResult {
  id: number;
  ok: boolean;
  /** Shown in the UI's feed: `{writes: 3}`, `{echo: true}`, `{ignored: 'other server'}`… */
  outcome?: Record<string, unknown>;
  runId?: number | null;
  error?: string;
  /** True when the event can never succeed (e.g. it names an item Plex no longer has). */
  permanent?: boolean;
}

/** The engine side: applies a batch of claimed events, one result per event. */
export interface EventApplier {
  applyEvents(events: InboxEvent[], signal: AbortSignal): Promise<EventResult[]>;
  /** Low-priority work (e.g. a scheduled full pass), run by the worker's loop when no event is due. */
  onIdle?(signal: AbortSignal): Promise<void>;
}

export interface WorkerOptions {
  db: Kysely<Database>;
  applier: EventApplier;
  logger: Logger;
  batchSize?: number;
  maxAttempts?: number;
  /** Backoff after the n-th failure: base × 2^(n−1), capped. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How often to look for due retries when nothing wakes the worker. */
  idlePollMs?: number;
  /** How long processed events keep their payload and their row; null: never prune. Default 30 / 90 days. */
  retention?: InboxRetentionPolicy | null;
  /** How often idle time looks for rows past retention (when the last look found nothing more to do). */
  pruneEveryMs?: number;
  now?: () => number;
}

/**
 * Halving a failing group stops after this many levels unless some half succeeded: failures that no
 * half escapes share a cause (Plex down), and each retry would only cost another failing request.
 */
const BLIND_BISECT_LEVELS = 2;

export class InboxWorker {
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly idlePollMs: number;
  private readonly now: () => number;
  private readonly abort = new AbortController();
  private wakeUp: (() => void) | null = null;
  private pendingWake = false;
  private loop: Promise<void> | null = null;
  private readonly retention: InboxRetention | null;
  private readonly pruneEveryMs: number;
  private nextPruneAt = 0;

  constructor(private readonly options: WorkerOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.backoffMaxMs = options.backoffMaxMs ?? 5 * 60_000;
    this.idlePollMs = options.idlePollMs ?? 1000;
    this.now = options.now ?? Date.now;
    const policy = options.retention === undefined ? DEFAULT_INBOX_RETENTION : options.retention;
    this.retention = policy ? new InboxRetention(options.db, policy) : null;
    this.pruneEveryMs = options.pruneEveryMs ?? 60_000;
  }

  async start(): Promise<void> {
    const revived = await reviveProcessingEvents(this.options.db, this.now());
    if (revived > 0) this.options.logger.info({ events: revived }, 'worker: resuming events interrupted by a stop');
    this.loop = this.run();
  }

  /** Called when a new event was committed. */
  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  /** Stops after the batch in flight. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wakeUp?.();
    await this.loop;
  }

  /** Processes every due event now (tests and the CLI); returns how many were handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const handled = await this.processBatch();
      total += handled;
      if (handled === 0) return total;
    }
  }

  /** Prunes everything past retention now (tests and the CLI); returns what it removed. */
  async prune(): Promise<{ payloadsDropped: number; rowsDeleted: number }> {
    const total = { payloadsDropped: 0, rowsDeleted: 0 };
    if (!this.retention) return total;
    for (;;) {
      const step = await this.retention.step(this.now());
      total.payloadsDropped += step.payloadsDropped;
      total.rowsDeleted += step.rowsDeleted;
      if (!step.more) return total;
      await yieldToIo();
    }
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      let handled = 0;
      try {
        handled = await this.processBatch();
      } catch (err) {
        this.options.logger.error({ err }, 'worker: batch failed');
      }
      if (handled > 0 || this.abort.signal.aborted) continue;
      if (this.options.applier.onIdle) {
        try {
          await this.options.applier.onIdle(this.abort.signal);
        } catch (err) {
          this.options.logger.error({ err }, 'worker: idle work failed');
        }
      }
      // One small pruning step per idle turn; go round again (events first) while more is due.
      if (await this.pruneStep()) continue;
      if (this.pendingWake) {
        this.pendingWake = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.idlePollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
      this.pendingWake = false;
    }
  }

  /** True when more pruning is due at once. */
  private async pruneStep(): Promise<boolean> {
    if (!this.retention || this.abort.signal.aborted) return false;
    const now = this.now();
    if (now < this.nextPruneAt) return false;
    try {
      const step = await this.retention.step(now);
      if (step.rowsDeleted + step.payloadsDropped > 0) this.options.logger.debug(step, 'worker: inbox pruned');
      this.nextPruneAt = step.more ? now : now + this.pruneEveryMs;
      if (step.more) await yieldToIo();
      return step.more;
    } catch (err) {
      this.nextPruneAt = now + this.pruneEveryMs;
      this.options.logger.error({ err }, 'worker: inbox pruning failed');
      return false;
    }
  }

  private async processBatch(): Promise<number> {
    const events = await this.claim();
    if (events.length === 0) return 0;
    const results = await this.applyIsolating(events);
    for (const event of events) {
      await this.settle(event, results.get(event.id)!);
      // Background work: let the receiver answer waiting webhooks between rows.
      await yieldToIo();
    }
    return events.length;
  }

  /**
   * Applies a batch; when two or more of its events fail with the same error (the whole batch failing
   * because one item poisons a shared request), those are applied again in halves, level by level, so
   * a failing event ends up failing alone and the others succeed now. If no half has succeeded after
   * BLIND_BISECT_LEVELS levels, the cause is shared (Plex down) and the failures stand.
   */
  private async applyIsolating(events: InboxEvent[]): Promise<Map<number, EventResult>> {
    const results = new Map<number, EventResult>();
    const signal = this.abort.signal;
    const apply = async (batch: InboxEvent[]) => {
      let answered: EventResult[];
      try {
        answered = await this.options.applier.applyEvents(batch, signal);
      } catch (err) {
        answered = batch.map((e) => ({ id: e.id, ok: false, error: errorText(err) }));
      }
      const byId = new Map(answered.map((r) => [r.id, r]));
      for (const e of batch)
        results.set(e.id, byId.get(e.id) ?? { id: e.id, ok: false, error: 'the engine returned no result for this event' });
    };
    /** The events of `batch` that failed (retriably) with one same error, when there are two or more. */
    const sharedFailure = (batch: InboxEvent[]): InboxEvent[] | null => {
      const failed = batch.filter((e) => !results.get(e.id)!.ok && results.get(e.id)!.permanent !== true);
      if (failed.length < 2) return null;
      const error = results.get(failed[0].id)!.error;
      return failed.every((e) => results.get(e.id)!.error === error) ? failed : null;
    };

    await apply(events);
    let level = [sharedFailure(events)].filter((g): g is InboxEvent[] => g !== null);
    let halfSucceeded = false;
    for (let depth = 0; level.length > 0 && !signal.aborted; depth++) {
      if (!halfSucceeded && depth >= BLIND_BISECT_LEVELS) break;
      const next: InboxEvent[][] = [];
      for (const group of level) {
        const mid = Math.ceil(group.length / 2);
        for (const half of [group.slice(0, mid), group.slice(mid)]) {
          if (signal.aborted) break;
          await yieldToIo();
          await apply(half);
          if (half.some((e) => results.get(e.id)!.ok)) halfSucceeded = true;
          const again = sharedFailure(half);
          if (again) next.push(again);
        }
      }
      level = next;
    }
    return results;
  }

  private claim(): Promise<InboxEvent[]> {
    return claimDueEvents(this.options.db, this.now(), this.batchSize);
  }

  private async settle(event: InboxEvent, result: EventResult): Promise<void> {
    const { db, logger } = this.options;
    const now = this.now();
    if (result.ok) {
      // The engine may find only now that an event is not for it (e.g. another server, when the server's
      // identity was unknown at receipt): it is then recorded and counted as ignored, with the reason.
      const ignored = typeof result.outcome?.ignored === 'string' ? result.outcome.ignored : null;
      // An echo of Sagewire's own write, or an ignored event, is kept as a summary row without its payload.
      const summaryOnly = ignored !== null || result.outcome?.echo === true;
      await markEventProcessed(db, event.id, {
        ignored,
        dropPayload: summaryOnly,
        outcome: JSON.stringify(result.outcome ?? {}),
        runId: result.runId ?? null,
        attempts: event.attempts + 1,
        processedAt: now,
      });
      return;
    }
    const attempts = event.attempts + 1;
    const dead = result.permanent === true || attempts >= this.maxAttempts;
    const delay = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempts - 1));
    await markEventFailed(db, event.id, {
      dead,
      attempts,
      error: result.error ?? 'unknown error',
      nextAttemptAt: dead ? null : now + delay,
      processedAt: dead ? now : null,
    });
    logger[dead ? 'error' : 'warn'](
      { id: event.id, event: event.event, attempts, error: result.error, retryInMs: dead ? undefined : delay },
      dead ? 'worker: event dead-lettered' : 'worker: event failed, will retry',
    );
  }
}

/** Puts dead-lettered events (all, or the given ids) back in the queue. */
export async function retryDeadEvents(db: Kysely<Database>, ids?: number[], now = Date.now()): Promise<number> {
  return requeueDeadEvents(db, ids, now);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
