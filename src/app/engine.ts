// The rating engine's pieces as app.ts builds them: the engine's dependencies for a music section (store,
// rating port, model parameters, writer settings), and what the CLI's commands run on.
import type SQLite from 'better-sqlite3';
import { requirePlex, type Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import { ratingParamsFromOverrides, type RatingParams } from '../domain/rating/index.js';
import { createEngineStore } from '../engine/core/engine-store.js';
import { PlexRatingPort } from '../engine/core/plex-rating-port.js';
import type { EngineDeps } from '../engine/pass/full-pass.js';
import { syncLibrary, type SyncOptions, type SyncResult } from '../library/sync.js';
import type { Logger } from '../log.js';
import type { PlexClient } from '../plex/client.js';
import { plexClientFor } from './plex.js';

/**
 * The model parameters in effect: defaults ← what the Settings page saved ← `RATING_*` environment
 * variables. Config already merged the saved rows (stored under their environment names, `RATING_C`…)
 * with the environment, so this only validates them.
 */
export function ratingParams(config: Pick<Config, 'ratingOverrides'>): RatingParams {
  return ratingParamsFromOverrides({ ...config.ratingOverrides });
}

/** The engine's dependencies for one music section. */
export function engineDeps(sqlite: SQLite.Database, client: PlexClient, sectionKey: string, config: Config, logger: Logger): EngineDeps {
  return {
    store: createEngineStore(sqlite),
    port: new PlexRatingPort(client, sectionKey),
    logger,
    params: ratingParams(config),
    inferredTag: config.inferredTag,
    writer: config.writer,
  };
}

/** The CLI's rating commands (infer, undo, verify, recover, import): the engine over the configured section. */
export interface RatingTools {
  handle: DatabaseHandle;
  deps: EngineDeps;
  client: PlexClient;
  sectionId: string;
  /** Brings the library cache up to date first. */
  sync(signal?: AbortSignal): Promise<SyncResult>;
  close(): Promise<void>;
}

export async function openRatingTools(config: Config, logger: Logger): Promise<RatingTools> {
  const plex = requirePlex(config);
  const handle = await openDatabase(config.dbPath);
  try {
    const client = plexClientFor(plex);
    const section = await client.musicSection(plex.musicLibrary);
    return {
      handle,
      deps: engineDeps(handle.sqlite, client, section.key, config, logger),
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

/** `sagewire sync`: the library cache and the configured section. */
export interface LibrarySync {
  sync(options: Pick<SyncOptions, 'full' | 'signal' | 'onProgress'>): Promise<SyncResult>;
  close(): Promise<void>;
}

export async function openLibrarySync(config: Config): Promise<LibrarySync> {
  const plex = requirePlex(config);
  const handle = await openDatabase(config.dbPath);
  const client = plexClientFor(plex);
  return {
    sync: (options) => syncLibrary({ db: handle, plex: client, sectionTitle: plex.musicLibrary, ...options }),
    close: () => handle.close(),
  };
}

/** The commands that read or change Sagewire's own state only (export, opt-in): the database, no Plex. */
export async function openStateDatabase(config: Config): Promise<DatabaseHandle> {
  return openDatabase(config.dbPath);
}
