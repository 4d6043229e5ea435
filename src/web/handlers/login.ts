// GET/POST /login. Before there is a session the form is protected by a double-submit token: a
// random cookie (SameSite=Strict) that the hidden field must repeat.
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';
import { CSRF_FIELD } from '../auth/csrf.js';
import { safeNext } from '../auth/guards.js';
import { randomToken, sameSecret } from '../auth/secrets.js';
import { currentSession } from '../auth/sessions.js';
import { readForm } from '../form-body.js';

const LOGIN_COOKIE = 'sagewire_login';

function loginToken(ctx: Context): string {
  const existing = ctx.cookies.get(LOGIN_COOKIE);
  const token = existing && /^[\w-]{43}$/.test(existing) ? existing : randomToken(32);
  ctx.cookies.set(LOGIN_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: '/login', maxAge: 3600_000, overwrite: true });
  ctx.state.loginCsrf = token;
  return token;
}

async function renderLogin(deps: AdminDeps, ctx: Context, next: string, error: string | null, status = 200): Promise<void> {
  loginToken(ctx);
  const notice = ctx.query.signed_out !== undefined ? 'You are signed out.' : null;
  await deps.views.page(ctx, 'login', 'Sign in', { next, error, notice }, status);
}

export function showLogin(deps: AdminDeps) {
  return async (ctx: Context) => {
    const next = safeNext(ctx.query.next as string | undefined);
    if (currentSession(ctx)) return ctx.redirect(next);
    await renderLogin(deps, ctx, next, null);
  };
}

export function submitLogin(deps: AdminDeps) {
  return async (ctx: Context) => {
    const form = await readForm(ctx);
    const next = safeNext(form.get('next'));
    const verdict = deps.loginLimiter.check(ctx.ip);
    if (!verdict.allowed) {
      ctx.set('Retry-After', String(verdict.retryAfterSeconds));
      deps.logger.warn({ ip: ctx.ip, scope: verdict.scope }, 'admin: sign-in refused by rate limit');
      const wait = Math.ceil(verdict.retryAfterSeconds / 60);
      return renderLogin(deps, ctx, next, `Too many failed sign-ins. Try again in ${wait} minute${wait === 1 ? '' : 's'}.`, 429);
    }
    const expected = ctx.cookies.get(LOGIN_COOKIE) ?? '';
    const given = form.get(CSRF_FIELD) ?? '';
    if (!expected || !given || !sameSecret(given, expected)) {
      ctx.throw(403, 'The sign-in form expired or was not sent by this site: reload the page and try again');
    }
    if (!(await deps.password.verify(form.get('password') ?? ''))) {
      deps.loginLimiter.recordFailure(ctx.ip);
      deps.logger.warn({ ip: ctx.ip }, 'admin: failed sign-in');
      return renderLogin(deps, ctx, next, 'Wrong password.', 401);
    }
    deps.loginLimiter.recordSuccess(ctx.ip);
    await deps.sessions.start(ctx);
    ctx.cookies.set(LOGIN_COOKIE, '', { path: '/login', maxAge: 0, expires: new Date(0), overwrite: true });
    deps.logger.info({ ip: ctx.ip }, 'admin: signed in');
    ctx.redirect(next);
  };
}

export function logout(deps: AdminDeps) {
  return async (ctx: Context) => {
    await deps.sessions.end(ctx);
    ctx.redirect('/login?signed_out');
  };
}
