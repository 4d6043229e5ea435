// A FilterSpec in words, as History, a generation's review and the schedules page show it: the tags and
// artists first, then the rating, live and listening conditions ("never played", "skipped at most 20 %").
import type { FilterSpec } from '../domain/playlist/index.js';

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
const months = (n: number) => (n === 1 ? '1 month' : n % 12 === 0 ? (n === 12 ? '12 months' : `${n / 12} years`) : `${n} months`);

/** Each condition in words; empty when nothing filters. */
function filterWords(f: FilterSpec): string[] {
  const words = [...(f.genres ?? []), ...(f.styles ?? []), ...(f.moods ?? []), ...(f.artists ?? [])];
  words.push(...(f.decades ?? []).map((d) => `${d}s`));
  if (f.yearRange) words.push(`${f.yearRange[0]}–${f.yearRange[1]}`);
  if (f.minRating) words.push(`≥ ${f.minRating}★${f.includeInferred === false ? ' (manual ratings only)' : ''}`);
  if (f.excludeLive) words.push('no live');
  if (f.neverPlayed) words.push('never played');
  if (f.minPlays !== undefined && f.minPlays > 0) words.push(`played at least ${times(f.minPlays)}`);
  if (f.notPlayedMonths !== undefined && f.notPlayedMonths > 0) words.push(`not played for ${months(f.notPlayedMonths)}`);
  if (f.maxSkipRatio !== undefined) words.push(`skipped at most ${Math.round(f.maxSkipRatio * 100)} %`);
  return words;
}

/** The conditions as one line: "none" when nothing filters. */
export function filtersInWords(f: FilterSpec | null | undefined): string {
  const words = f ? filterWords(f) : [];
  return words.length ? words.join(' · ') : 'none';
}
