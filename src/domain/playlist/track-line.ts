// The compact line each pool track is sent as:  id|artist|title|album|year|tag,tag,tag
// The id is the track's position in the list (1, 2, …): one token, and unambiguous in the reply.
// A line is shortened until it fits `maxTokens`: fewer tags, then a shorter and then no album,
// then shorter title and artist. Pipes never appear inside a field (they are replaced by "/").
import type { PoolTrack, RankSpec } from './types.js';

export type CountTokens = (text: string) => number;

export const MAX_LINE_TOKENS = 20;

const clean = (text: string): string =>
  text
    .replace(/[|\n\r]+/g, '/')
    .replace(/\s+/g, ' ')
    .trim();
const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`);

/**
 * The most telling tags first: those the request asked for, then styles, moods, genres — leaving out tags
 * (lower-cased) in `common`, which nearly every sent track carries and so tell the model nothing.
 */
export function tellingTags(
  track: PoolTrack,
  wanted?: Pick<RankSpec, 'genres' | 'styles' | 'moods'>,
  max = 3,
  common?: ReadonlySet<string>,
): string[] {
  const asked = new Set([...(wanted?.genres ?? []), ...(wanted?.styles ?? []), ...(wanted?.moods ?? [])].map((t) => t.toLowerCase()));
  const all = [...track.tags.styles, ...track.tags.moods, ...track.tags.genres].filter((t) => !common?.has(t.toLowerCase()));
  const ordered = [...all.filter((t) => asked.has(t.toLowerCase())), ...all.filter((t) => !asked.has(t.toLowerCase()))];
  return [...new Set(ordered)].slice(0, max);
}

interface LineShape {
  artist: number;
  title: number;
  album: number | null;
  tags: number;
}

const SHAPES: LineShape[] = [
  { artist: 40, title: 48, album: 40, tags: 3 },
  { artist: 40, title: 48, album: 40, tags: 2 },
  { artist: 32, title: 40, album: 24, tags: 2 },
  { artist: 32, title: 40, album: null, tags: 2 },
  { artist: 24, title: 32, album: null, tags: 1 },
  { artist: 18, title: 24, album: null, tags: 1 },
  { artist: 14, title: 18, album: null, tags: 0 },
  { artist: 10, title: 12, album: null, tags: 0 },
  { artist: 6, title: 8, album: null, tags: 0 },
];

function render(id: string, track: PoolTrack, tags: string[], shape: LineShape): string {
  const fields = [id, cut(clean(track.artist), shape.artist), cut(clean(track.title), shape.title)];
  if (shape.album !== null) fields.push(cut(clean(track.album), shape.album));
  fields.push(track.year === null ? '' : String(track.year));
  fields.push(tags.slice(0, shape.tags).map(clean).join(','));
  return fields.join('|');
}

export function trackLine(
  id: string,
  track: PoolTrack,
  count: CountTokens,
  wanted?: Pick<RankSpec, 'genres' | 'styles' | 'moods'>,
  maxTokens = MAX_LINE_TOKENS,
  common?: ReadonlySet<string>,
): { line: string; tokens: number } {
  const tags = tellingTags(track, wanted, 3, common);
  let last = { line: '', tokens: Number.POSITIVE_INFINITY };
  for (const shape of SHAPES) {
    const line = render(id, track, tags, shape);
    const tokens = count(line);
    last = { line, tokens };
    if (tokens <= maxTokens) return last;
  }
  return last;
}

export interface FittedPool {
  /** The tracks sent, in id order: `tracks[i]` has id `String(i + 1)`. */
  tracks: PoolTrack[];
  lines: string[];
  tokens: number;
}

/** Keeps tracks in rank order while their lines (plus a newline each) fit `maxTokens`, up to `maxTracks`. */
export function fitToBudget(
  ranked: readonly PoolTrack[],
  count: CountTokens,
  budget: { maxTokens: number; maxTracks: number },
  wanted?: Pick<RankSpec, 'genres' | 'styles' | 'moods'>,
): FittedPool {
  const fitted: FittedPool = { tracks: [], lines: [], tokens: 0 };
  const common = commonTags(ranked.slice(0, budget.maxTracks));
  for (const track of ranked) {
    if (fitted.tracks.length >= budget.maxTracks) break;
    const { line, tokens } = trackLine(String(fitted.tracks.length + 1), track, count, wanted, MAX_LINE_TOKENS, common);
    if (fitted.tokens + tokens + 1 > budget.maxTokens) break;
    fitted.tracks.push(track);
    fitted.lines.push(line);
    fitted.tokens += tokens + 1;
  }
  return fitted;
}

/** Tags (lower-cased) on more than 80 % of the tracks: implied by the filters, not worth a token. */
export function commonTags(tracks: readonly PoolTrack[]): Set<string> {
  const counts = new Map<string, number>();
  for (const t of tracks) {
    for (const tag of new Set([...t.tags.genres, ...t.tags.styles, ...t.tags.moods].map((x) => x.toLowerCase())))
      counts.set(tag, (counts.get(tag) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => tracks.length >= 10 && n > tracks.length * 0.8).map(([tag]) => tag));
}
