// What the offline provider does instead of a model: read the request against the library's own
// vocabularies (whole words, case and punctuation ignored, a shared 6-letter stem for one-word tags:
// "melancholic" → Melancholy), decades ("90s", "1990s", "nineties"), artists named ("like X" favours X,
// otherwise X is what the playlist is by), live and rating wishes, and listening wishes: "not heard in a
// year" (not played for 12 months), "never played" / "haven't heard" without a span, "most played" (played
// at least MOST_PLAYED times; the plan relaxes it when too few tracks qualify).
import { norm } from '../rating/text-match.js';
import type { AnalysisReply } from './types.js';
import type { TagCount, Vocabulary } from './vocabulary.js';

const DECADE_WORDS: Record<string, number> = {
  fifties: 1950,
  sixties: 1960,
  seventies: 1970,
  eighties: 1980,
  nineties: 1990,
  noughties: 2000,
  aughts: 2000,
};
const LIKE_MARKER = /\b(?:like|similar to|in the style of|reminds? me of|sounds? like|inspired by)\s+$/;
const STOP = new Set([
  'the',
  'and',
  'for',
  'with',
  'some',
  'songs',
  'music',
  'playlist',
  'tracks',
  'like',
  'from',
  'that',
  'this',
  'day',
  'mix',
]);

const MOST_PLAYED = 10;
const LISTENING_WORDS = new Set([
  'never',
  'played',
  'heard',
  'listened',
  'haven',
  'unplayed',
  'year',
  'years',
  'month',
  'months',
  'while',
  'ages',
  'most',
  'rotation',
]);
const NOT_FOR =
  /\b(?:haven['’]?t|have not|not|never)\s+(?:heard|played|listened to)\b(?:\s+(?:it|them|much))?\s+(?:in|for)\s+(?:(a|an|one)|(\d{1,3}))\s+(year|month)s?\b/i;
const A_WHILE =
  /\b(?:haven['’]?t|have not|not)\s+(?:heard|played|listened to)\b(?:\s+(?:it|them|much))?\s+(?:in|for)\s+(?:a\s+(?:long\s+)?while|ages)\b/i;
const NEVER =
  /\b(?:never\s+(?:played|heard|listened to)|haven['’]?t\s+(?:ever\s+)?(?:heard|played|listened to)|unplayed|not\s+(?:yet\s+)?heard)\b/i;
const MOST = /\b(?:most[- ]played|played (?:the )?most|heavy rotation|on repeat)\b/i;

function listeningOf(request: string): AnalysisReply['listening'] {
  const listening: NonNullable<AnalysisReply['listening']> = {};
  const span = NOT_FOR.exec(request);
  if (span) listening.notPlayedMonths = Math.min(600, (span[2] ? Number(span[2]) : 1) * (span[3].toLowerCase() === 'year' ? 12 : 1));
  else if (A_WHILE.test(request)) listening.notPlayedMonths = 6;
  else if (NEVER.test(request)) listening.neverPlayed = true;
  if (MOST.test(request)) listening.minPlays = MOST_PLAYED;
  return Object.keys(listening).length ? listening : undefined;
}

function contains(haystack: string, needle: string): number {
  if (needle === '') return -1;
  return ` ${haystack} `.indexOf(` ${needle} `);
}

function matchTags(text: string, words: string[], tags: readonly TagCount[]): string[] {
  const hits: string[] = [];
  for (const { tag } of tags) {
    const n = norm(tag);
    const single = !n.includes(' ');
    const stemHit = single && n.length >= 6 && words.some((w) => w.length >= 6 && w.slice(0, 6) === n.slice(0, 6));
    if (contains(text, n) >= 0 || stemHit) hits.push(tag);
  }
  return hits;
}

function decadesOf(request: string): number[] {
  const found = new Set<number>();
  for (const m of request.matchAll(/\b(?:(19|20)(\d)0|'?(\d)0)['’]?s\b/gi)) {
    if (m[1]) found.add(Number(`${m[1]}${m[2]}0`));
    else found.add(Number(m[3]) <= 2 ? 2000 + Number(m[3]) * 10 : 1900 + Number(m[3]) * 10);
  }
  for (const [word, decade] of Object.entries(DECADE_WORDS)) if (new RegExp(`\\b${word}\\b`, 'i').test(request)) found.add(decade);
  return [...found].sort((a, b) => a - b);
}

export function analyseOffline(request: string, vocabulary: Vocabulary, artistNames: readonly string[]): AnalysisReply {
  const text = norm(request);
  const words = text.split(' ').filter((w) => w.length > 0);
  const artists: string[] = [];
  const likeArtists: string[] = [];
  const lower = ` ${request.toLowerCase()} `;
  for (const name of artistNames) {
    const n = norm(name);
    if (n.length < 3 || n === 'various artists' || contains(text, n) < 0) continue;
    const at = lower.indexOf(name.toLowerCase());
    const before = at >= 0 ? lower.slice(0, at) : '';
    (LIKE_MARKER.test(before) ? likeArtists : artists).push(name);
  }
  const named = new Set([...artists, ...likeArtists].flatMap((a) => norm(a).split(' ')));
  const genres = matchTags(text, words, vocabulary.genres);
  const styles = matchTags(text, words, vocabulary.styles);
  const moods = matchTags(text, words, vocabulary.moods);
  const used = new Set([...genres, ...styles, ...moods].flatMap((t) => norm(t).split(' ')));
  const stars = /(\d(?:\.5)?)\s*(?:\+\s*)?(?:stars?|★)/i.exec(request);
  const listening = listeningOf(request);
  return {
    genres,
    styles,
    moods,
    artists,
    likeArtists,
    decades: decadesOf(request),
    keywords: words.filter(
      (w) => w.length > 3 && !STOP.has(w) && !used.has(w) && !named.has(w) && !/^\d/.test(w) && !(listening && LISTENING_WORDS.has(w)),
    ),
    excludeLive: !/\blive\b/i.test(request) || /\b(?:no|without|not)\s+live\b/i.test(request),
    minRating: stars ? Math.min(5, Number(stars[1])) : /\b(?:favou?rites?|top[- ]rated|best[- ]rated)\b/i.test(request) ? 4 : null,
    ...(listening ? { listening } : {}),
  };
}
