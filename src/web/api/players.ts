// GET /api/players and POST /api/play. Mounted behind the API token by the route table; these handlers only
// parse, call the play-now service and shape the answer. Errors carry the field to fix:
//   400 invalid request (field named) · 413/415 body · 404 player not listed or item not in Plex ·
//   409 the player went away mid-way · 502 the player or Plex refused · 503 no Plex, or Plex unreachable.
import type { Context } from 'koa';
import { z } from 'zod';
import { PlayNowError, type PlayNow, type PlayTarget } from '../../playlists/play-now.js';
import { BodyError, readJsonBody } from './json-body.js';
import { firstIssue } from './playlist-schema.js';

const key = z
  .union([
    z
      .string()
      .trim()
      .regex(/^\d{1,12}$/, 'expected a Plex ratingKey'),
    z.number().int().positive().max(999_999_999_999),
  ])
  .transform(String);

/** Plex machine identifiers: hex, UUIDs, and the odd dotted or coloned name of a player app. */
export const playerId = z
  .string({ error: (issue) => (issue.input === undefined ? 'required' : 'expected a string') })
  .trim()
  .min(1, 'required')
  .max(200, 'at most 200 characters')
  .regex(/^[A-Za-z0-9._:-]+$/, "expected a player's id from GET /api/players");

const TARGETS = ['ratingKeys', 'playlistRatingKey', 'albumRatingKey'] as const;

export const playRequestSchema = z
  .strictObject({
    player: playerId,
    ratingKeys: z.array(key).min(1, 'at least one track').max(500, 'at most 500 tracks').optional(),
    playlistRatingKey: key.optional(),
    albumRatingKey: key.optional(),
  })
  .superRefine((body, ctx) => {
    const given = TARGETS.filter((t) => body[t] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: [given[1] ?? 'ratingKeys'],
        message:
          given.length === 0
            ? 'one of ratingKeys, playlistRatingKey or albumRatingKey is required'
            : `give only one of ${given.join(', ')}`,
      });
  });

export function targetOf(body: z.infer<typeof playRequestSchema>): PlayTarget {
  if (body.ratingKeys) return { ratingKeys: body.ratingKeys };
  if (body.playlistRatingKey) return { playlistRatingKey: body.playlistRatingKey };
  return { albumRatingKey: body.albumRatingKey! };
}

export interface PlayersApiDeps {
  playNow: Pick<PlayNow, 'players' | 'play'>;
  /** Default 16 KiB: 500 keys fit. */
  bodyLimitBytes?: number;
}

function fail(ctx: Context, status: number, error: string, field?: string | null): void {
  ctx.status = status;
  ctx.body = field ? { error, field } : { error };
}

export function listPlayersHandler(deps: PlayersApiDeps) {
  return async (ctx: Context): Promise<void> => {
    try {
      ctx.body = { players: await deps.playNow.players() };
    } catch (err) {
      if (err instanceof PlayNowError) return fail(ctx, err.status, err.message, err.field);
      throw err;
    }
  };
}

export function playHandler(deps: PlayersApiDeps) {
  return async (ctx: Context): Promise<void> => {
    let raw: unknown;
    try {
      raw = await readJsonBody(ctx, deps.bodyLimitBytes ?? 16 * 1024);
    } catch (err) {
      if (err instanceof BodyError) return fail(ctx, err.status, err.message);
      throw err;
    }
    const parsed = playRequestSchema.safeParse(raw);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return fail(ctx, 400, `${field}: ${message}`, field);
    }
    try {
      const result = await deps.playNow.play(parsed.data.player, targetOf(parsed.data));
      ctx.body = { playing: true, ...result };
    } catch (err) {
      if (err instanceof PlayNowError) return fail(ctx, err.status, err.field ? `${err.field}: ${err.message}` : err.message, err.field);
      throw err;
    }
  };
}
