// One place where errors become responses: expected ones (ctx.throw(4xx) — safe to show) keep
// their status and message; anything else is logged once and answered with a plain 500.
import type { Context, Next } from 'koa';
import type { Logger } from '../log.js';

export function errorResponses(logger: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      const e = err as { status?: number; statusCode?: number; expose?: boolean; message?: string };
      const status = e.status ?? e.statusCode ?? 500;
      if (status >= 500 || !e.expose) {
        logger.error({ err, method: ctx.method, path: ctx.path }, 'web: request failed');
      }
      ctx.status = status;
      const message = e.expose && e.message ? e.message : status >= 500 ? 'Internal error' : 'Request rejected';
      if (ctx.path.startsWith('/api/') || ctx.path.startsWith('/webhooks/') || ctx.accepts('html', 'json') === 'json') {
        ctx.body = { error: message };
      } else {
        ctx.type = 'text/plain';
        ctx.body = message;
      }
    }
  };
}
