// CSRF: every state-changing request carries the session's token, either in the `_csrf` form field
// (plain forms, through the csrf partial) or in the `X-CSRF-Token` header (htmx, set by
// /static/sagewire.js from <meta name="csrf-token">). A multipart upload (a file form, whose body is parsed
// only after this check) carries it in the form action's query, `?_csrf=`. Anything else gets 403.
import type { Context, Next } from 'koa';
import { readForm } from '../form-body.js';
import { sameSecret } from '../../secrets/tokens.js';
import { currentSession } from './sessions.js';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(ctx: Context): boolean {
  return !SAFE_METHODS.has(ctx.method);
}

/** The token this request presented: the header first, then the form field of a form body. */
export async function presentedCsrfToken(ctx: Context): Promise<string> {
  const header = ctx.get(CSRF_HEADER);
  if (header) return header;
  if (ctx.is('application/x-www-form-urlencoded')) return (await readForm(ctx)).get(CSRF_FIELD) ?? '';
  if (ctx.is('multipart/form-data') && typeof ctx.query[CSRF_FIELD] === 'string') return ctx.query[CSRF_FIELD];
  return '';
}

/** Middleware for session-authenticated routes: state-changing requests need the session's token. */
export function requireCsrf() {
  return async function checkCsrf(ctx: Context, next: Next): Promise<void> {
    if (isStateChanging(ctx)) {
      const session = currentSession(ctx);
      const given = await presentedCsrfToken(ctx);
      if (!session || !given || !sameSecret(given, session.csrf_token)) {
        ctx.throw(403, 'CSRF token missing or invalid: reload the page and try again');
      }
    }
    await next();
  };
}
