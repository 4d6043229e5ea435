// Prompts and reply shapes for album recommendations. Library mode sends a numbered list of owned albums
// (one compact line each) and asks for one primary and two alternatives by id; discovery sends a taste
// profile and asks for albums the person does not own; clarify asks for at most two short questions.
import { list, object, str, type CountTokens, type PromptPair, type StructuredShape } from '../playlist/index.js';
import { monthsSince } from './rank.js';
import type { AlbumSummary, QuestionAnswer, TasteProfile } from './types.js';

export const CLARIFY_SHAPE: StructuredShape = {
  name: 'clarify',
  schema: object({
    questions: list(
      object({ question: str('one short question'), choices: list(str(), 'two to four short answers, or empty') }),
      'zero to two questions',
    ),
  }),
};

export const ALBUM_PICK_SHAPE: StructuredShape = {
  name: 'albums',
  schema: object({
    albums: list(
      object({ id: str('the number before the first | of the chosen line'), pitch: str('one or two sentences: why it fits') }),
      'three albums: the primary first, then two alternatives',
    ),
  }),
};

export const DISCOVERY_SHAPE: StructuredShape = {
  name: 'discovery',
  schema: object({
    albums: list(
      object({
        artist: str(),
        title: str('the album title'),
        year: { type: 'integer', nullable: true },
        pitch: str('one or two sentences'),
      }),
      'three albums: the primary first, then two alternatives',
    ),
  }),
};

/** Answers to clarifying questions as they are told to the model. */
export function answersText(answers: readonly QuestionAnswer[]): string {
  return answers
    .filter((a) => a.answer.trim() !== '')
    .map((a) => `${a.question.trim()} → ${a.answer.trim()}`)
    .join('\n');
}

export function clarifyPrompt(request: string, mode: 'library' | 'discovery'): PromptPair {
  return {
    system: [
      'You help someone choose ONE album to listen to now.',
      'Decide whether the request is too vague to choose well. If it is clear enough, ask nothing.',
      'Otherwise ask at most two SHORT questions (under 12 words each), each with two to four short choices.',
      'Never ask about things the request already says.',
      'Answer with JSON only: {"questions": [{"question": string, "choices": [string]}]}.',
    ].join('\n'),
    user: `Request: ${request.trim()}\nThe album will come from ${mode === 'library' ? 'their own library' : 'outside their library (new to them)'}.`,
  };
}

const clean = (text: string, max: number): string => {
  const t = text
    .replace(/[|\n\r]+/g, '/')
    .replace(/\s+/g, ' ')
    .trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
};

function lastPlayedText(a: AlbumSummary, now: number): string {
  const months = monthsSince(a.lastPlayed, now);
  if (!Number.isFinite(months)) return 'never played';
  if (months < 1) return 'played this month';
  return months < 24 ? `last ${Math.round(months)} mo ago` : `last ${Math.round(months / 12)} y ago`;
}

/** id|artist|album|year|tags|rating|plays, last play — e.g. `7|Artist|Album|1997|Shoegaze,Dreamy|4.5★|120 plays, last 14 mo ago`. */
export function albumLine(id: string, a: AlbumSummary, now: number, tags = 3): string {
  const tagText = [...a.tags.styles, ...a.tags.moods, ...a.tags.genres]
    .slice(0, tags)
    .map((t) => clean(t, 24))
    .join(',');
  const stars =
    a.rating === null
      ? 'unrated'
      : `${(Math.round(a.rating) / 2).toFixed(1).replace(/\.0$/, '')}★${a.inferred > a.rated / 2 ? ' (inferred)' : ''}`;
  return [id, clean(a.artist, 40), clean(a.title, 48), a.year ?? '', tagText, stars, `${a.plays} plays, ${lastPlayedText(a, now)}`].join(
    '|',
  );
}

export interface FittedAlbums {
  /** Sent in id order: `albums[i]` has id `String(i + 1)`. */
  albums: AlbumSummary[];
  lines: string[];
  tokens: number;
}

