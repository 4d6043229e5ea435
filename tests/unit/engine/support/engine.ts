// A temporary database with the engine's services wired to a fake or real Plex port.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DatabaseHandle } from '../../../../src/db/connection.js';
import { DEFAULT_RATING_PARAMS } from '../../../../src/domain/rating/index.js';
import { createEngineStore } from '../../../../src/engine/core/engine-store.js';
import type { EngineDeps, WriterSettings } from '../../../../src/engine/pass/full-pass.js';
import type { RatingWriterPort } from '../../../../src/engine/core/rating-port.js';
import { createLogger } from '../../../../src/log.js';

export interface TestEngine {
  handle: DatabaseHandle;
  deps: EngineDeps;
  dir: string;
  close(): Promise<void>;
}

export async function openTestEngine(
  port: RatingWriterPort,
  writer: Partial<WriterSettings> = {},
  inferredTag = 'Rating_Inferred',
): Promise<TestEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-engine-'));
  const handle = await openDatabase(join(dir, 'sagewire.db'));
  const deps: EngineDeps = {
    store: createEngineStore(handle.sqlite),
    port,
    logger: createLogger('silent'),
    params: DEFAULT_RATING_PARAMS,
    inferredTag,
    writer: { mode: 'rate', concurrency: 4, batchSize: 50, batchPauseMs: 0, ...writer },
  };
  return {
    handle,
    deps,
    dir,
    async close() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
