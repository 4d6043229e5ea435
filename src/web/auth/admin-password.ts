// The admin password: ADMIN_PASSWORD from the environment, or one generated on first start with
// crypto randomness, stored argon2id-hashed in settings and printed to the log exactly once.
import { hash, verify } from '@node-rs/argon2';
import type { Kysely } from 'kysely';
import { getSetting, putSetting } from '../../db/settings-repo.js';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../log.js';
import { randomToken } from '../../secrets/tokens.js';

/** Settings key of the argon2id hash (never `ADMIN_PASSWORD`, which config would read as plain text). */
export const PASSWORD_HASH_KEY = 'ADMIN_PASSWORD_HASH';
export const MIN_PASSWORD_LENGTH = 8;

export type PasswordChange = 'changed' | 'wrong-current' | 'fixed-by-env' | 'too-short' | 'mismatch';

export interface AdminPassword {
  /** True when ADMIN_PASSWORD is set in the environment (the UI cannot change it). */
  readonly fixedByEnv: boolean;
  verify(given: string): Promise<boolean>;
  change(current: string, next: string, confirm: string): Promise<PasswordChange>;
}

export async function adminPassword(db: Kysely<Database>, fromEnv: string | null, logger: Logger): Promise<AdminPassword> {
  let passwordHash: string;
  if (fromEnv !== null) {
    // Hashed in memory so both sources verify the same (slow, constant-time) way.
    passwordHash = await hash(fromEnv);
  } else {
    const saved = await getSetting(db, PASSWORD_HASH_KEY);
    if (saved !== null) {
      passwordHash = saved;
    } else {
      const generated = randomToken(15);
      passwordHash = await hash(generated);
      await putSetting(db, PASSWORD_HASH_KEY, passwordHash);
      // The only time this password exists outside the person's head: once, at warn level.
      logger.warn(
        `admin: generated the admin password on first start: ${generated} — it is shown only this once; ` +
          'sign in and change it in Settings, or set ADMIN_PASSWORD',
      );
    }
  }
  const matches = async (given: string): Promise<boolean> => {
    if (given.length === 0 || given.length > 1024) return false;
    try {
      return await verify(passwordHash, given);
    } catch {
      return false;
    }
  };
  return {
    fixedByEnv: fromEnv !== null,
    verify: matches,
    async change(current, next, confirm) {
      if (fromEnv !== null) return 'fixed-by-env';
      if (!(await matches(current))) return 'wrong-current';
      if (next.length < MIN_PASSWORD_LENGTH) return 'too-short';
      if (next !== confirm) return 'mismatch';
      passwordHash = await hash(next);
      await putSetting(db, PASSWORD_HASH_KEY, passwordHash);
      logger.info('admin: password changed');
      return 'changed';
    },
  };
}
