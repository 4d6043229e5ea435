// When a schedule runs: croner reads the cron expression (5 fields, or 6 with seconds first) in the
// schedule's IANA zone. Everything here takes the reference time as an argument, so the decisions
// (next run, was a run missed while Sagewire was down) are tested without waiting for a clock.
import { Cron } from 'croner';

export class ScheduleInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ScheduleInputError';
  }
}

/** The zone the server runs in: a schedule's default. */
export function serverTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function checkTimezone(timezone: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    throw new ScheduleInputError('timezone', `unknown time zone "${timezone}" (expected an IANA name such as Europe/Berlin)`);
  }
}

/** A paused croner job for the expression: parsing and next-run arithmetic, no timer. Throws naming `cron`. */
export function cronOf(cron: string, timezone: string): Cron {
  let job: Cron;
  try {
    job = new Cron(cron, { timezone, paused: true, mode: '5-or-6-parts' });
  } catch (err) {
    throw new ScheduleInputError('cron', `${(err as Error).message.replace(/^CronPattern: /, '')} (expected e.g. "0 7 * * 1")`);
  }
  if (job.getOnce() !== null) throw new ScheduleInputError('cron', 'a date runs once; a schedule needs a repeating expression');
  return job;
}

/** The next `n` run times after `from`; an expression that never runs again is refused. */
export function nextRuns(cron: string, timezone: string, from: Date, n = 1): Date[] {
  const runs = cronOf(cron, timezone).nextRuns(n, from);
  if (runs.length === 0) throw new ScheduleInputError('cron', 'this expression never runs again');
  return runs;
}

/** The schedule as the scheduler last left it: waiting for `nextRunAt` (null while paused). */
export interface ScheduleState {
  paused: boolean;
  nextRunAt: number | null;
}

/**
 * At start: the tick the schedule was waiting for passed while Sagewire was down (or its run was cut short
 * by a stop). However many ticks passed, that is one catch-up run, not one per tick.
 */
export function missedRun(state: ScheduleState, now: number): boolean {
  return !state.paused && state.nextRunAt !== null && state.nextRunAt <= now;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n: string) => n.padStart(2, '0');
const ordinal = (d: number) =>
  `${d}${d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th'}`;

/** The common shapes in words ("every Monday at 07:00"); null for anything else (the page lists next runs). */
export function cronInWords(cron: string): string | null {
  const parts = cron.trim().split(/\s+/);
  if (parts.length === 6 && parts.every((p) => p === '*')) return 'every second';
  if (parts.length !== 5) return null;
  const [minute, hour, day, month, weekday] = parts;
  if (parts.every((p) => p === '*')) return 'every minute';
  if (!/^\d{1,2}$/.test(minute)) return null;
  if (hour === '*' && day === '*' && month === '*' && weekday === '*') return `every hour at minute ${Number(minute)}`;
  if (!/^\d{1,2}$/.test(hour) || month !== '*') return null;
  const at = `${pad(hour)}:${pad(minute)}`;
  if (day === '*' && weekday === '*') return `every day at ${at}`;
  if (day === '*' && /^[0-7]$/.test(weekday)) return `every ${DAYS[Number(weekday) % 7]} at ${at}`;
  if (day === '*' && weekday === '1-5') return `every weekday at ${at}`;
  if (/^\d{1,2}$/.test(day) && weekday === '*') return `on the ${ordinal(Number(day))} of every month at ${at}`;
  return null;
}
