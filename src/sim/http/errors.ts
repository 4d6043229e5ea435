// Plex's error answers: small text/html pages for 401 and 404 (bodies as captured from real servers,
// see plex-samples/), a plain 400 for bad values, and 500 for our own bugs (logged once, here).
import type { Context, Next } from 'koa';
import { BadRequest } from '../render/respond.js';
import { EditError } from '../state/edits.js';
import { PlaylistError } from '../state/playlists.js';
import type { SimLogger } from '../webhooks/emitter.js';

export const UNAUTHORIZED_HTML =
  "<html><head><script>window.location = window.location.href.match(/(^.+\\/)[^\\/]*$/)[1] + 'web/index.html';</script>" +
  '<title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>';
export const NOT_FOUND_HTML = '<html><head><title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>';
const BAD_REQUEST_HTML = '<html><head><title>Bad Request</title></head><body><h1>400 Bad Request</h1></body></html>';

export class NotFound extends Error {}

function htmlError(ctx: Context, status: number, html: string): void {
  ctx.status = status;
  ctx.body = html;
  ctx.set('Content-Type', 'text/html'); // exactly as PMS sends it, without a charset
  ctx.set('X-Plex-Protocol', '1.0');
  ctx.set('Cache-Control', 'no-cache');
}

export function unauthorized(ctx: Context): void {
  htmlError(ctx, 401, UNAUTHORIZED_HTML);
}
export function notFound(ctx: Context): void {
  htmlError(ctx, 404, NOT_FOUND_HTML);
}

export function errorPages(log: SimLogger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) notFound(ctx);
    } catch (err) {
      if (err instanceof NotFound) return notFound(ctx);
      if (err instanceof BadRequest || err instanceof EditError || err instanceof PlaylistError || err instanceof RangeError) {
        htmlError(ctx, 400, BAD_REQUEST_HTML);
        ctx.set('X-Sim-Reason', encodeURIComponent((err as Error).message).slice(0, 300));
        return;
      }
      log(`sim: internal error on ${ctx.method} ${ctx.path}: ${(err as Error).stack ?? String(err)}`);
      htmlError(ctx, 500, '<html><head><title>Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>');
    }
  };
}
