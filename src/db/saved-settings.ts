// Saved settings as the settings page changes them: several names saved or removed together, and the
// saved rating-model parameters. Single reads and writes are db/settings-repo.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { putSetting } from './settings-repo.js';

/** Saves each value (null removes the saved row) in one transaction. */
export async function saveSettings(
  db: Kysely<Database>,
  values: ReadonlyArray<readonly [string, string | null]>,
  now = Date.now(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [key, value] of values) {
      if (value === null) await trx.deleteFrom('settings').where('key', '=', key).execute();
      else await putSetting(trx, key, value, now);
    }
  });
}

/** Every saved setting whose key starts with `prefix` (letters, digits and `_` only), by key. */
export async function savedSettingsWithPrefix(db: Kysely<Database>, prefix: string): Promise<Record<string, string>> {
  const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'like', `${prefix}%`).execute();
  return Object.fromEntries(rows.filter((r) => r.key.startsWith(prefix)).map((r) => [r.key, r.value]));
}
