// Builds the engine's dependencies for a command-line run: database, Plex client, the section's rating
// port, the model parameters (settings ← RATING_* environment) and the library sync. The server builds the
// same pieces in app.ts; this is the CLI's composition root for the rating commands.
import type { Config } from '../config.js';
import { requirePlex } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { ratingParamsFromOverrides, type RatingParams } from '../domain/rating/index.js';
import type { Logger } from '../log.js';
import { PlexClient } from '../plex/client.js';
import { VERSION } from '../version.js';
import { createEngineStore } from './core/engine-store.js';
import type { EngineDeps } from './pass/full-pass.js';
import { PlexRatingPort } from './core/plex-rating-port.js';
import { syncLibrary, type SyncResult } from '../library/sync.js';

/**
 * The model parameters in effect: defaults ← what the Settings page saved ← `RATING_*` environment
 * variables. Config already merged the saved rows (stored under their environment names, `RATING_C`…)
 * with the environment, so this only validates them.
 */
export function loadRatingParams(overrides: Readonly<Record<string, string>>): RatingParams {
  return ratingParamsFromOverrides({ ...overrides });
}

export interface EngineRuntime {
  handle: DatabaseHandle;
  deps: EngineDeps;
  client: PlexClient;
  sectionId: string;
  sync(signal?: AbortSignal): Promise<SyncResult>;
  close(): Promise<void>;
}

export async function openEngineRuntime(config: Config, logger: Logger): Promise<EngineRuntime> {
  const plex = requirePlex(config);
  const handle = await openDatabase(config.dbPath);
  try {
    const params = loadRatingParams(config.ratingOverrides);
    const client = new PlexClient({ url: plex.url, token: plex.token, timeoutMs: plex.timeoutMs, version: VERSION });
    const section = await client.musicSection(plex.musicLibrary);
    const deps: EngineDeps = {
      store: createEngineStore(handle.sqlite),
      port: new PlexRatingPort(client, section.key),
      logger,
      params,
      inferredTag: config.inferredTag,
      writer: config.writer,
    };
    return {
      handle,
      deps,
      client,
      sectionId: section.key,
      sync: (signal) => syncLibrary({ db: handle, plex: client, sectionTitle: plex.musicLibrary, signal }),
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
