// The notifier watches the database rather than hooking into the engine, so it sees what any thread or
// process did (the server, a CLI run, the front door's worker): every few seconds it reads what settled since
// its cursor, sends one message per kind of event to every configured channel, and moves the cursor on.
// The cursor lives in the settings table. A first start puts it at "now", so history is never sent.
// Times settle out of order across writers (a row stamped a moment before another may commit after it), so
// timed kinds are read over a trailing window and the ids already seen in it are remembered.
// The cursor moves before sending: a crash mid-send loses a message rather than repeating one later.
import type { Kysely } from 'kysely';
import {
  deadEventsSince,
  failedRunsSince,
  itemTitles,
  lastJournalId,
  scheduleRuns,
  takeoversAfter,
  type ScheduleRunRow,
} from '../db/notify-reads.js';
import type { Database } from '../db/schema.js';
import { getSetting, putSetting } from '../db/settings-repo.js';
import type { Logger } from '../log.js';
import { deliver, recordResult, sendersOf, type DeliveryOptions, type DeliveryResult } from './delivery.js';
import { deadMessage, runsMessage, schedulesMessage, takeoversMessage, type Message, type ScheduleRun } from './messages.js';
import { KEYS, notifySettingsFrom, savedNotifyRows, secretsOf } from './settings.js';

/** How far back timed kinds are read again, for rows that committed late. */
const WINDOW_MS = 60_000;

interface TimedCursor {
  at: number;
  /** Ids already sent (or skipped) that settled within WINDOW_MS of `at`. */
  seen: number[];
}

interface Cursor {
  dead: TimedCursor;
  runs: TimedCursor;
  takeoverId: number;
  /** Per schedule id: its last run as last seen ("at:status:history"). */
  schedules: Record<string, string>;
}

export interface NotifierOptions extends DeliveryOptions {
  /** Where the events are (a music section's state) and the cursor is kept. */
  db: Kysely<Database>;
  /** Where the channels are configured and their last results kept (the main database); default `db`. */
  settingsDb?: Kysely<Database>;
  /** With several music sections: the one `db` is of, named in every message's title (null: one section). */
  section?: () => string | null;
  logger: Logger;
  /** Between ticks (default 5 s). */
  intervalMs?: number;
  /** Epoch milliseconds; tests move it. */
  now?: () => number;
}

export interface TickOutcome {
  messages: Message[];
  results: DeliveryResult[];
}

/** The saved cursor, or null when there is none or it cannot be read (then it starts again at "now"). */
function parseCursor(text: string | null): Cursor | null {
  if (!text) return null;
  try {
    const cursor = JSON.parse(text) as Cursor;
    return Number.isFinite(cursor?.dead?.at) && Number.isFinite(cursor?.runs?.at) && Number.isFinite(cursor?.takeoverId) ? cursor : null;
  } catch {
    return null;
  }
}

const runSignature = (s: ScheduleRunRow): string => `${s.last_run_at ?? ''}:${s.last_status ?? ''}:${s.last_history_id ?? ''}`;

function advance<T extends { id: number; at: number }>(cursor: TimedCursor, rows: readonly T[]): { fresh: T[]; next: TimedCursor } {
  const seen = new Set(cursor.seen);
  const fresh = rows.filter((r) => !seen.has(r.id));
  const at = Math.max(cursor.at, ...rows.map((r) => r.at));
  const keep = [...cursor.seen.map((id) => ({ id, at: cursor.at })), ...rows].filter((r) => r.at > at - WINDOW_MS);
  return { fresh, next: { at, seen: [...new Set(keep.map((r) => r.id))] } };
}

export class Notifier {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TickOutcome> | null = null;

  constructor(private readonly options: NotifierOptions) {}

  /** Looks at once (a first start sets the cursor there, so what happens next is not missed), then every interval. */
  start(): void {
    if (this.timer) return;
    const look = () => {
      if (this.running) return;
      this.tick().catch((err: unknown) => this.options.logger.warn({ err }, 'notify: a tick failed'));
    };
    this.timer = setInterval(look, this.options.intervalMs ?? 5_000);
    this.timer.unref();
    look();
  }

