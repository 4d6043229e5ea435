// How numbers and times read on the pages; handed to every view as `it.fmt`.
const numberFormat = new Intl.NumberFormat('en-US');

export const fmt = {
  number: (n: number | null | undefined): string => (n === null || n === undefined ? '—' : numberFormat.format(n)),
  /** Points (0–10) as stars (0–5), one decimal. */
  stars: (points: number | null | undefined): string => (points === null || points === undefined ? '—' : `${(points / 2).toFixed(1)}★`),
  points: (points: number | null | undefined, digits = 2): string =>
    points === null || points === undefined ? '—' : `${points.toFixed(digits)} pts`,
  /** "just now", "5 min ago", "3 h ago", "2 days ago"; "never" for null. */
  ago(at: number | null | undefined, now = Date.now()): string {
    if (at === null || at === undefined) return 'never';
    const s = Math.round((now - at) / 1000);
    if (s < 0) return `in ${fmt.duration(-s)}`;
    if (s < 10) return 'just now';
    return `${fmt.duration(s)} ago`;
  },
  duration(seconds: number): string {
    if (seconds < 60) return `${seconds} s`;
    if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
    if (seconds < 86_400) return `${Math.round(seconds / 3600)} h`;
    const days = Math.round(seconds / 86_400);
    return `${days} day${days === 1 ? '' : 's'}`;
  },
  /** ISO 8601 in UTC, for `<time datetime>` and titles. */
  iso: (at: number | null | undefined): string => (at === null || at === undefined ? '' : new Date(at).toISOString()),
};

export type Fmt = typeof fmt;
