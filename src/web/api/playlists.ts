// POST /api/playlists/generate. Mounted behind the API token by the web app; this router only
// parses, calls the service and shapes the answer. Errors carry the field to fix:
//   400 invalid request (field named) · 413/415 body · 404 seed not found · 502 provider or Plex refused.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { PlexError } from '../../plex/index.js';
import { generateRequestSchema, firstIssue } from './playlist-schema.js';
import type { GenerationResult, PlaylistService } from '../../playlists/generation-service.js';
import { BodyError, readJsonBody } from './json-body.js';
import { ModelRejectedError, ProviderError } from '../../playlists/providers/errors.js';
import type { ProviderName } from '../../playlists/providers/provider.js';
import { RequestError } from '../../playlists/request-plan.js';
import { SaveError } from '../../playlists/save.js';

export interface PlaylistApiDeps {
  service: Pick<PlaylistService, 'generate'>;
  /** Default 64 KiB. */
  bodyLimitBytes?: number;
}

function fail(ctx: Context, status: number, error: string, field?: string): void {
  ctx.status = status;
  ctx.body = field ? { error, field } : { error };
}

/** Calls and cost as every JSON answer shows them (not the characters sent: those calibrate the estimate). */
export function toApiUsage(usage: GenerationResult['usage']) {
  return {
    calls: usage.calls.map((c) => ({
      role: c.role,
      provider: c.provider,
      model: c.model,
      inputTokens: c.inputTokens,
      outputTokens: c.outputTokens,
      cost: c.cost,
    })),
    totalCost: usage.totalCost,
  };
}

export function toApiResponse(result: GenerationResult) {
  return {
    id: result.id,
    title: result.title,
    description: result.description,
    tracks: result.tracks.map((t) => ({
      ratingKey: t.ratingKey,
      title: t.title,
      artist: t.artist,
      album: t.album,
      reason: t.reason,
      filled: t.filled,
    })),
    usage: toApiUsage(result.usage),
    ...(result.playlist ? { playlist: { ratingKey: result.playlist.ratingKey, title: result.playlist.title } } : {}),
    warnings: result.warnings,
  };
}

export function playlistApiRoutes(deps: PlaylistApiDeps): Router {
  const router = new Router();
  router.post('/api/playlists/generate', generatePlaylistHandler(deps));
  return router;
}

/** The handler alone, for a router that puts its own authentication in front (src/web/routes.ts). */
export function generatePlaylistHandler(deps: PlaylistApiDeps) {
  return async (ctx: Context): Promise<void> => {
    let raw: unknown;
    try {
      raw = await readJsonBody(ctx, deps.bodyLimitBytes ?? 64 * 1024);
    } catch (err) {
      if (err instanceof BodyError) return fail(ctx, err.status, err.message);
      throw err;
    }
    const parsed = generateRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return fail(ctx, 400, `${field}: ${message}`, field);
    }
    const body = parsed.data;
    try {
      const result = await deps.service.generate({ ...body, provider: body.provider as ProviderName | undefined });
      ctx.body = toApiResponse(result);
    } catch (err) {
      if (err instanceof RequestError) return fail(ctx, err.field === 'seedRatingKey' ? 404 : 400, err.message, err.field);
      if (err instanceof SaveError) return fail(ctx, err.status, err.message, err.field ?? undefined);
      if (err instanceof ModelRejectedError && body.model !== undefined) return fail(ctx, 400, err.message, 'model');
      if (err instanceof ProviderError)
        return fail(
          ctx,
          err.status === null && body.provider ? 400 : 502,
          err.message,
          err.status === null && body.provider ? 'provider' : undefined,
        );
      if (err instanceof PlexError) return fail(ctx, 502, err.message);
      throw err;
    }
  };
}
