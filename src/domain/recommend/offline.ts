// What the offline provider says about an album instead of a model: the data that made it rank — the
// tags it shares with the request, its rating, how much and how recently it was played.
import { monthsSince } from './rank.js';
import type { AlbumSummary, Familiarity } from './types.js';

const stars = (points: number): string => `${(Math.round(points) / 2).toFixed(1).replace(/\.0$/, '')}★`;

export function offlinePitch(a: AlbumSummary, familiarity: Familiarity, now: number, wanted: readonly string[] = []): string {
  const asked = new Set(wanted.map((t) => t.toLowerCase()));
  const all = [...a.tags.moods, ...a.tags.styles, ...a.tags.genres];
  const tags = [...new Set([...all.filter((t) => asked.has(t.toLowerCase())), ...all])].slice(0, 3);
  const parts: string[] = [];
  parts.push(tags.length ? `${tags.join(', ')}${a.year ? `, from ${a.year}` : ''}.` : a.year ? `From ${a.year}.` : '');
  if (a.rating !== null) parts.push(`Rated ${stars(a.rating)}${a.inferred > a.rated / 2 ? ' (inferred from your listening)' : ''}.`);
  const months = monthsSince(a.lastPlayed, now);
  if (a.plays === 0) parts.push('You have never played it.');
  else if (!Number.isFinite(months)) parts.push(`${a.plays} play${a.plays === 1 ? '' : 's'}.`);
  else
    parts.push(
      `${a.plays} play${a.plays === 1 ? '' : 's'}, the last ${months < 1 ? 'this month' : months < 24 ? `${Math.round(months)} months ago` : `${Math.round(months / 12)} years ago`}.`,
    );
  const lead: Record<Familiarity, string> = {
    comfort: 'A familiar favourite.',
    'hidden-gems': 'A hidden gem in your library.',
    rediscover: 'One to rediscover.',
    any: '',
  };
  return [lead[familiarity], ...parts].filter(Boolean).join(' ');
}
