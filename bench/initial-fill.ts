// Initial-fill benchmark: `npx tsx bench/initial-fill.ts [--tracks 10000] [--latency-ms 5]`.
//
// The first pass over a library Sagewire never wrote, against a simulator that adds 5 ms to every request
// (child process). Runs it twice from scratch — rate mode (`/:/rate` per item) and bulk mode (one several-id
// edit per value) — and reports total Plex requests, requests per written item and wall time, next to the
// reference tool's floor: ≥ 1 GET + 1 PUT per item, + 1 tag edit per item, and a 5 s sleep every 25 writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/connection.js';
import { DEFAULT_RATING_PARAMS } from '../src/domain/rating/index.js';
import { createEngineStore } from '../src/engine/core/engine-store.js';
import { runFullPass } from '../src/engine/pass/full-pass.js';
import { PlexRatingPort } from '../src/engine/core/plex-rating-port.js';
import { syncLibrary } from '../src/library/sync.js';
import { createLogger } from '../src/log.js';
import { PlexClient } from '../src/plex/client.js';
import { spawnSim } from './live-support/sim-process.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: { tracks: { type: 'string', default: '10000' }, 'latency-ms': { type: 'string', default: '5' } },
});

const results = [];
for (const mode of ['rate', 'bulk'] as const) results.push(await fill(mode));
const written = results[0].written;
// The reference tool, at best: per item one GET (listing/reload) + one PUT (rate) + one PUT (tag), sent
// one after another, and 5 s of sleep after every 25 writes.
const latency = Number(args['latency-ms']) / 1000;
const reference = { requests: written * 3, seconds: written * 3 * latency + Math.floor(written / 25) * 5 };
console.log(
  `  reference tool floor: ${reference.requests} requests (3.000 per item), ` +
    `≥ ${reference.seconds.toFixed(0)} s (${Math.floor(written / 25)} sleeps of 5 s)`,
);
for (const r of results) {
  console.log(
    `  ${r.mode.padEnd(4)} mode vs reference: ${(reference.requests / r.requests).toFixed(1)}× fewer requests, ` +
      `${(reference.seconds / r.seconds).toFixed(0)}× faster`,
  );
}
console.log(
  JSON.stringify({ bench: 'initial-fill', tracks: Number(args.tracks), latencyMs: Number(args['latency-ms']), results, reference }),
);

async function fill(mode: 'rate' | 'bulk') {
  const info = await spawnSim(Number(args.tracks), { seed: 3, latencyMs: Number(args['latency-ms']), echoWebhooks: false });
  const child = info.child;
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-bench-'));
  const handle = await openDatabase(join(dir, 'bench.db'));
  try {
    const client = new PlexClient({ url: info.url, token: info.token, clientIdentifier: 'sagewire-bench' });
    await syncLibrary({ db: handle, plex: client, sectionTitle: String(info.musicSectionId) });
    const stats = async () =>
      (await (await fetch(`${info.url}/__sim/stats`, { headers: { 'X-Plex-Token': info.token, Accept: 'application/json' } })).json()) as {
        totalRequests: number;
        requests: Record<string, number>;
      };
    const before = await stats();
    const result = await runFullPass({
      store: createEngineStore(handle.sqlite),
      port: new PlexRatingPort(client, info.musicSectionId),
      logger: createLogger('warn'),
      params: DEFAULT_RATING_PARAMS,
      inferredTag: 'Rating_Inferred',
      writer: { mode, concurrency: 4, batchSize: 200, batchPauseMs: 0 },
    });
    const after = await stats();
    // The `before` stats request itself is counted in `after`.
    const requests = after.totalRequests - before.totalRequests - 1;
    const byRoute = Object.fromEntries(
      Object.entries(after.requests)
        .map(([k, v]) => [k, v - (before.requests[k] ?? 0) - (k === 'GET /__sim/stats' ? 1 : 0)])
        .filter(([, v]) => (v as number) > 0),
    );
    const written = result.outcome!.written;
    const line = { mode, written, requests, perItem: requests / written, seconds: result.seconds, byRoute };
    console.log(
      `  ${mode.padEnd(4)} mode: ${written} items written with ${requests} requests ` +
        `(${(requests / written).toFixed(3)} per item) in ${result.seconds.toFixed(1)} s — ${JSON.stringify(byRoute)}`,
    );
    return line;
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
    child.kill('SIGTERM');
  }
}
