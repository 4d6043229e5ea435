// Settings saved in the database, read before the configuration is built and written by the UI
// and by first-start generation of secrets.
import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Reads saved settings without migrating or creating anything (the database may not exist yet). */
export function readSavedSettings(dbPath: string): Record<string, string> {
  if (!existsSync(dbPath)) return {};
  const sqlite = new SQLite(dbPath, { readonly: true, fileMustExist: true });
  try {
    const table = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'settings'").get();
    if (!table) return {};
    const rows = sqlite.prepare('select key, value from settings').all() as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  } finally {
    sqlite.close();
  }
}

export async function getSetting(db: Kysely<Database>, key: string): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function putSetting(db: Kysely<Database>, key: string, value: string, now = Date.now()): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

/** Returns the saved value, or saves and returns `generate()` the first time (e.g. a webhook secret). */
export async function getOrCreateSetting(db: Kysely<Database>, key: string, generate: () => string): Promise<string> {
  const existing = await getSetting(db, key);
  if (existing !== null) return existing;
  const value = generate();
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: Date.now() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting(db, key)) ?? value;
}
