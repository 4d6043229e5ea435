// A Sagewire without Plex that takes webhooks: the sync state names the server and music section the
// receiver accepts events from (it judges them from what the last sync recorded), on a temporary database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type Sagewire } from '../../../../src/app.js';
import { loadConfig } from '../../../../src/config.js';
import { openDatabase } from '../../../../src/db/connection.js';
import { createLogger } from '../../../../src/log.js';

export interface Receiver {
  dir: string;
  app: Sagewire;
  url: string;
  close(): Promise<void>;
}

export async function startReceiver(options: {
  server: string;
  secret: string;
  section?: number;
  env?: Record<string, string>;
}): Promise<Receiver> {
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-receiver-'));
  const seed = await openDatabase(join(dir, 'sagewire.db'));
  await seed.db
    .insertInto('sync_state')
    .values({
      section_id: options.section ?? 3,
      section_uuid: 'u',
      machine_identifier: options.server,
      last_full_sync_at: 1,
      last_sync_at: 1,
      watermark_added_at: null,
      watermark_rated_at: null,
      watermark_updated_at: null,
      last_deletion_scan_at: null,
    })
    .execute();
  await seed.close();
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_SECRET: options.secret,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const app = await buildApp(config, createLogger('silent'));
  const url = await app.listen();
  return {
    dir,
    app,
    url,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
