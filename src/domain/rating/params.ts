// The model's parameters (RATING-MODEL.md, "Parameters"): names and defaults exactly as the table.
// Validated with zod; every message names the parameter by its dotted name (`twins.enabled`).
// Overrides arrive as flat strings from the settings table and from `RATING_*` environment variables,
// so `ratingParamsFromOverrides` accepts both spellings: `twins.enabled` and `TWINS_ENABLED`.
import { z } from 'zod';

const keywordList = z
  .array(z.string())
  .transform((words) => words.map((word) => word.trim().toLowerCase()).filter((word) => word.length > 0));

/** `dynamic` (ε from the library size) or `fixed:X` (X points). */
export type Precision = 'dynamic' | `fixed:${number}`;

const precision = z
  .string()
  .trim()
  .refine((v) => v === 'dynamic' || /^fixed:\d+(\.\d+)?$/.test(v), 'must be "dynamic" or "fixed:X" with X ≥ 0 points')
  .transform((v) => v as Precision);

/** `auto` (estimated from the library, checked by cross-validation) or a fixed confidence > 0. */
const confidence = z.custom<'auto' | number>((v) => v === 'auto' || (typeof v === 'number' && Number.isFinite(v) && v > 0), {
  message: 'must be "auto" or a number greater than 0',
});

/** `auto` (fitted, used when cross-validation says it helps), `off`, or a fixed weight ≥ 0 (points per unit of play signal). */
const listening = z.custom<'auto' | 'off' | number>(
  (v) => v === 'auto' || v === 'off' || (typeof v === 'number' && Number.isFinite(v) && v >= 0),
  { message: 'must be "auto", "off" or a weight of 0 or more' },
);

const KINDS = ['artist', 'album', 'track'] as const;
const kindList = z
  .array(z.string())
  .transform((words) => words.map((word) => word.trim().toLowerCase()).filter((word) => word.length > 0))
  .refine((words) => words.every((word) => (KINDS as readonly string[]).includes(word)), 'must list only artist, album, track')
  .transform((words) => KINDS.filter((kind) => words.includes(kind)));

export const ratingParamsSchema = z.object({
  C: confidence,
  listening,
  W_global: z.number().finite().min(0, 'must be 0 or more'),
  W_critic: z.number().finite().min(0, 'must be 0 or more'),
  g_album: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
  g_track: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'),
  exclusion: z.object({
    min_duration_s: z.number().finite().min(0, 'must be 0 or more'),
    keywords: keywordList,
  }),
  twins: z.object({
    enabled: z.boolean(),
    duration_tolerance_s: z.number().finite().min(0, 'must be 0 or more'),
    exclude_keywords: keywordList,
    exclude_bracketed: z.boolean(),
    exclude_live_albums: z.boolean(),
  }),
  infer: z.object({ kinds: kindList }),
  exclude: z.object({ genres: keywordList, artists: keywordList, albums: keywordList }),
  fill_unknown: z.boolean(),
  precision,
  grid: z
    .number()
    .gt(0, 'must be greater than 0')
    .max(0.5, 'must be at most 0.5')
    .refine((g) => Math.abs(1 / g - Math.round(1 / g)) < 1e-9, 'must divide one point evenly (0.1, 0.2, 0.25, 0.5)'),
});

export type RatingParams = z.output<typeof ratingParamsSchema>;

/** The spec's confidence: what `C` is in the classic model, and what `auto` falls back to. */
export const CLASSIC_C = 3.0;

export const DEFAULT_RATING_PARAMS: RatingParams = Object.freeze({
  C: 'auto',
  listening: 'auto',
  W_global: 1.0,
  W_critic: 1.0,
  g_album: 0.8,
  g_track: 0.3,
  exclusion: Object.freeze({
    min_duration_s: 80,
    keywords: Object.freeze(['intro', 'outro', 'interview', 'skit', 'applause', 'commentary']),
  }),
  twins: Object.freeze({
    enabled: true,
    duration_tolerance_s: 5,
    exclude_keywords: Object.freeze(['live', 'demo', 'reprise', 'instrumental', 'commentary', 'acoustic', 'remix']),
    exclude_bracketed: true,
    exclude_live_albums: true,
  }),
  infer: Object.freeze({ kinds: Object.freeze(['artist', 'album', 'track']) }),
  exclude: Object.freeze({ genres: Object.freeze([]), artists: Object.freeze([]), albums: Object.freeze([]) }),
  fill_unknown: true,
  precision: 'dynamic',
  grid: 0.1,
}) as unknown as RatingParams;

