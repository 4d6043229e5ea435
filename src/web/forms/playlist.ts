// The playlist forms (prompt flow and seed flow) read into a request: filters, length, budget, provider,
// the seed's ticked dimensions. Every problem is reported against its field, in the person's words.
// Tags and artists are checked against the library (case and accents do not matter).
import { z } from 'zod';
import { norm } from '../../domain/rating/text-match.js';
import { resolveFilters, type FilterSpec, type SeedDimension, type Vocabulary } from '../../domain/playlist/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../../playlists/index.js';
import { all, maybeText, text, ticked } from './fields.js';
import type { RawInput } from './parse.js';

export const LENGTH = { min: 10, max: 100, default: 25 };
export const BUDGET = { min: 20, max: 3000, default: 300 };

export interface FilterForm {
  genres: string;
  styles: string;
  moods: string;
  artists: string;
  decades: number[];
  minRating: string;
  includeInferred: boolean;
  excludeLive: boolean;
  neverPlayed: boolean;
  minPlays: string;
  notPlayedMonths: string;
  /** The skip ratio as the form shows it, in percent. */
  maxSkipPercent: string;
}

export interface PlaylistForm {
  prompt: string;
  provider: ProviderName;
  count: number;
  maxTracks: number;
  seedKey: string | null;
  keep: SeedDimension[];
  /** Every offered dimension (ticked or not), to show the form again. */
  dimensions: (SeedDimension & { kept: boolean })[];
  filters: FilterForm;
}

export interface ParsedForm {
  form: PlaylistForm;
  filters: FilterSpec;
  errors: Record<string, string>;
  /** The filter suggestion the form was built from, to link the generation to its cost. */
  suggestionId: string | null;
}

const list = (text: string): string[] =>
  [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].slice(0, 50);

/** A whole number within limits; an empty field is the default. */
const wholeIn = (limits: { min: number; max: number; default: number }, message: string) =>
  text()
    .transform((raw) => (raw.trim() === '' ? limits.default : Number(raw)))
    .pipe(z.number(message).int(message).min(limits.min, message).max(limits.max, message));
const lengthField = wholeIn(LENGTH, `Length must be a whole number from ${LENGTH.min} to ${LENGTH.max}.`);
const budgetField = wholeIn(BUDGET, `Max tracks to send must be a whole number from ${BUDGET.min} to ${BUDGET.max}.`);
const STARS = 'Minimum rating is in stars, from 0 to 5.';
const starsField = text()
  .transform((raw) => (raw.trim() === '' ? null : Number(raw.trim())))
  .pipe(z.number(STARS).min(0, STARS).max(5, STARS).nullable());
/** An optional whole number within limits; empty is none. */
const optionalWhole = (min: number, max: number, message: string) =>
  text()
    .transform((raw) => (raw.trim() === '' ? null : Number(raw.trim())))
    .pipe(z.number(message).int(message).min(min, message).max(max, message).nullable());
const playsField = optionalWhole(0, 100_000, 'Played at least is a whole number of plays, from 0 to 100000.');
const monthsField = optionalWhole(1, 600, 'Not played for is a whole number of months, from 1 to 600.');
const SKIPS = 'Skipped at most is a percentage, from 0 to 100.';
const skipsField = text()
  .transform((raw) => (raw.trim() === '' ? null : Number(raw.trim())))
  .pipe(z.number(SKIPS).min(0, SKIPS).max(100, SKIPS).nullable());

/** The seed track's dimensions as the form lists them: dim_0/desc_0 … dim_9/desc_9, in order, while present. */
function dimensionsOf(raw: RawInput): PlaylistForm['dimensions'] {
  const kept = all().parse(raw.keep);
  const dimensions: PlaylistForm['dimensions'] = [];
  for (let i = 0; i < 10 && raw[`dim_${i}`] !== undefined; i++) {
    const dimension = text().parse(raw[`dim_${i}`]).trim().slice(0, 60);
    const description = text().parse(raw[`desc_${i}`]).trim().slice(0, 300);
    if (dimension && description) dimensions.push({ dimension, description, kept: kept.includes(String(i)) });
  }
  return dimensions;
}

const fields = z.object({
  provider: maybeText(),
  prompt: text().transform((prompt) => prompt.trim().slice(0, 2000)),
  seed: text().transform((seed) => (/^\d{1,12}$/.test(seed.trim()) ? seed.trim() : null)),
  decades: all().transform((values) => values.map(Number).filter((d) => Number.isInteger(d) && d >= 1900 && d <= 2090 && d % 10 === 0)),
  min_rating: text().transform((raw) => raw.trim()),
  genres: text(),
  styles: text(),
  moods: text(),
  artists: text(),
  include_inferred: ticked(),
  exclude_live: ticked(),
  never_played: ticked(),
  min_plays: text().transform((raw) => raw.trim()),
  not_played_months: text().transform((raw) => raw.trim()),
  max_skip_percent: text().transform((raw) => raw.trim()),
  suggestion: maybeText(),
});

