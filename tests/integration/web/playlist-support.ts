// The real composition root (buildApp) over the Plex simulator with a synced library cache, for the
// playlist pages, the art proxy and the API; the fake model server stands in for OpenAI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type Sagewire } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';

export const API_TOKEN = 'playlist-api-token-0123456789';
export const PASSWORD = 'playlist-admin-password';

export interface PlaylistApp {
  sim: RunningSimulator;
  app: Sagewire;
  url: string;
  close(): Promise<void>;
}

export async function startPlaylistApp(options: { tracks?: number; env?: Record<string, string> } = {}): Promise<PlaylistApp> {
  const sim = await startSimulator({ port: 0, tracks: options.tracks ?? 400, seed: 5, log: { warn() {}, error() {} } as never });
  const dataDir = mkdtempSync(join(tmpdir(), 'sagewire-playlist-web-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_PASSWORD: PASSWORD,
    API_TOKEN,
    LOG_LEVEL: 'silent',
    WEBHOOKS: 'off',
    PLEX_URL: sim.url,
    PLEX_TOKEN: sim.token,
    ...options.env,
  });
  const app = await buildApp(config, createLogger('silent'));
  const url = await app.listen();
  // Live propagation's first step is a sync: the library cache the playlists draw from.
  await app.live!.ready;
  return {
    sim,
    app,
    url,
    async close() {
      await app.close();
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
