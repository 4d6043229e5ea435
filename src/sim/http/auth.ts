// Every request (control API included) needs the server token, as header or query parameter.
import type { Context, Next } from 'koa';
import { timingSafeEqual } from 'node:crypto';
import { plexParam } from '../render/respond.js';
import { unauthorized } from './errors.js';

export function requireToken(token: string) {
  const expected = Buffer.from(token);
  return async (ctx: Context, next: Next): Promise<void> => {
    const given = Buffer.from(plexParam(ctx, 'X-Plex-Token') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return unauthorized(ctx);
    await next();
  };
}
