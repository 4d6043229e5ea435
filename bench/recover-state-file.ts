// Recover from a huge plex_state.json: `npx tsx bench/recover-state-file.ts [--tracks 5000] [--keys 1000000]`
// (or `npm run bench recover-state-file -- --keys 1000000`).
//
// A first pass over a simulated library, the state lost, then `recover --from-state-file --dry-run` from a
// file holding every inferred item plus unknown keys up to --keys. Reports the file's size, the keys skipped
// as unknown, the Plex requests (only the known keys are read, one request per batch) and the time taken.
// The simulator runs in this process, so the time includes its share of the work.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/connection.js';
import { DEFAULT_RATING_PARAMS } from '../src/domain/rating/index.js';
import { createEngineStore } from '../src/engine/core/engine-store.js';
import { runFullPass, type EngineDeps } from '../src/engine/pass/full-pass.js';
import { PlexRatingPort } from '../src/engine/core/plex-rating-port.js';
import { recoverState } from '../src/engine/tools/recover.js';
import { syncLibrary } from '../src/library/sync.js';
import { createLogger } from '../src/log.js';
import { PlexClient } from '../src/plex/client.js';
import { startSimulator } from '../src/sim/index.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: { tracks: { type: 'string', default: '5000' }, keys: { type: 'string', default: '1000000' } },
});
const totalKeys = Number(args.keys);

const sim = await startSimulator({ tracks: Number(args.tracks), seed: 23, echoWebhooks: false, log: () => {} });
const dir = mkdtempSync(join(tmpdir(), 'sagewire-bench-recover-'));
const handle = await openDatabase(join(dir, 'sagewire.db'));
try {
  const client = new PlexClient({ url: sim.url, token: sim.token, retries: 0 });
  const deps: EngineDeps = {
    store: createEngineStore(handle.sqlite),
    port: new PlexRatingPort(client, String(sim.musicSectionId)),
    logger: createLogger('silent'),
    params: DEFAULT_RATING_PARAMS,
    inferredTag: 'Rating_Inferred',
    writer: { mode: 'rate', concurrency: 2, batchSize: 100, batchPauseMs: 0 },
  };
  const sync = () => syncLibrary({ db: handle, plex: client, sectionTitle: 'Music' });
  await sync();
  await runFullPass(deps);
  await sync();
  const inferred = [...deps.store.state.loadAll()].filter(([, c]) => c.writtenValue !== null);
  handle.sqlite.prepare('delete from rating_state').run();
  const ratings: Record<string, { r: number; t: number }> = {};
  for (const [key, claim] of inferred) ratings[key] = { r: claim.writtenValue!, t: 0 };
  for (let i = 0; i < totalKeys - inferred.length; i++) ratings[String(90_000_000 + i)] = { r: 6.5, t: 0 };
  const file = join(dir, 'plex_state.json');
  writeFileSync(file, JSON.stringify({ version: '1.4.0', library_uuid: null, ratings }));
  sim.stats.reset();
  const started = performance.now();
  const report = await recoverState(deps, { stateFile: file }, { dryRun: true });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      fileMB: Number((statSync(file).size / 1024 / 1024).toFixed(1)),
      keys: Object.keys(ratings).length,
      knownKeys: inferred.length,
      skippedUnknown: report.skipped.unknown,
      claimed: report.claimed.length,
      plexRequests: sim.stats.totalRequests,
      seconds: Number(seconds.toFixed(2)),
    })}\n`,
  );
} finally {
  await handle.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
