// What the receiver needs to judge an event: the server's identity and the music section, as the
// last sync recorded them (read at most every few seconds, never per request from Plex).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { getSetting } from '../db/settings-repo.js';
import { syncedServerIdentity } from '../db/sync-state-reads.js';

/** The settings row naming the music sections looked after besides the one this database's state is of. */
export const MORE_SECTIONS_SETTING = 'MORE_MUSIC_SECTION_IDS';
import type { ClassifyContext } from './payload.js';

export function syncedServerContext(db: Kysely<Database>, allowedAccounts: readonly number[], ttlMs = 5000) {
  const accounts = new Set(allowedAccounts);
  let cached: { at: number; value: ClassifyContext } = {
    at: 0,
    value: { machineIdentifier: null, musicSectionId: null, allowedAccounts: accounts },
  };
  let refreshing = false;
  const refresh = async () => {
    if (refreshing) return;
    refreshing = true;
    try {
      const [{ machineIdentifier, sectionId }, more] = await Promise.all([syncedServerIdentity(db), getSetting(db, MORE_SECTIONS_SETTING)]);
      const moreMusicSectionIds = new Set(
        (more ?? '')
          .split(',')
          .map(Number)
          .filter((id) => Number.isInteger(id) && id > 0),
      );
      cached = { at: Date.now(), value: { machineIdentifier, musicSectionId: sectionId, moreMusicSectionIds, allowedAccounts: accounts } };
    } finally {
      refreshing = false;
    }
  };
  return {
    refresh,
    /** Synchronous for the request path; refreshes in the background when stale. */
    current(): ClassifyContext {
      if (Date.now() - cached.at > ttlMs) void refresh();
      return cached.value;
    },
  };
}
