// Undo benchmark: `npx tsx bench/undo.ts [--tracks 5000] [--latency-ms 2] [--batch-size 200] [--modes auto,bulk,rate]`
// (or `npm run bench undo -- --tracks 5000`).
//
// The first pass over a library Sagewire never wrote, then `undo` of that run, against the simulator in a
// child process, per write mode. Reports Plex requests for the fill and for its undo, the several-id rating
// edits of each (the fill's grouping by value spans the whole run), and whether the library is back as it was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/connection.js';
import { DEFAULT_RATING_PARAMS } from '../src/domain/rating/index.js';
import { createEngineStore } from '../src/engine/core/engine-store.js';
import { runFullPass, type EngineDeps } from '../src/engine/pass/full-pass.js';
import { PlexRatingPort } from '../src/engine/core/plex-rating-port.js';
import type { ItemKind } from '../src/engine/core/rating-port.js';
import { syncLibrary } from '../src/library/sync.js';
import { undoWrites } from '../src/engine/tools/undo.js';
import { createLogger } from '../src/log.js';
import { PlexClient } from '../src/plex/client.js';
import { spawnSim } from './live-support/sim-process.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    tracks: { type: 'string', default: '5000' },
    'latency-ms': { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '200' },
    modes: { type: 'string', default: 'auto,bulk,rate' },
  },
});

/** Counts the port's several-id rating edits (sets and clears) and single `/:/rate` calls. */
class CountingPort extends PlexRatingPort {
  bulkEdits = 0;
  rates = 0;
  override bulkRate(kind: ItemKind, keys: readonly string[], value: number | null): Promise<void> {
    this.bulkEdits += 1;
    return super.bulkRate(kind, keys, value);
  }
  override rate(key: string, value: number | null): Promise<void> {
    this.rates += 1;
    return super.rate(key, value);
  }
}

const results = [];
for (const mode of args.modes.split(',') as Array<'auto' | 'bulk' | 'rate'>) results.push(await fillAndUndo(mode));
console.log(
  JSON.stringify({
    bench: 'undo',
    tracks: Number(args.tracks),
    latencyMs: Number(args['latency-ms']),
    batchSize: Number(args['batch-size']),
    results,
  }),
);

async function fillAndUndo(mode: 'auto' | 'bulk' | 'rate') {
  const info = await spawnSim(Number(args.tracks), { seed: 3, latencyMs: Number(args['latency-ms']), echoWebhooks: false });
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-bench-undo-'));
  const handle = await openDatabase(join(dir, 'bench.db'));
  try {
    const client = new PlexClient({ url: info.url, token: info.token, clientIdentifier: 'sagewire-bench' });
    await syncLibrary({ db: handle, plex: client, sectionTitle: String(info.musicSectionId) });
    const port = new CountingPort(client, info.musicSectionId);
    const deps: EngineDeps = {
      store: createEngineStore(handle.sqlite),
      port,
      logger: createLogger('warn'),
      params: DEFAULT_RATING_PARAMS,
      inferredTag: 'Rating_Inferred',
      writer: { mode, concurrency: 4, batchSize: Number(args['batch-size']), batchPauseMs: 0 },
    };
    const stats = async () =>
      (await (await fetch(`${info.url}/__sim/stats`, { headers: { 'X-Plex-Token': info.token, Accept: 'application/json' } })).json()) as {
        totalRequests: number;
      };
    const ratings = () =>
      new Map(
        handle.sqlite
          .prepare(
            'select rating_key, user_rating from tracks union all select rating_key, user_rating from albums ' +
              'union all select rating_key, user_rating from artists',
          )
          .raw()
          .all() as Array<[string, number | null]>,
      );
    const original = ratings();
    // Each stats request is itself counted by the next one.
    const s0 = await stats();
    const fill = await runFullPass(deps);
    const s1 = await stats();
    const fillEdits = port.bulkEdits;
    const fillRates = port.rates;
    const undoStarted = performance.now();
    const undo = await undoWrites(deps, { runId: fill.runId });
    const undoSeconds = (performance.now() - undoStarted) / 1000;
    const s2 = await stats();
    const fillRequests = s1.totalRequests - s0.totalRequests - 1;
    const undoRequests = s2.totalRequests - s1.totalRequests - 1;
    await syncLibrary({ db: handle, plex: client, sectionTitle: String(info.musicSectionId) });
    const after = ratings();
    const differing = [...original].filter(([k, v]) => after.get(k) !== v).length;
    const line = {
      mode,
      writeMode: fill.outcome!.mode,
      written: fill.outcome!.written,
      fill: { requests: fillRequests, bulkEdits: fillEdits, rates: fillRates, seconds: Number(fill.seconds.toFixed(2)) },
      undo: {
        requests: undoRequests,
        bulkEdits: port.bulkEdits - fillEdits,
        rates: port.rates - fillRates,
        restored: undo.restored,
        leftAlone: undo.leftAlone,
        seconds: Number(undoSeconds.toFixed(2)),
      },
      undoToFill: Number((undoRequests / fillRequests).toFixed(2)),
      itemsNotRestored: differing,
    };
    console.log(
      `  ${mode.padEnd(4)} (${line.writeMode}): fill ${line.written} items with ${fillRequests} requests ` +
        `(${fillEdits} several-id edits, ${fillRates} /:/rate) in ${line.fill.seconds} s; ` +
        `undo ${undo.restored} items with ${undoRequests} requests ` +
        `(${line.undo.bulkEdits} several-id edits, ${line.undo.rates} /:/rate) in ${line.undo.seconds} s — ` +
        `${line.undoToFill}× the fill; ${differing} items not back as they were`,
    );
    return line;
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
    info.child.kill('SIGTERM');
  }
}
