// Prompt builders. Every prompt is a (system, user) pair; the reply shape travels separately as a schema
// (schemas.ts) and is restated in words for servers that only offer JSON mode.
import type { Vocabulary } from './vocabulary.js';
import type { PoolTrack, SeedDimension } from './types.js';

export interface PromptPair {
  system: string;
  user: string;
}

const GENERATION_SYSTEM = [
  "You are a music curator building a playlist from one person's own library.",
  'Choose ONLY from the numbered lines you are given; each line is id|artist|title|album|year|tags.',
  'Answer with JSON only: {"title": string, "description": string, "tracks": [{"id": string, "reason": string}]}.',
  'Each "id" is the number before the first "|" of a line. Never invent ids, never repeat one.',
].join('\n');

export function generationPrompt(input: {
  request: string;
  count: number;
  lines: readonly string[];
  keep?: readonly SeedDimension[];
  seed?: PoolTrack;
  limits?: { perArtist: number; perAlbum: number };
}): PromptPair {
  const parts = [`Request: ${input.request.trim() || 'a playlist from these tracks'}`];
  if (input.seed)
    parts.push(
      `Seed track: ${input.seed.artist} – ${input.seed.title} (${input.seed.album}${input.seed.year ? `, ${input.seed.year}` : ''}).`,
    );
  if (input.keep && input.keep.length > 0) {
    parts.push('Keep these qualities of the seed:', ...input.keep.map((d) => `- ${d.dimension}: ${d.description}`));
  }
  parts.push(
    `Choose exactly ${input.count} tracks in listening order (smooth transitions, a shape that rises and settles).`,
    ...(input.limits ? [`At most ${input.limits.perArtist} tracks by one artist and ${input.limits.perAlbum} from one album.`] : []),
    'Give each a one-line reason, the playlist a title (at most 60 characters) and a two-sentence description.',
    'Tracks:',
    ...input.lines,
  );
  return { system: GENERATION_SYSTEM, user: parts.join('\n') };
}

export function topUpPrompt(input: { request: string; missing: number; chosen: readonly string[]; lines: readonly string[] }): PromptPair {
  return {
    system: GENERATION_SYSTEM,
    user: [
      `Request: ${input.request.trim() || 'a playlist from these tracks'}`,
      `The playlist already has: ${input.chosen.join('; ') || 'nothing yet'}.`,
      `Choose exactly ${input.missing} MORE tracks from the lines below (none already chosen), in listening order, ` +
        'each with a one-line reason.',
      'Repeat the title and description you would give the whole playlist.',
      'Tracks:',
      ...input.lines,
    ].join('\n'),
  };
}

/** Every value of every vocabulary, compactly: "; "-separated, most common first. */
export function analysisPrompt(request: string, vocabulary: Vocabulary): PromptPair {
  const join = (values: readonly { tag: string }[]) => values.map((v) => v.tag).join('; ');
  return {
    system: [
      "You turn a playlist request into filters over one person's music library.",
      'Use ONLY values from the lists given (copy them exactly); leave a list empty when the request does not ask for it.',
      'Prefer few, broad filters: an over-narrow filter leaves too few tracks.',
      'Answer with JSON only: {"genres": [], "styles": [], "moods": [], "artists": [], "likeArtists": [], "decades": [], ' +
        '"keywords": [], "excludeLive": boolean, "minRating": number|null, "neverPlayed": boolean, "mostPlayed": boolean, ' +
        '"notPlayedMonths": number|null}.',
    ].join('\n'),
    user: [
      `Request: ${request.trim()}`,
      `Genres: ${join(vocabulary.genres)}`,
      `Styles: ${join(vocabulary.styles)}`,
      `Moods: ${join(vocabulary.moods)}`,
      `Decades present: ${vocabulary.decades.join(', ')}`,
      'artists: only when the playlist must be BY them; likeArtists: artists it should sound LIKE ("songs like X"); ' +
        'names as written; decades: starts like 1990; minRating: stars 0.5–5 only if asked. ' +
        'Play history likewise, not when negated ("not my most played"); "in ages": 6 months.',
    ].join('\n'),
  };
}

export function seedPrompt(seed: PoolTrack): PromptPair {
  const tags = [...seed.tags.genres, ...seed.tags.styles, ...seed.tags.moods].join(', ');
  return {
    system: [
      'You describe a piece of music so that similar tracks can be found.',
      'Give 5 to 7 dimensions (mood, era, instrumentation, genre, production, tempo, vocals, …), ' +
        'each with a short description SPECIFIC to this track — not a generic label.',
      'Answer with JSON only: {"dimensions": [{"dimension": string, "description": string}]}.',
    ].join('\n'),
    user:
      `Track: ${seed.artist} – ${seed.title}\nAlbum: ${seed.album}${seed.year ? ` (${seed.year})` : ''}` +
      `\nLibrary tags: ${tags || 'none'}`,
  };
}
