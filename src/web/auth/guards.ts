// Who may pass: pages need a session (else the login page, or HX-Redirect for htmx); /api/* takes a
// Bearer token or the session cookie (state-changing calls with a session also need CSRF).
import type { Context, Next } from 'koa';
import type { ApiToken } from './api-token.js';
import { isStateChanging, presentedCsrfToken } from './csrf.js';
import { sameSecret } from '../../secrets/tokens.js';
import { currentSession } from './sessions.js';

/** A local path to return to after login; anything else (other hosts, `//x`) becomes `/`. */
export function safeNext(raw: string | null | undefined): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || raw.length > 512) return '/';
  return raw;
}

export function requireLogin() {
  return async function checkLogin(ctx: Context, next: Next): Promise<void> {
    if (currentSession(ctx)) return next();
    const login = ctx.method === 'GET' ? `/login?next=${encodeURIComponent(ctx.originalUrl)}` : '/login';
    if (ctx.get('HX-Request')) {
      // htmx follows HX-Redirect with a full page load instead of swapping the login page into a fragment.
      ctx.status = 401;
      ctx.set('HX-Redirect', login);
      ctx.body = '';
      return;
    }
    if (isStateChanging(ctx)) ctx.throw(401, 'not signed in');
    ctx.redirect(login);
  };
}

export function requireApiAuth(token: ApiToken) {
  return async function checkApiAuth(ctx: Context, next: Next): Promise<void> {
    const authorization = ctx.get('authorization');
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match || !token.matches(match[1])) return unauthorized(ctx, 'invalid API token');
      ctx.state.apiAuth = 'bearer';
      return next();
    }
    const session = currentSession(ctx);
    if (!session) return unauthorized(ctx, 'send Authorization: Bearer <API token> (see Settings) or sign in');
    if (isStateChanging(ctx)) {
      const given = await presentedCsrfToken(ctx);
      if (!given || !sameSecret(given, session.csrf_token)) ctx.throw(403, 'CSRF token missing or invalid');
    }
    ctx.state.apiAuth = 'session';
    return next();
  };
}

function unauthorized(ctx: Context, message: string): void {
  ctx.set('WWW-Authenticate', 'Bearer realm="sagewire"');
  ctx.status = 401;
  ctx.body = { error: message };
}
