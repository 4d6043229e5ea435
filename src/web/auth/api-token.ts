// The API token for `Authorization: Bearer` on /api/*: API_TOKEN from the environment, or a generated
// one created from Settings, of which only the SHA-256 is kept. None exists until the person creates one
// (a token nobody has seen would be useless); the plain token is shown once, right after it is created.
import type { Kysely } from 'kysely';
import { getSetting, putSetting } from '../../db/settings-repo.js';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../log.js';
import { randomToken, sameSecret, sha256Hex } from '../../secrets/tokens.js';

export const API_TOKEN_HASH_KEY = 'API_TOKEN_SHA256';

export interface ApiToken {
  readonly fixedByEnv: boolean;
  /** False until a token is set in the environment or created in Settings. */
  readonly exists: boolean;
  matches(given: string): boolean;
  /** Replaces the token; the old one stops working at once. Returns the new token (show it once). */
  rotate(): Promise<string>;
}

export async function apiToken(db: Kysely<Database>, fromEnv: string | null, logger: Logger): Promise<ApiToken> {
  let tokenHash = fromEnv !== null ? sha256Hex(fromEnv) : await getSetting(db, API_TOKEN_HASH_KEY);
  return {
    fixedByEnv: fromEnv !== null,
    get exists() {
      return tokenHash !== null;
    },
    matches(given) {
      return tokenHash !== null && given.length > 0 && given.length <= 512 && sameSecret(sha256Hex(given), tokenHash);
    },
    async rotate() {
      if (fromEnv !== null)
        throw Object.assign(new Error('API_TOKEN is set in the environment; change it there'), { status: 409, expose: true });
      const token = `sw_${randomToken(32)}`;
      tokenHash = sha256Hex(token);
      await putSetting(db, API_TOKEN_HASH_KEY, tokenHash);
      logger.info('admin: API token created');
      return token;
    },
  };
}
