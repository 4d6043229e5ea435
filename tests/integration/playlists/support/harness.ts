// A library cache in a temporary database, filled from a generated simulator library, and the playlist
// service wired to it with every provider pointed at a fake model server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../../../src/db/connection.js';
import { PlaylistRuntime, llmAsConfigured, type PlaylistService, type PlaylistWiring } from '../../../../src/playlists/index.js';
import type { PlexPlaylistClient } from '../../../../src/playlists/save.js';
import { generateLibrary } from '../../../../src/sim/generate.js';
import type { SimLibrary } from '../../../../src/sim/library.js';
import { loadSimLibrary } from './load-sim-library.js';

export interface Harness extends PlaylistWiring {
  /** The configured provider's service. */
  service: PlaylistService;
  runtime: PlaylistRuntime;
  handle: DatabaseHandle;
  library: SimLibrary;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    tracks?: number;
    seed?: number;
    fakeUrl?: string;
    library?: SimLibrary;
    plex?: PlexPlaylistClient;
    env?: Record<string, string>;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-playlists-'));
  const handle = await openDatabase(join(dir, 'cache.db'));
  const library = options.library ?? generateLibrary({ tracks: options.tracks ?? 3000, seed: options.seed ?? 11 });
  loadSimLibrary(handle.sqlite, library);
  const url = options.fakeUrl ?? 'http://127.0.0.1:9';
  const config = loadConfig({
    DATA_DIR: dir,
    OPENAI_API_KEY: 'sk-test',
    ANTHROPIC_API_KEY: 'ant-test',
    GEMINI_API_KEY: 'gem-test',
    OPENAI_BASE_URL: `${url}/v1`,
    ANTHROPIC_BASE_URL: url,
    GEMINI_BASE_URL: url,
    OPENAI_COMPATIBLE_BASE_URL: `${url}/v1`,
    ...options.env,
  });
  const runtime = await PlaylistRuntime.create({
    db: handle.db,
    sqlite: handle.sqlite,
    settings: llmAsConfigured(config.llm),
    plex: options.plex ?? null,
    inferredTag: config.inferredTag,
    tuning: { maxRetries: 0 },
  });
  return {
    ...runtime.wiring,
    service: runtime.service(),
    runtime,
    handle,
    library,
    async close() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