export class RatingParamsError extends Error {
  constructor(readonly problems: string[]) {
    super(`rating parameters: ${problems.join('; ')}`);
    this.name = 'RatingParamsError';
  }
}

/** Validates a whole parameter object; throws RatingParamsError listing every problem. */
export function parseRatingParams(input: unknown): RatingParams {
  const parsed = ratingParamsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new RatingParamsError(parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'params'}: ${issue.message}`));
}

type FieldKind = 'number' | 'boolean' | 'list' | 'text' | 'auto-number' | 'listening';

/** Every overridable parameter, by its dotted name. */
const FIELDS: ReadonlyArray<readonly [string, FieldKind]> = [
  ['C', 'auto-number'],
  ['listening', 'listening'],
  ['W_global', 'number'],
  ['W_critic', 'number'],
  ['g_album', 'number'],
  ['g_track', 'number'],
  ['exclusion.min_duration_s', 'number'],
  ['exclusion.keywords', 'list'],
  ['twins.enabled', 'boolean'],
  ['twins.duration_tolerance_s', 'number'],
  ['twins.exclude_keywords', 'list'],
  ['twins.exclude_bracketed', 'boolean'],
  ['twins.exclude_live_albums', 'boolean'],
  ['infer.kinds', 'list'],
  ['exclude.genres', 'list'],
  ['exclude.artists', 'list'],
  ['exclude.albums', 'list'],
  ['fill_unknown', 'boolean'],
  ['precision', 'text'],
  ['grid', 'number'],
];

/** `twins.enabled`, `TWINS_ENABLED` and `twins_enabled` all name the same parameter. */
const spelling = (name: string): string => name.trim().toLowerCase().replaceAll('.', '_');
const FIELD_BY_SPELLING = new Map(FIELDS.map(([name, kind]) => [spelling(name), { name, kind }]));

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/**
 * Applies flat string overrides (settings rows, `RATING_*` variables with the prefix removed) on top of
 * `base`, e.g. `{ C: '3.5', 'twins.enabled': 'false', 'exclusion.keywords': 'intro,outro' }`. Lists are
 * comma-separated; an empty string is an empty list. Throws RatingParamsError listing every problem.
 */
export function ratingParamsFromOverrides(
  overrides: Readonly<Record<string, string>>,
  base: RatingParams = DEFAULT_RATING_PARAMS,
): RatingParams {
  const problems: string[] = [];
  const merged = structuredClone(base) as unknown as Record<string, unknown>;
  for (const [rawName, rawValue] of Object.entries(overrides)) {
    const field = FIELD_BY_SPELLING.get(spelling(rawName));
    if (!field) {
      problems.push(`${rawName}: unknown rating parameter (known: ${FIELDS.map(([name]) => name).join(', ')})`);
      continue;
    }
    const value = rawValue.trim();
    let parsed: unknown;
    const word = value.toLowerCase();
    if ((field.kind === 'auto-number' && word === 'auto') || (field.kind === 'listening' && (word === 'auto' || word === 'off'))) {
      parsed = word;
    } else if (field.kind === 'number' || field.kind === 'auto-number' || field.kind === 'listening') {
      parsed = value === '' ? Number.NaN : Number(value);
      if (!Number.isFinite(parsed)) {
        const expected =
          field.kind === 'auto-number' ? '"auto" or a number' : field.kind === 'listening' ? '"auto", "off" or a number' : 'a number';
        problems.push(`${field.name}: expected ${expected} (got "${rawValue}")`);
        continue;
      }
    } else if (field.kind === 'boolean') {
      if (!TRUE_WORDS.has(word) && !FALSE_WORDS.has(word)) {
        problems.push(`${field.name}: expected true or false (got "${rawValue}")`);
        continue;
      }
      parsed = TRUE_WORDS.has(word);
    } else if (field.kind === 'list') {
      parsed = value === '' ? [] : value.split(',');
    } else {
      parsed = value;
    }
    const path = field.name.split('.');
    let target = merged;
    for (const part of path.slice(0, -1)) target = target[part] as Record<string, unknown>;
    target[path[path.length - 1]] = parsed;
  }
  if (problems.length > 0) throw new RatingParamsError(problems);
  return parseRatingParams(merged);
}
