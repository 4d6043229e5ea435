// The API token for `Authorization: Bearer` on /api/*: API_TOKEN from the environment, or a generated
// one of which only the SHA-256 is kept. The plain token is shown once, right after a rotation.
import type { Kysely } from 'kysely';
import { getSetting, putSetting } from '../../db/settings-repo.js';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../log.js';
import { randomToken, sameSecret, sha256Hex } from './secrets.js';

export const API_TOKEN_HASH_KEY = 'API_TOKEN_SHA256';

export interface ApiToken {
  readonly fixedByEnv: boolean;
  matches(given: string): boolean;
  /** Replaces the token; the old one stops working at once. Returns the new token (show it once). */
  rotate(): Promise<string>;
}

export async function apiToken(db: Kysely<Database>, fromEnv: string | null, logger: Logger): Promise<ApiToken> {
  let tokenHash = fromEnv !== null ? sha256Hex(fromEnv) : await getSetting(db, API_TOKEN_HASH_KEY);
  if (tokenHash === null) {
    tokenHash = sha256Hex(randomToken(32));
    await putSetting(db, API_TOKEN_HASH_KEY, tokenHash);
  }
  return {
    fixedByEnv: fromEnv !== null,
    matches(given) {
      return given.length > 0 && given.length <= 512 && sameSecret(sha256Hex(given), tokenHash!);
    },
    async rotate() {
      if (fromEnv !== null) throw Object.assign(new Error('API_TOKEN is set in the environment; change it there'), { status: 409, expose: true });
      const token = `sw_${randomToken(32)}`;
      tokenHash = sha256Hex(token);
      await putSetting(db, API_TOKEN_HASH_KEY, tokenHash);
      logger.info('admin: API token rotated');
      return token;
    },
  };
}
