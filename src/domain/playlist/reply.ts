// Reading a model's reply. Structured output usually gives clean JSON; local servers without JSON mode
// wrap it in prose or code fences, or leave a trailing comma. The parser recovers what it can and
// says when it cannot; every pick keeps what the model wrote (an id, or a name to match). An analysis
// reply is read field by field: a value that cannot be used is left out (a listening wish with a warning).
import { MAX_NOT_PLAYED_MONTHS, listeningFilters } from './offline-analysis.js';
import type { AnalysisReply } from './types.js';

export interface Pick {
  /** The id as written, trimmed of "#", "id:" and punctuation; null when the model gave a name. */
  id: string | null;
  /** A name the model gave instead of (or besides) an id. */
  artist: string | null;
  title: string | null;
  /** Free text like "Artist - Title" when nothing else was given. */
  text: string | null;
  reason: string;
}

export interface ParsedReply {
  title: string;
  description: string;
  picks: Pick[];
}

export class ReplyFormatError extends Error {
  constructor(detail: string) {
    super(`playlists: the model's reply is not the JSON asked for (${detail})`);
    this.name = 'ReplyFormatError';
  }
}

/** JSON.parse, then the same inside fences, then from the first "{"/"[" to the last "}"/"]", then without trailing commas. */
export function parseJsonLoose(text: string): unknown {
  const attempts: string[] = [text];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fenced) attempts.push(fenced[1]);
  const start = text.search(/[{[]/);
  const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  if (start >= 0 && end > start) attempts.push(text.slice(start, end + 1));
  for (const attempt of [...attempts, ...attempts.map((a) => a.replace(/,\s*([}\]])/g, '$1'))]) {
    try {
      return JSON.parse(attempt);
    } catch {
      // next attempt
    }
  }
  throw new ReplyFormatError(text.trim() === '' ? 'empty reply' : 'no parsable JSON');
}

const asText = (value: unknown): string | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

/** "12", "#12", "id 12", "12." → "12"; anything else is not an id. */
export function cleanId(value: unknown): string | null {
  const text = asText(value);
  if (text === null) return null;
  const match = /^(?:#|id[:\s]*)?\s*(\d{1,6})\s*[.)]?$/i.exec(text);
  return match ? String(Number(match[1])) : null;
}

function toPick(entry: unknown): Pick | null {
  if (typeof entry === 'string' || typeof entry === 'number') {
    const id = cleanId(entry);
    return { id, artist: null, title: null, text: id === null ? asText(entry) : null, reason: '' };
  }
  if (!entry || typeof entry !== 'object') return null;
  const e = entry as Record<string, unknown>;
  const rawId = e.id ?? e.trackId ?? e.track_id ?? e.number;
  const id = cleanId(rawId);
  const artist = asText(e.artist);
  const title = asText(e.title ?? e.track ?? e.name ?? e.song);
  const text = id === null && artist === null && title === null ? asText(rawId) : null;
  if (id === null && artist === null && title === null && text === null) return null;
  return { id, artist, title, text, reason: asText(e.reason ?? e.why) ?? '' };
}

export function readReply(raw: unknown): ParsedReply {
  const value = typeof raw === 'string' ? parseJsonLoose(raw) : raw;
  const body = (Array.isArray(value) ? { tracks: value } : value) as Record<string, unknown> | null;
  if (!body || typeof body !== 'object') throw new ReplyFormatError('not an object');
  const list = body.tracks ?? body.playlist ?? body.songs;
  if (!Array.isArray(list)) throw new ReplyFormatError('no "tracks" list');
  return {
    title: asText(body.title) ?? '',
    description: asText(body.description) ?? '',
    picks: list.map(toPick).filter((p): p is Pick => p !== null),
  };
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim()) : [];

type Fields = Record<string, unknown>;

/** true/false (also as text); anything else is no wish, with a warning. */
function flag(fields: Fields, key: string, warnings: string[]): boolean {
  const value = fields[key];
  if (value === undefined || value === null || typeof value === 'boolean') return value === true;
  if (typeof value === 'string' && /^\s*(?:true|false)\s*$/i.test(value)) return value.trim().toLowerCase() === 'true';
  warnings.push(`ignored the analysis model's ${key} (${JSON.stringify(value)}): not true or false`);
  return false;
}

/** A positive number of months (also as text); 0 and null are none; above the limit it is the limit. */
function monthsOf(fields: Fields, warnings: string[]): number | null {
  const value = fields.notPlayedMonths;
  if (value === undefined || value === null || value === 0 || value === '') return null;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) {
    warnings.push(`ignored the analysis model's notPlayedMonths (${JSON.stringify(value)}): not a number of months`);
    return null;
  }
  return n === 0 ? null : Math.min(n, MAX_NOT_PLAYED_MONTHS);
}

/** The analysis model's reply as filters: unusable values left out, listening wishes mapped as offline. */
export function readAnalysis(value: unknown): AnalysisReply {
  const parsed = typeof value === 'string' ? parseJsonLoose(value) : value;
  const body: Fields = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Fields) : {};
  // Servers without a schema sometimes nest the wishes the way the filters are named.
  const nested = body.listening && typeof body.listening === 'object' ? (body.listening as Fields) : {};
  const wishFields: Fields = { ...nested, ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== null)) };
  const warnings: string[] = [];
  const listening = listeningFilters({
    neverPlayed: flag(wishFields, 'neverPlayed', warnings),
    mostPlayed: flag(wishFields, 'mostPlayed', warnings),
    notPlayedMonths: monthsOf(wishFields, warnings),
  });
  const rating = typeof body.minRating === 'number' && body.minRating > 0 ? Math.min(5, body.minRating) : null;
  return {
    genres: strings(body.genres),
    styles: strings(body.styles),
    moods: strings(body.moods),
    artists: strings(body.artists),
    likeArtists: strings(body.likeArtists),
    decades: Array.isArray(body.decades)
      ? body.decades
          .map(Number)
          .filter((d) => Number.isInteger(d) && d >= 1900 && d <= 2100)
          .map((d) => d - (d % 10))
      : [],
    keywords: strings(body.keywords),
    excludeLive: body.excludeLive !== false,
    minRating: rating,
    ...(listening ? { listening } : {}),
    ...(warnings.length ? { warnings } : {}),
  };
}
