// Admin sessions: literal storage, keyed by the SHA-256 of the cookie value.
import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { AdminSessionTable } from './tables/auth.js';

export type AdminSession = Selectable<AdminSessionTable>;

export async function insertSession(db: Kysely<Database>, session: AdminSession): Promise<void> {
  await db.insertInto('admin_sessions').values(session).execute();
}

/** The session, if it exists and has not expired. */
export async function findLiveSession(db: Kysely<Database>, idHash: string, now = Date.now()): Promise<AdminSession | null> {
  const row = await db
    .selectFrom('admin_sessions')
    .selectAll()
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row ?? null;
}

export async function extendSession(db: Kysely<Database>, idHash: string, lastSeenAt: number, expiresAt: number): Promise<void> {
  await db.updateTable('admin_sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id_hash', '=', idHash).execute();
}

export async function setSessionFlash(db: Kysely<Database>, idHash: string, flash: string | null): Promise<void> {
  await db.updateTable('admin_sessions').set({ flash }).where('id_hash', '=', idHash).execute();
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('id_hash', '=', idHash).execute();
}

/** Every session but `keepIdHash` (after a password change, other browsers are signed out). */
export async function deleteOtherSessions(db: Kysely<Database>, keepIdHash: string): Promise<number> {
  const result = await db.deleteFrom('admin_sessions').where('id_hash', '!=', keepIdHash).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Kysely<Database>, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom('admin_sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
