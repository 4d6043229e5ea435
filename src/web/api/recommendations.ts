// POST /api/recommendations/albums: one album with a pitch and two alternatives, from the library or (with
// a language model) from outside it; or, when the model has questions and no answers were sent, the
// questions. Mounted behind the API token (src/web/routes.ts). Errors carry the field to fix:
//   400 invalid request (field named) · 413/415 body · 502 provider refused or suggested nothing.
import type { Context } from 'koa';
import { z } from 'zod';
import { FAMILIARITIES } from '../../domain/recommend/index.js';
import type { AlbumCard, AlbumRecommender, Recommendation } from '../../playlists/index.js';
import { ModelRejectedError, ProviderError, RequestError } from '../../playlists/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../../playlists/providers/provider.js';
import { BodyError, readJsonBody } from './json-body.js';
import { filtersSchema, firstIssue } from './playlist-schema.js';
import { toApiUsage } from './playlists.js';

const short = (max: number) => z.string().trim().min(1).max(max);

export const recommendRequestSchema = z.strictObject({
  prompt: short(2000),
  mode: z.enum(['library', 'discovery']).default('library'),
  familiarity: z.enum(FAMILIARITIES).default('any'),
  filters: filtersSchema.optional(),
  answers: z
    .array(z.strictObject({ question: short(300), answer: z.string().trim().max(300) }))
    .max(2)
    .optional(),
  skipQuestions: z.boolean().optional(),
  exclude: z.array(short(400)).max(100).optional(),
  provider: z.enum(PROVIDER_NAMES as [string, ...string[]]).optional(),
  model: short(200).optional(),
});

export type RecommendRequest = z.output<typeof recommendRequestSchema>;

function card(c: AlbumCard) {
  return {
    ...(c.ratingKey ? { ratingKey: c.ratingKey } : {}),
    title: c.title,
    artist: c.artist,
    year: c.year,
    pitch: c.pitch,
    inLibrary: c.inLibrary,
    ...(c.inLibrary
      ? { rating: c.rating, plays: c.plays, lastPlayedAt: c.lastPlayedAt === null ? null : new Date(c.lastPlayedAt * 1000).toISOString() }
      : {}),
    filled: c.filled,
  };
}

export function toRecommendationResponse(result: Recommendation) {
  const usage = toApiUsage(result.usage);
  if (result.kind === 'questions') return { questions: result.questions, usage };
  return {
    id: result.id,
    mode: result.mode,
    primary: card(result.primary),
    alternatives: result.alternatives.map(card),
    usage,
    warnings: result.warnings,
  };
}

/** Maps the recommender's errors to a status and the field to fix; null when the error is not ours to answer. */
export function recommendationError(
  err: unknown,
  body: Pick<RecommendRequest, 'provider' | 'model'>,
): { status: number; error: string; field?: string } | null {
  if (err instanceof RequestError) return { status: 400, error: err.message, field: err.field };
  if (err instanceof ModelRejectedError && body.model !== undefined) return { status: 400, error: err.message, field: 'model' };
  if (err instanceof ProviderError) {
    const config = err.status === null && body.provider !== undefined;
    return { status: config ? 400 : 502, error: err.message, ...(config ? { field: 'provider' } : {}) };
  }
  return null;
}

export function recommendAlbumsHandler(deps: { recommender: () => AlbumRecommender; bodyLimitBytes?: number }) {
  return async (ctx: Context): Promise<void> => {
    const fail = (status: number, error: string, field?: string) => {
      ctx.status = status;
      ctx.body = field ? { error, field } : { error };
    };
    let raw: unknown;
    try {
      raw = await readJsonBody(ctx, deps.bodyLimitBytes ?? 64 * 1024);
    } catch (err) {
      if (err instanceof BodyError) return fail(err.status, err.message);
      throw err;
    }
    const parsed = recommendRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return fail(400, `${field}: ${message}`, field);
    }
    const body = parsed.data;
    try {
      const result = await deps.recommender().recommend({
        ...body,
        provider: body.provider as ProviderName | undefined,
      });
      ctx.body = toRecommendationResponse(result);
    } catch (err) {
      const mapped = recommendationError(err, body);
      if (!mapped) throw err;
      fail(mapped.status, mapped.error, mapped.field);
    }
  };
}