/** Albums in rank order while their lines fit `maxTokens`, up to `maxAlbums`. */
export function fitAlbums(
  ranked: readonly AlbumSummary[],
  count: CountTokens,
  budget: { maxTokens: number; maxAlbums: number },
  now: number,
): FittedAlbums {
  const out: FittedAlbums = { albums: [], lines: [], tokens: 0 };
  for (const album of ranked) {
    if (out.albums.length >= budget.maxAlbums) break;
    const line = albumLine(String(out.albums.length + 1), album, now);
    const tokens = count(line) + 1;
    if (out.tokens + tokens > budget.maxTokens) break;
    out.albums.push(album);
    out.lines.push(line);
    out.tokens += tokens;
  }
  return out;
}

const LIBRARY_SYSTEM = [
  "You recommend ONE album from the person's own library, plus two alternatives.",
  'Choose ONLY from the numbered lines; each line is id|artist|album|year|tags|rating|plays, last play.',
  'Answer with JSON only: {"albums": [{"id": string, "pitch": string}]} — exactly three, the best first.',
  'Each "id" is the number before the first "|". Never invent ids, never repeat one.',
  'A pitch is one or two warm, specific sentences on why the album fits the request now; no ratings or play counts.',
].join('\n');

const FAMILIARITY_TEXT: Record<string, string> = {
  comfort: 'They want a comfort pick: an album they love and know well.',
  'hidden-gems': 'They want a hidden gem: well rated but rarely or never played.',
  rediscover: 'They want to rediscover something: well loved once, not played for a long time.',
  any: '',
};

export function albumPickPrompt(input: {
  request: string;
  answers: readonly QuestionAnswer[];
  familiarity: string;
  lines: readonly string[];
  count?: number;
}): PromptPair {
  const answers = answersText(input.answers);
  return {
    system: LIBRARY_SYSTEM,
    user: [
      `Request: ${input.request.trim()}`,
      ...(answers ? ['Their answers:', answers] : []),
      ...(FAMILIARITY_TEXT[input.familiarity] ? [FAMILIARITY_TEXT[input.familiarity]] : []),
      `Choose exactly ${input.count ?? 3} albums.`,
      'Albums:',
      ...input.lines,
    ].join('\n'),
  };
}

export function discoveryPrompt(input: {
  request: string;
  answers: readonly QuestionAnswer[];
  taste: TasteProfile;
  exclude: readonly string[];
  count?: number;
}): PromptPair {
  const t = input.taste;
  const answers = answersText(input.answers);
  return {
    system: [
      'You recommend ONE album the person does NOT own yet, plus two alternatives, from a picture of their taste.',
      'Suggest real, released albums only (artist and exact title). Never suggest an album from the lists of what they own or were shown.',
      'Answer with JSON only: {"albums": [{"artist": string, "title": string, "year": number|null, "pitch": string}]} — the best first.',
      'A pitch is one or two warm, specific sentences linking the album to the request and to their taste.',
    ].join('\n'),
    user: [
      `Request: ${input.request.trim()}`,
      ...(answers ? ['Their answers:', answers] : []),
      `Their most loved artists: ${t.artists.join('; ') || 'unknown'}`,
      `Genres: ${t.genres.join('; ') || 'unknown'}. Styles: ${t.styles.join('; ') || 'unknown'}. Moods: ${t.moods.join('; ') || 'unknown'}.`,
      `Decades they favour: ${t.decades.map((d) => `${d}s`).join(', ') || 'unknown'}`,
      `Albums they own and love (do not suggest these): ${t.favourites.join('; ') || 'none'}`,
      ...(input.exclude.length ? [`Already shown (do not suggest these): ${input.exclude.join('; ')}`] : []),
      `Suggest exactly ${input.count ?? 3} albums.`,
    ].join('\n'),
  };
}
