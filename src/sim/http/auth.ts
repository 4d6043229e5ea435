// Every request (control API included) needs the server token, as header or query parameter — except what
// real Plex Media Server answers to anyone: `GET /identity`, which is how clients find a server's
// machineIdentifier before they have a token for it (python-plexapi and Tautulli ask it unauthenticated).
// A token, right or wrong, makes no difference there, as on a real server.
import type { Context, Next } from 'koa';
import { timingSafeEqual } from 'node:crypto';
import { plexParam } from '../render/respond.js';
import { unauthorized } from './errors.js';

const OPEN_ROUTES = new Set(['/identity']);

export function requireToken(token: string) {
  const expected = Buffer.from(token);
  return async (ctx: Context, next: Next): Promise<void> => {
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && OPEN_ROUTES.has(ctx.path)) return next();
    const given = Buffer.from(plexParam(ctx, 'X-Plex-Token') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return unauthorized(ctx);
    await next();
  };
}
