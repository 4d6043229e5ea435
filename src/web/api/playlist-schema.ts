// The JSON API's request shape. Unknown fields are rejected so a typo is a 400, not a silent default.
import { z } from 'zod';
import { PROVIDER_NAMES } from '../../playlists/providers/provider.js';

const tags = z.array(z.string().trim().min(1).max(100)).max(50);
const key = z
  .union([
    z
      .string()
      .trim()
      .regex(/^\d{1,12}$/, 'expected a Plex ratingKey'),
    z.number().int().positive(),
  ])
  .transform(String);

export const filtersSchema = z.strictObject({
  genres: tags.optional(),
  styles: tags.optional(),
  moods: tags.optional(),
  artists: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
  decades: z
    .array(
      z
        .number()
        .int()
        .min(1900)
        .max(2090)
        .refine((d) => d % 10 === 0, 'decades start a decade, e.g. 1990'),
    )
    .max(20)
    .optional(),
  minRating: z.number().min(0).max(5).optional(),
  includeInferred: z.boolean().optional(),
  excludeLive: z.boolean().optional(),
  neverPlayed: z.boolean().optional(),
  minPlays: z
    .number()
    .int('expected a whole number of plays')
    .min(0, 'expected 0 to 100000 plays')
    .max(100_000, 'expected 0 to 100000 plays')
    .optional(),
  notPlayedMonths: z
    .number()
    .int('expected a whole number of months')
    .min(1, 'expected 1 to 600 months')
    .max(600, 'expected 1 to 600 months')
    .optional(),
  maxSkipRatio: z.number().min(0, 'expected a share of plays from 0 to 1').max(1, 'expected a share of plays from 0 to 1').optional(),
});

export const generateRequestSchema = z
  .strictObject({
    prompt: z.string().trim().min(1).max(2000).optional(),
    seedRatingKey: key.optional(),
    count: z.number().int().min(10).max(100).default(25),
    provider: z.enum(PROVIDER_NAMES as [string, ...string[]]).optional(),
    model: z.string().trim().min(1).max(200).optional(),
    filters: filtersSchema.optional(),
    sonic: z.boolean().optional(),
    save: z
      .strictObject({
        mode: z.enum(['create', 'replace', 'append']),
        title: z.string().trim().min(1).max(200).optional(),
        playlistRatingKey: key.optional(),
      })
      .refine((s) => s.mode === 'create' || s.playlistRatingKey !== undefined, {
        message: 'required for mode "replace" and "append"',
        path: ['playlistRatingKey'],
      })
      .optional(),
  })
  .refine((b) => b.prompt !== undefined || b.seedRatingKey !== undefined, {
    message: 'prompt or seedRatingKey is required',
    path: ['prompt'],
  });

/** The first problem as (field, message), the field dotted: `filters.decades.0`. */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'body');
  if (issue.code === 'unrecognized_keys') {
    const prefix = issue.path.map(String).join('.');
    return { field: issue.keys.map((k) => (prefix ? `${prefix}.${k}` : k)).join(', '), message: 'unknown field' };
  }
  return { field, message: issue.message };
}
