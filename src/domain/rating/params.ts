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

export const ratingParamsSchema = z.object({
  C: z.number().finite().gt(0, 'must be greater than 0'),
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
  fill_unknown: z.boolean(),
  precision,
  grid: z
    .number()
    .gt(0, 'must be greater than 0')
    .max(0.5, 'must be at most 0.5')
    .refine((g) => Math.abs(1 / g - Math.round(1 / g)) < 1e-9, 'must divide one point evenly (0.1, 0.2, 0.25, 0.5)'),
});

export type RatingParams = z.output<typeof ratingParamsSchema>;

export const DEFAULT_RATING_PARAMS: RatingParams = Object.freeze({
  C: 3.0,
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

type FieldKind = 'number' | 'boolean' | 'list' | 'text';

/** Every overridable parameter, by its dotted name. */
const FIELDS: ReadonlyArray<readonly [string, FieldKind]> = [
  ['C', 'number'],
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
    if (field.kind === 'number') {
      parsed = value === '' ? Number.NaN : Number(value);
      if (!Number.isFinite(parsed)) {
        problems.push(`${field.name}: expected a number (got "${rawValue}")`);
        continue;
      }
    } else if (field.kind === 'boolean') {
      const word = value.toLowerCase();
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
