// Admin sessions in SQLite behind an HttpOnly, SameSite=Lax cookie. The cookie holds a random id;
// the table holds its hash, the CSRF token, the expiry and one pending flash message. Sessions slide:
// activity extends them (at most once a minute is written), up to an absolute limit.
import type { Context, Next } from 'koa';
import type { Kysely } from 'kysely';
import {
  deleteExpiredSessions,
  deleteSession,
  extendSession,
  findLiveSession,
  insertSession,
  setSessionFlash,
  type AdminSession,
} from '../../db/auth-sessions-repo.js';
import type { Database } from '../../db/schema.js';
import { randomToken, sha256Hex } from '../../secrets/tokens.js';

export const SESSION_COOKIE = 'sagewire_session';
const IDLE_MS = 7 * 24 * 3600_000;
const ABSOLUTE_MS = 30 * 24 * 3600_000;
const TOUCH_EVERY_MS = 60_000;

export interface Flash {
  kind: 'success' | 'error' | 'info';
  text: string;
}

export interface Sessions {
  /** Middleware: loads the session named by the cookie (if live) into ctx.state.session. */
  load(): (ctx: Context, next: Next) => Promise<void>;
  /** Starts a fresh session (a new id every login, so no fixation) and sets the cookie. */
  start(ctx: Context): Promise<AdminSession>;
  end(ctx: Context): Promise<void>;
  setFlash(ctx: Context, flash: Flash): Promise<void>;
  /** The pending flash message, removed as it is read. */
  takeFlash(ctx: Context): Promise<Flash | null>;
}

/** The session of this request, or null (set by `load()`). */
export function currentSession(ctx: Context): AdminSession | null {
  return (ctx.state.session as AdminSession | undefined) ?? null;
}

export function cookieOptions(ctx: Context, maxAge: number) {
  // ctx.secure honours X-Forwarded-Proto only when the app was built with proxy trust (TRUST_PROXY).
  return { httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, path: '/', maxAge, overwrite: true };
}

export function adminSessions(db: Kysely<Database>): Sessions {
  return {
    load() {
      return async function loadSession(ctx, next) {
        if (ctx.state.session === undefined) {
          const id = ctx.cookies.get(SESSION_COOKIE);
          let session: AdminSession | null = null;
          if (id && id.length <= 128) {
            const now = Date.now();
            session = await findLiveSession(db, sha256Hex(id), now);
            if (session && now - session.last_seen_at > TOUCH_EVERY_MS) {
              const expiresAt = Math.min(now + IDLE_MS, session.created_at + ABSOLUTE_MS);
              await extendSession(db, session.id_hash, now, expiresAt);
              session = { ...session, last_seen_at: now, expires_at: expiresAt };
            }
          }
          ctx.state.session = session;
        }
        await next();
      };
    },
    async start(ctx) {
      const previous = currentSession(ctx);
      if (previous) await deleteSession(db, previous.id_hash);
      const id = randomToken(32);
      const now = Date.now();
      const session: AdminSession = {
        id_hash: sha256Hex(id),
        csrf_token: randomToken(32),
        created_at: now,
        last_seen_at: now,
        expires_at: now + IDLE_MS,
        flash: null,
      };
      await deleteExpiredSessions(db, now);
      await insertSession(db, session);
      ctx.cookies.set(SESSION_COOKIE, id, cookieOptions(ctx, IDLE_MS));
      ctx.state.session = session;
      return session;
    },
    async end(ctx) {
      const session = currentSession(ctx);
      if (session) await deleteSession(db, session.id_hash);
      ctx.cookies.set(SESSION_COOKIE, '', { ...cookieOptions(ctx, 0), expires: new Date(0) });
      ctx.state.session = null;
    },
    async setFlash(ctx, flash) {
      const session = currentSession(ctx);
      if (session) await setSessionFlash(db, session.id_hash, JSON.stringify(flash));
    },
    async takeFlash(ctx) {
      const session = currentSession(ctx);
      if (!session?.flash) return null;
      await setSessionFlash(db, session.id_hash, null);
      try {
        return JSON.parse(session.flash) as Flash;
      } catch {
        return null;
      }
    },
  };
}