/** What the library holds, to check the named tags and artists against. */
export interface LibraryWords {
  vocabulary: Vocabulary;
  artists: readonly string[];
}

/**
 * POST /playlists/suggest, /preview, /generate: the form as typed (to show again), the filters it resolves
 * to, and every field's problem. Never refused as a whole: each step decides which problems stop it.
 */
export function playlistForm(library: LibraryWords, fallbackProvider: ProviderName) {
  return z.looseObject({}).transform((raw): ParsedForm => {
    const f = fields.parse(raw);
    const errors: Record<string, string> = {};
    const problem = <T>(name: string, result: z.ZodSafeParseResult<T>): T | null => {
      if (result.success) return result.data;
      errors[name] = result.error.issues[0].message;
      return null;
    };
    const providerRaw = f.provider ?? fallbackProvider;
    const provider = (PROVIDER_NAMES as readonly string[]).includes(providerRaw) ? (providerRaw as ProviderName) : fallbackProvider;
    if (providerRaw !== provider) errors.provider = `unknown provider "${providerRaw}"`;
    const count = problem('count', lengthField.safeParse(raw.count));
    const maxTracks = problem('max_tracks', budgetField.safeParse(raw.max_tracks));
    const dimensions = dimensionsOf(raw);
    const form: PlaylistForm = {
      prompt: f.prompt,
      provider,
      count: count ?? LENGTH.default,
      maxTracks: maxTracks ?? BUDGET.default,
      seedKey: f.seed,
      keep: dimensions.filter((d) => d.kept).map(({ dimension, description }) => ({ dimension, description })),
      dimensions,
      filters: {
        genres: f.genres,
        styles: f.styles,
        moods: f.moods,
        artists: f.artists,
        decades: f.decades,
        minRating: f.min_rating,
        includeInferred: f.include_inferred,
        excludeLive: f.exclude_live,
        neverPlayed: f.never_played,
        minPlays: f.min_plays,
        notPlayedMonths: f.not_played_months,
        maxSkipPercent: f.max_skip_percent,
      },
    };

    const given: FilterSpec = { includeInferred: form.filters.includeInferred, excludeLive: form.filters.excludeLive };
    for (const kind of ['genres', 'styles', 'moods'] as const) {
      const values = list(form.filters[kind]);
      if (values.length) given[kind] = values;
    }
    if (f.decades.length) given.decades = f.decades;
    const stars = problem('min_rating', starsField.safeParse(f.min_rating));
    if (typeof stars === 'number' && stars > 0) given.minRating = stars;
    if (form.filters.neverPlayed) given.neverPlayed = true;
    const plays = problem('min_plays', playsField.safeParse(f.min_plays));
    if (typeof plays === 'number' && plays > 0) given.minPlays = plays;
    const months = problem('not_played_months', monthsField.safeParse(f.not_played_months));
    if (typeof months === 'number') given.notPlayedMonths = months;
    const skips = problem('max_skip_percent', skipsField.safeParse(f.max_skip_percent));
    if (typeof skips === 'number' && skips < 100) given.maxSkipRatio = skips / 100;
    const { filters, unknown } = resolveFilters(given, library.vocabulary);
    for (const [kind, values] of Object.entries(unknown)) errors[kind] = `Not in your library: ${values.join(', ')}.`;
    const artists = list(form.filters.artists);
    if (artists.length) {
      const byNorm = new Map(library.artists.map((a) => [norm(a), a]));
      const missing = artists.filter((a) => !byNorm.has(norm(a)));
      if (missing.length) errors.artists = `Not in your library: ${missing.join(', ')}.`;
      filters.artists = artists.map((a) => byNorm.get(norm(a))).filter((a): a is string => a !== undefined);
    }
    if (!form.seedKey && !form.prompt) errors.prompt = 'Describe the playlist you want.';
    return { form, filters, errors, suggestionId: f.suggestion ?? null };
  });
}

export function filterFormOf(filters: FilterSpec): FilterForm {
  return {
    genres: (filters.genres ?? []).join(', '),
    styles: (filters.styles ?? []).join(', '),
    moods: (filters.moods ?? []).join(', '),
    artists: (filters.artists ?? []).join(', '),
    decades: [...(filters.decades ?? [])],
    minRating: filters.minRating ? String(filters.minRating) : '',
    includeInferred: filters.includeInferred !== false,
    excludeLive: filters.excludeLive ?? true,
    neverPlayed: filters.neverPlayed ?? false,
    minPlays: filters.minPlays ? String(filters.minPlays) : '',
    notPlayedMonths: filters.notPlayedMonths ? String(filters.notPlayedMonths) : '',
    maxSkipPercent: filters.maxSkipRatio !== undefined ? String(Math.round(filters.maxSkipRatio * 1000) / 10) : '',
  };
}

export function emptyForm(provider: ProviderName): PlaylistForm {
  return {
    prompt: '',
    provider,
    count: LENGTH.default,
    maxTracks: BUDGET.default,
    seedKey: null,
    keep: [],
    dimensions: [],
    filters: filterFormOf({ includeInferred: true, excludeLive: true }),
  };
}