  /** Stops the timer and waits for a tick under way (its deliveries included). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  /** One look at the database and the sending of what is new; a tick already under way is awaited instead. */
  tick(): Promise<TickOutcome> {
    if (this.running) return this.running;
    this.running = this.once().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private async once(): Promise<TickOutcome> {
    const { db } = this.options;
    const saved = parseCursor(await getSetting(db, KEYS.cursor));
    const cursor = saved ?? (await this.freshCursor());
    if (!saved) {
      await putSetting(db, KEYS.cursor, JSON.stringify(cursor));
      return { messages: [], results: [] };
    }

    const [dead, runs, takeovers, schedules] = await Promise.all([
      deadEventsSince(db, cursor.dead.at - WINDOW_MS),
      failedRunsSince(db, cursor.runs.at - WINDOW_MS),
      takeoversAfter(db, cursor.takeoverId),
      scheduleRuns(db),
    ]);
    const deadStep = advance(cursor.dead, dead);
    const runStep = advance(cursor.runs, runs);
    const scheduleFresh = schedules.filter(
      (s) => s.last_run_at !== null && s.last_status !== null && cursor.schedules[s.id] !== runSignature(s),
    );
    const next: Cursor = {
      dead: deadStep.next,
      runs: runStep.next,
      takeoverId: takeovers.at(-1)?.id ?? cursor.takeoverId,
      schedules: Object.fromEntries(schedules.map((s) => [s.id, runSignature(s)])),
    };
    // A schedule made after the cursor's last look has no entry yet: its first run is news only if it came after.
    const scheduleNews = scheduleFresh.filter((s) => s.id in cursor.schedules || (s.last_run_at ?? 0) > cursor.runs.at - WINDOW_MS);
    await putSetting(db, KEYS.cursor, JSON.stringify(next));

    const rows = await savedNotifyRows(this.options.settingsDb ?? db);
    const settings = notifySettingsFrom(rows);
    const titles = await itemTitles(
      db,
      [...deadStep.fresh.map((e) => e.item_key ?? ''), ...takeovers.map((t) => t.item_key)].filter(Boolean),
    );
    const messages: Message[] = [];
    if (settings.events.dead && deadStep.fresh.length > 0) {
      messages.push(
        deadMessage(
          deadStep.fresh.map((e) => ({
            id: e.id,
            event: e.event,
            itemType: e.item_type,
            itemKey: e.item_key,
            title: e.item_key ? (titles.get(e.item_key) ?? null) : null,
            attempts: e.attempts,
            error: e.last_error,
            at: e.at,
          })),
        ),
      );
    }
    if (settings.events.runs && runStep.fresh.length > 0) messages.push(runsMessage(runStep.fresh));
    if (settings.events.takeovers && takeovers.length > 0) {
      messages.push(
        takeoversMessage(
          takeovers.map((t) => ({
            itemKey: t.item_key,
            kind: t.kind,
            title: titles.get(t.item_key) ?? null,
            written: t.value_before,
            rated: t.value_after,
            at: t.created_at,
          })),
        ),
      );
    }
    if (settings.events.schedules && scheduleNews.length > 0) {
      messages.push(
        schedulesMessage(
          scheduleNews.map(
            (s): ScheduleRun => ({
              scheduleId: s.id,
              name: s.name,
              status: s.last_status ?? 'failed',
              playlistTitle: s.playlist_title,
              error: s.last_error,
              at: s.last_run_at ?? 0,
            }),
          ),
        ),
      );
    }
    const section = this.options.section?.();
    if (section) for (const message of messages) message.title = `${message.title} (${section})`;
    return { messages, results: await this.send(messages, sendersOf(settings), secretsOf(rows)) };
  }

  private async send(messages: readonly Message[], senders: ReturnType<typeof sendersOf>, secrets: string[]): Promise<DeliveryResult[]> {
    if (messages.length === 0 || senders.size === 0) return [];
    // Channels go side by side; one channel's messages go in order.
    const perChannel = await Promise.all(
      [...senders].map(async ([channel, send]) => {
        const results: DeliveryResult[] = [];
        for (const message of messages) {
          const result = await deliver(channel, send, message, secrets, this.options);
          results.push(result);
          if (!result.ok) {
            this.options.logger.warn({ channel, kind: message.kind, problem: result.problem }, 'notify: a notification was not delivered');
          }
        }
        await recordResult(this.options.settingsDb ?? this.options.db, results.at(-1)!);
        return results;
      }),
    );
    return perChannel.flat();
  }

  private async freshCursor(): Promise<Cursor> {
    const { db } = this.options;
    const now = this.now();
    const [dead, runs, takeoverId, schedules] = await Promise.all([
      deadEventsSince(db, now - WINDOW_MS),
      failedRunsSince(db, now - WINDOW_MS),
      lastJournalId(db),
      scheduleRuns(db),
    ]);
    const start: TimedCursor = { at: now, seen: [] };
    return {
      dead: advance(start, dead).next,
      runs: advance(start, runs).next,
      takeoverId,
      schedules: Object.fromEntries(schedules.map((s) => [s.id, runSignature(s)])),
    };
  }
}
