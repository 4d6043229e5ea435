// Reading the model's answers for album recommendations, and turning picks into three albums. Library
// picks are matched like playlist picks (PoolMatcher: a sent id, then artist + title, then fuzzy) and
// only against the albums that were sent; duplicates and excluded albums are dropped; a short answer is
// filled from the ranked list, marked `filled`. Discovery suggestions that match an owned or already
// shown album (normalised artist + title) are dropped.
import { PoolMatcher, ReplyFormatError, cleanId, parseJsonLoose, type Pick } from '../playlist/index.js';
import { albumAsTrack, albumKey } from './rank.js';
import type { AlbumSummary, ClarifyingQuestion, DiscoverySuggestion } from './types.js';

const text = (v: unknown, max = 600): string | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const t = v.replace(/\s+/g, ' ').trim();
  return t === '' ? null : t.slice(0, max);
};

function bodyOf(raw: unknown): Record<string, unknown> | unknown[] {
  const value = typeof raw === 'string' ? parseJsonLoose(raw) : raw;
  if (!value || typeof value !== 'object') throw new ReplyFormatError('not an object');
  return value as Record<string, unknown> | unknown[];
}

function listOf(raw: unknown, ...names: string[]): unknown[] {
  const body = bodyOf(raw);
  if (Array.isArray(body)) return body;
  for (const name of names) if (Array.isArray(body[name])) return body[name] as unknown[];
  // {primary, alternatives} is a natural shape too.
  if (body.primary && typeof body.primary === 'object')
    return [body.primary, ...(Array.isArray(body.alternatives) ? body.alternatives : [])];
  throw new ReplyFormatError(`no "${names[0]}" list`);
}

/** At most two questions, each short, with at most four choices; anything unreadable is no question. */
export function readQuestions(raw: unknown): ClarifyingQuestion[] {
  let entries: unknown[];
  try {
    entries = listOf(raw, 'questions');
  } catch {
    return [];
  }
  const out: ClarifyingQuestion[] = [];
  for (const e of entries) {
    const q = typeof e === 'string' ? { question: e } : ((e ?? {}) as Record<string, unknown>);
    const question = text(q.question ?? q.text, 200);
    if (!question) continue;
    const choices = Array.isArray(q.choices ?? q.options)
      ? ((q.choices ?? q.options) as unknown[]).map((c) => text(c, 80)).filter((c): c is string => c !== null)
      : [];
    out.push({ question, choices: [...new Set(choices)].slice(0, 4) });
    if (out.length === 2) break;
  }
  return out;
}

/** Library picks as the playlist matcher reads them: an id, or a name instead. */
export function readAlbumPicks(raw: unknown): Pick[] {
  const picks: Pick[] = [];
  for (const e of listOf(raw, 'albums', 'picks', 'recommendations')) {
    if (typeof e === 'string' || typeof e === 'number') {
      const id = cleanId(e);
      picks.push({ id, artist: null, title: null, text: id === null ? text(e) : null, reason: '' });
      continue;
    }
    if (!e || typeof e !== 'object') continue;
    const o = e as Record<string, unknown>;
    const rawId = o.id ?? o.albumId ?? o.number;
    const id = cleanId(rawId);
    const artist = text(o.artist, 200);
    const title = text(o.title ?? o.album ?? o.name, 200);
    const free = id === null && artist === null && title === null ? text(rawId, 300) : null;
    if (id === null && artist === null && title === null && free === null) continue;
    picks.push({ id, artist, title, text: free, reason: text(o.pitch ?? o.reason ?? o.why) ?? '' });
  }
  return picks;
}

export function readDiscovery(raw: unknown): DiscoverySuggestion[] {
  const out: DiscoverySuggestion[] = [];
  for (const e of listOf(raw, 'albums', 'recommendations', 'suggestions')) {
    if (!e || typeof e !== 'object') continue;
    const o = e as Record<string, unknown>;
    const artist = text(o.artist, 200);
    const title = text(o.title ?? o.album ?? o.name, 200);
    if (!artist || !title) continue;
    const year = Number(o.year);
    out.push({
      artist,
      title,
      year: Number.isInteger(year) && year >= 1900 && year <= 2100 ? year : null,
      pitch: text(o.pitch ?? o.reason) ?? '',
    });
  }
  return out;
}

export interface ChosenAlbum {
  album: AlbumSummary;
  pitch: string;
  filled: boolean;
}

export interface PickStats {
  picks: number;
  unmatched: number;
  duplicate: number;
  excluded: number;
}

/** Picks on `sent` (id `String(i + 1)` is `sent[i]`) → up to `count` chosen albums (mutated), never one in `excluded`. */
export function acceptAlbumPicks(
  picks: readonly Pick[],
  sent: readonly AlbumSummary[],
  chosen: ChosenAlbum[],
  count: number,
  excluded: ReadonlySet<string>,
): PickStats {
  const stats: PickStats = { picks: picks.length, unmatched: 0, duplicate: 0, excluded: 0 };
  const matcher = new PoolMatcher(sent.map(albumAsTrack));
  const byKey = new Map(sent.map((a) => [a.ratingKey, a]));
  for (const pick of picks) {
    const match = matcher.match(pick);
    const album = match ? byKey.get(match.track.ratingKey) : undefined;
    if (!album) {
      stats.unmatched++;
      continue;
    }
    if (excluded.has(album.ratingKey)) {
      stats.excluded++;
      continue;
    }
    if (chosen.some((c) => c.album.ratingKey === album.ratingKey) || chosen.length >= count) {
      stats.duplicate++;
      continue;
    }
    chosen.push({ album, pitch: pick.reason, filled: false });
  }
  return stats;
}

/** Fills `chosen` up to `count` from `ranked`, best first, skipping what is chosen or excluded; returns how many. */
export function fillAlbums(
  ranked: readonly AlbumSummary[],
  chosen: ChosenAlbum[],
  count: number,
  excluded: ReadonlySet<string>,
  pitch: (a: AlbumSummary) => string,
): number {
  let added = 0;
  for (const album of ranked) {
    if (chosen.length >= count) break;
    if (excluded.has(album.ratingKey) || chosen.some((c) => c.album.ratingKey === album.ratingKey)) continue;
    chosen.push({ album, pitch: pitch(album), filled: true });
    added++;
  }
  return added;
}

/** Suggestions kept in order up to `count`: none owned, none excluded (normalised keys), none twice. */
export function acceptDiscovery(
  suggestions: readonly DiscoverySuggestion[],
  chosen: DiscoverySuggestion[],
  count: number,
  owned: (key: string) => boolean,
  excluded: ReadonlySet<string>,
): { owned: number; duplicate: number; excluded: number } {
  const stats = { owned: 0, duplicate: 0, excluded: 0 };
  const seen = new Set(chosen.map((c) => albumKey(c.artist, c.title)));
  for (const s of suggestions) {
    const key = albumKey(s.artist, s.title);
    if (owned(key)) stats.owned++;
    else if (excluded.has(key)) stats.excluded++;
    else if (seen.has(key) || chosen.length >= count) stats.duplicate++;
    else {
      seen.add(key);
      chosen.push(s);
    }
  }
  return stats;
}
