// GET/POST /login. Before there is a session the form is protected by a double-submit token: a
// random cookie (SameSite=Strict) that the hidden field must repeat.
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';
import type { AttemptOutcome } from '../auth/login-limiter.js';
import { randomToken, sameSecret } from '../../secrets/tokens.js';
import { currentSession } from '../auth/sessions.js';
import { loginForm, loginQuery } from '../forms/login.js';
import { parseInput } from '../forms/parse.js';

const LOGIN_COOKIE = 'sagewire_login';

function loginToken(ctx: Context): string {
  const existing = ctx.cookies.get(LOGIN_COOKIE);
  const token = existing && /^[\w-]{43}$/.test(existing) ? existing : randomToken(32);
  ctx.cookies.set(LOGIN_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.secure,
    path: '/login',
    maxAge: 3600_000,
    overwrite: true,
  });
  ctx.state.loginCsrf = token;
  return token;
}

async function renderLogin(deps: AdminDeps, ctx: Context, next: string, error: string | null, status = 200): Promise<void> {
  loginToken(ctx);
  const notice = (await parseInput(ctx, loginQuery, { from: 'query' })).signed_out ? 'You are signed out.' : null;
  await deps.views.page(ctx, 'login', 'Sign in', { next, error, notice }, status);
}

export function showLogin(deps: AdminDeps) {
  return async (ctx: Context) => {
    const { next } = await parseInput(ctx, loginQuery, { from: 'query' });
    if (currentSession(ctx)) return ctx.redirect(next);
    await renderLogin(deps, ctx, next, null);
  };
}

export function submitLogin(deps: AdminDeps) {
  return async (ctx: Context) => {
    const { next, password, csrf: given } = await parseInput(ctx, loginForm);
    const expected = ctx.cookies.get(LOGIN_COOKIE) ?? '';
    if (!expected || !given || !sameSecret(given, expected)) {
      ctx.throw(403, 'The sign-in form expired or was not sent by this site: reload the page and try again');
    }
    // A client that leaves while waiting for a verification turn gives its turn up.
    const gone = new AbortController();
    const leave = () => gone.abort();
    ctx.res.once('close', leave);
    let outcome: AttemptOutcome;
    try {
      outcome = await deps.loginLimiter.attempt(ctx.ip, () => deps.password.verify(password), gone.signal);
    } finally {
      ctx.res.off('close', leave);
    }
    switch (outcome.kind) {
      case 'abandoned':
        return;
      case 'refused': {
        ctx.set('Retry-After', String(outcome.retryAfterSeconds));
        // At debug level only: refusals cost nothing, and an attacker could fill the log with them.
        deps.logger.debug({ ip: ctx.ip, reason: outcome.reason }, 'admin: sign-in refused by rate limit');
        const message =
          outcome.reason === 'failures'
            ? `Too many failed sign-ins from your address. Try again in ${inWords(outcome.retryAfterSeconds)}.`
            : `Too many sign-ins at once from your address. Try again in ${inWords(outcome.retryAfterSeconds)}.`;
        return renderLogin(deps, ctx, next, message, 429);
      }
      case 'busy':
        ctx.set('Retry-After', String(outcome.retryAfterSeconds));
        deps.logger.debug({ ip: ctx.ip }, 'admin: sign-in answered busy (verification queue full)');
        return renderLogin(
          deps,
          ctx,
          next,
          `Sign-in is busy with other attempts. Try again in ${inWords(outcome.retryAfterSeconds)}.`,
          503,
        );
      case 'verified':
        break;
    }
    if (!outcome.ok) {
      deps.logger.warn({ ip: ctx.ip }, 'admin: failed sign-in');
      return renderLogin(deps, ctx, next, 'Wrong password.', 401);
    }
    await deps.sessions.start(ctx);
    ctx.cookies.set(LOGIN_COOKIE, '', { path: '/login', maxAge: 0, expires: new Date(0), overwrite: true });
    deps.logger.info({ ip: ctx.ip }, 'admin: signed in');
    ctx.redirect(next);
  };
}

/** "40 seconds", "1 minute", "15 minutes". */
function inWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export function logout(deps: AdminDeps) {
  return async (ctx: Context) => {
    await deps.sessions.end(ctx);
    ctx.redirect('/login?signed_out');
  };
}
