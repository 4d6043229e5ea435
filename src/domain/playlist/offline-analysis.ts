// What the offline provider does instead of a model: read the request against the library's own
// vocabularies (whole words, case and punctuation ignored, a shared 6-letter stem for one-word tags:
// "melancholic" → Melancholy), decades ("90s", "1990s", "nineties"), artists named ("like X" favours X,
// otherwise X is what the playlist is by), live and rating wishes, and listening wishes: "not heard in a
// year" (not played for 12 months), "never played" / "haven't heard" without a span, "most played". A
// wish preceded closely by "not", "no", "without", "avoid"… is dropped, never inverted into its opposite.
// The wishes become filters in `listeningFilters`, the one mapping the model replies use too.
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

/** "Most played" means played at least this often; the plan relaxes it when too few tracks qualify. */
const MOST_PLAYED = 10;
/** The longest "not played for" span a filter takes (the form's limit too). */
export const MAX_NOT_PLAYED_MONTHS = 600;
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
/** A negation at most three words before a wish: "not my most played", "nothing I haven't heard", "no unplayed". */
const NEGATED = /\b(?:not|no|nothing|none|without|avoid(?:ing)?|except|excluding|skip(?:ping)?|minus)\b(?:\s+[\w'’-]+){0,3}\s*$/i;

/** The listening wishes a request states, before they become filters. */
export interface ListeningWishes {
  neverPlayed: boolean;
  mostPlayed: boolean;
  /** Not played for this many months, or null. */
  notPlayedMonths: number | null;
}

/**
 * Wishes → filters, for the offline reader and the model replies alike. A span ("not heard in a year")
 * says more than "never played", which it includes, so it wins; months are whole and at most
 * MAX_NOT_PLAYED_MONTHS. Nothing wished is undefined.
 */
export function listeningFilters(wishes: ListeningWishes): AnalysisReply['listening'] {
  const listening: NonNullable<AnalysisReply['listening']> = {};
  const months = wishes.notPlayedMonths === null ? null : Math.min(MAX_NOT_PLAYED_MONTHS, Math.max(1, Math.round(wishes.notPlayedMonths)));
  if (months !== null) listening.notPlayedMonths = months;
  else if (wishes.neverPlayed) listening.neverPlayed = true;
  if (wishes.mostPlayed) listening.minPlays = MOST_PLAYED;
  return Object.keys(listening).length ? listening : undefined;
}

/** The first match of `pattern` that no negation precedes. */
function wished(request: string, pattern: RegExp): RegExpExecArray | null {
  const all = new RegExp(pattern.source, 'gi');
  for (const m of request.matchAll(all)) if (!NEGATED.test(request.slice(0, m.index))) return m as RegExpExecArray;
  return null;
}

function listeningOf(request: string): { wishes: ListeningWishes; mentioned: boolean } {
  const span = wished(request, NOT_FOR);
  const months = span ? (span[2] ? Number(span[2]) : 1) * (span[3].toLowerCase() === 'year' ? 12 : 1) : wished(request, A_WHILE) ? 6 : null;
  const wishes = {
    neverPlayed: months === null && wished(request, NEVER) !== null,
    mostPlayed: wished(request, MOST) !== null,
    notPlayedMonths: months,
  };
  // Negated wishes are not filters, but their words are no keywords either.
  const mentioned = [NOT_FOR, A_WHILE, NEVER, MOST].some((p) => p.test(request));
  return { wishes, mentioned };
}

function contains(haystack: string, needle: string): number {
  if (needle === '') return -1;
  return ` ${haystack} `.indexOf(` ${needle} `);
}

/** True when every time `word` starts a word of the request, a negation comes at most three words before it
 *  in the same clause ("nothing too aggressive", "no jazz, please"). */
function onlyNegated(request: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let seen = false;
  for (const m of request.matchAll(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}`, 'giu'))) {
    seen = true;
    if (!NEGATED.test(request.slice(0, m.index))) return false;
  }
  return seen;
}

/** The vocabulary's tags the request names, and the ones it names only to refuse them (never turned into filters). */
function matchTags(request: string, text: string, words: string[], tags: readonly TagCount[]): { hits: string[]; refused: string[] } {
  const hits: string[] = [];
  const refused: string[] = [];
  for (const { tag } of tags) {
    const n = norm(tag);
    const single = !n.includes(' ');
    const stem = single && n.length >= 6 ? words.find((w) => w.length >= 6 && w.slice(0, 6) === n.slice(0, 6)) : undefined;
    if (contains(text, n) < 0 && stem === undefined) continue;
    const said = contains(text, n) >= 0 ? tag : (stem as string);
    (onlyNegated(request, said) ? refused : hits).push(tag);
  }
  return { hits, refused };
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
  const [genres, styles, moods] = [vocabulary.genres, vocabulary.styles, vocabulary.moods].map((tags) =>
    matchTags(request, text, words, tags),
  );
  const used = new Set(
    [...genres.hits, ...styles.hits, ...moods.hits, ...genres.refused, ...styles.refused, ...moods.refused].flatMap((t) =>
      norm(t).split(' '),
    ),
  );
  const stars = /(\d(?:\.5)?)\s*(?:\+\s*)?(?:stars?|★)/i.exec(request);
  const said = listeningOf(request);
  const listening = listeningFilters(said.wishes);
  return {
    genres: genres.hits,
    styles: styles.hits,
    moods: moods.hits,
    artists,
    likeArtists,
    decades: decadesOf(request),
    keywords: words.filter(
      (w) => w.length > 3 && !STOP.has(w) && !used.has(w) && !named.has(w) && !/^\d/.test(w) && !(said.mentioned && LISTENING_WORDS.has(w)),
    ),
    excludeLive: !/\blive\b/i.test(request) || /\b(?:no|without|not)\s+live\b/i.test(request),
    minRating: stars ? Math.min(5, Number(stars[1])) : /\b(?:favou?rites?|top[- ]rated|best[- ]rated)\b/i.test(request) ? 4 : null,
    ...(listening ? { listening } : {}),
  };
}
