// What a notification says, as pure functions of what happened: one message per kind of event per tick
// (several dead-lettered events, failed runs, takeovers or scheduled playlists in one message), a few lines
// naming the items and "…and N more" past that. Ratings are Plex points (0–10), shown as stars.

/** The kinds of events a person can turn on or off. */
export type NotifyKind = 'dead' | 'runs' | 'takeovers' | 'schedules';
export const NOTIFY_KINDS: readonly NotifyKind[] = ['dead', 'runs', 'takeovers', 'schedules'];

export interface DeadEvent {
  id: number;
  /** `media.rate`, … as Plex named it. */
  event: string;
  itemType: string | null;
  itemKey: string | null;
  /** The item's title from the library cache, when known. */
  title: string | null;
  attempts: number;
  error: string | null;
  at: number;
}

export interface FailedRun {
  id: number;
  /** `full`, `undo`, `verify-fix`, … (engine_runs.kind). */
  kind: string;
  error: string | null;
  at: number;
}

export interface Takeover {
  itemKey: string;
  kind: string;
  title: string | null;
  /** What Sagewire had written, and what the person set, in points. */
  written: number | null;
  rated: number | null;
  at: number;
}

export interface ScheduleRun {
  scheduleId: number;
  name: string;
  status: 'done' | 'failed';
  playlistTitle: string | null;
  error: string | null;
  at: number;
}

export interface Message {
  kind: NotifyKind | 'test';
  title: string;
  /** The lines of the body, without the title. */
  lines: string[];
  /** How many events the message stands for. */
  count: number;
  /** Problems (dead events, failed runs) ask for attention; the rest is news. */
  urgent: boolean;
  at: number;
  /** The events themselves, for the JSON webhook. */
  items: readonly object[];
}

/** Lines shown before "…and N more". */
export const MAX_LINES = 10;

const RUN_LABELS: Record<string, string> = {
  full: 'Full pass',
  dry: 'Dry run',
  undo: 'Undo',
  event: 'Rating event',
  'verify-fix': 'Verify and fix',
  recover: 'Recover',
  import: 'Import',
  opt_in: 'Opt-in',
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Points as stars: 9 → "4.5★", null → "no rating". */
export const stars = (points: number | null): string =>
  points === null ? 'no rating' : `${String(Math.round((points / 2) * 100) / 100)}★`;

/** A single line of text: control characters and runs of spaces become one space, and it is cut at `max`. */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function capped(lines: string[]): string[] {
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), `…and ${lines.length - MAX_LINES} more`];
}

const latest = (ats: number[]): number => Math.max(...ats);

const itemName = (title: string | null, type: string | null, key: string | null): string =>
  title ? `“${oneLine(title, 120)}”` : `${type ?? 'item'} ${key ?? '(no key)'}`;

export function deadMessage(events: readonly DeadEvent[]): Message {
  return {
    kind: 'dead',
    title: events.length === 1 ? 'A webhook event was dead-lettered' : `${plural(events.length, 'webhook event')} were dead-lettered`,
    lines: capped(
      events.map(
        (e) =>
          `${e.event} for ${itemName(e.title, e.itemType, e.itemKey)} gave up after ${plural(e.attempts, 'attempt')}` +
          (e.error ? `: ${oneLine(e.error)}` : ''),
      ),
    ).concat('Retry them from Ratings → Needs attention.'),
    count: events.length,
    urgent: true,
    at: latest(events.map((e) => e.at)),
    items: events,
  };
}

export function runsMessage(runs: readonly FailedRun[]): Message {
  const interrupted = (r: FailedRun) => r.error === 'interrupted';
  return {
    kind: 'runs',
    title:
      runs.length === 1
        ? `${RUN_LABELS[runs[0].kind] ?? runs[0].kind} ${interrupted(runs[0]) ? 'was interrupted' : 'failed'}`
        : `${plural(runs.length, 'run')} failed or were interrupted`,
    lines: capped(
      runs.map(
        (r) =>
          `Run ${r.id} (${RUN_LABELS[r.kind] ?? r.kind}) ${interrupted(r) ? 'was interrupted by a stop or a crash' : `failed${r.error ? `: ${oneLine(r.error)}` : ''}`}`,
      ),
    ),
    count: runs.length,
    urgent: true,
    at: latest(runs.map((r) => r.at)),
    items: runs,
  };
}

export function takeoversMessage(items: readonly Takeover[]): Message {
  return {
    kind: 'takeovers',
    title: items.length === 1 ? 'You took over an inferred rating' : `You took over ${plural(items.length, 'inferred rating')}`,
    lines: capped(items.map((t) => `${t.kind} ${itemName(t.title, t.kind, t.itemKey)}: ${stars(t.written)} → ${stars(t.rated)}`)).concat(
      'Sagewire no longer writes these; they are your ratings now.',
    ),
    count: items.length,
    urgent: false,
    at: latest(items.map((t) => t.at)),
    items,
  };
}

export function schedulesMessage(runs: readonly ScheduleRun[]): Message {
  const failed = runs.filter((r) => r.status === 'failed').length;
  const title =
    runs.length === 1
      ? runs[0].status === 'done'
        ? `Scheduled playlist “${oneLine(runs[0].playlistTitle ?? runs[0].name, 120)}” made`
        : `Scheduled playlist “${oneLine(runs[0].name, 120)}” failed`
      : failed === 0
        ? `${plural(runs.length, 'scheduled playlist')} made`
        : `${plural(runs.length, 'scheduled playlist')} ran, ${failed} failed`;
  return {
    kind: 'schedules',
    title,
    lines: capped(
      runs.map((r) =>
        r.status === 'done'
          ? `${oneLine(r.name, 120)}: saved to “${oneLine(r.playlistTitle ?? r.name, 120)}”`
          : `${oneLine(r.name, 120)}: failed${r.error ? `: ${oneLine(r.error)}` : ''}`,
      ),
    ),
    count: runs.length,
    urgent: failed > 0,
    at: latest(runs.map((r) => r.at)),
    items: runs,
  };
}

export function testMessage(channelLabel: string, at: number): Message {
  return {
    kind: 'test',
    title: 'Sagewire test notification',
    lines: [`This is a test sent from Settings → Notifications through ${channelLabel}. If you can read it, the channel works.`],
    count: 0,
    urgent: false,
    at,
    items: [],
  };
}

/** The message as plain text: the title, a blank line, the lines. */
export const plainText = (message: Message): string => [message.title, '', ...message.lines].join('\n');
