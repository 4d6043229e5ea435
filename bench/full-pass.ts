// Full-pass benchmark: `npx tsx bench/full-pass.ts [--tracks 300000] [--mode bulk|rate|auto] [--compute-only]`.
//
// A simulated library runs in a CHILD process (so peak RSS is Sagewire's alone). Measures:
//   1. compute time from the library cache to the finished plan, the model's fit included (goal ≤ 3 s), and
//      peak RSS (goal ≤ 1 GB); `--compute-only` stops here (phases of the last plan printed);
//   2. the full pass's writes (wall time, requests);
//   3. a second pass on the unchanged library (after a sync): 0 writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/connection.js';
import { DEFAULT_RATING_PARAMS } from '../src/domain/rating/index.js';
import { createEngineStore } from '../src/engine/core/engine-store.js';
import { planFullPass, runFullPass, type EngineDeps } from '../src/engine/pass/full-pass.js';
import { PlexRatingPort } from '../src/engine/core/plex-rating-port.js';
import { syncLibrary } from '../src/library/sync.js';
import { createLogger } from '../src/log.js';
import { PlexClient } from '../src/plex/client.js';
import { spawnSim, type SimChild } from './live-support/sim-process.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    tracks: { type: 'string', default: '300000' },
    mode: { type: 'string', default: 'bulk' },
    'latency-ms': { type: 'string', default: '0' },
    'compute-only': { type: 'boolean', default: false },
  },
});

await runBenchmark();

async function simStats(info: SimChild): Promise<{ totalRequests: number; ratingWrites: number; editWithoutId: number }> {
  const response = await fetch(`${info.url}/__sim/stats`, { headers: { 'X-Plex-Token': info.token, Accept: 'application/json' } });
  return (await response.json()) as { totalRequests: number; ratingWrites: number; editWithoutId: number };
}

async function runBenchmark(): Promise<void> {
  const tracks = Number(args.tracks);
  console.log(`full-pass bench: ${tracks} tracks, write mode ${args.mode}`);
  const info = await spawnSim(Number(args.tracks), { seed: 1, latencyMs: Number(args['latency-ms']), echoWebhooks: false });
  const child = info.child;
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-bench-'));
  const handle = await openDatabase(join(dir, 'bench.db'));
  try {
    const client = new PlexClient({ url: info.url, token: info.token, clientIdentifier: 'sagewire-bench' });
    const sync = () => syncLibrary({ db: handle, plex: client, sectionTitle: String(info.musicSectionId) });
    const synced = await sync();
    console.log(`  sync:             ${synced.seconds.toFixed(1)} s (${synced.tracks} tracks cached)`);
    const deps: EngineDeps = {
      store: createEngineStore(handle.sqlite),
      port: new PlexRatingPort(client, info.musicSectionId),
      logger: createLogger('warn'),
      params: DEFAULT_RATING_PARAMS,
      inferredTag: 'Rating_Inferred',
      writer: { mode: args.mode as 'bulk', concurrency: 4, batchSize: 500, batchPauseMs: 0 },
    };
    // Compute alone, three times (first one warms the JIT); the pass below measures it once more.
    const computeMs: number[] = [];
    let plan = planFullPass(deps.store, deps.params, deps.inferredTag);
    computeMs.push(plan.computeMs);
    for (let i = 0; i < 2; i++) {
      plan = planFullPass(deps.store, deps.params, deps.inferredTag);
      computeMs.push(plan.computeMs);
    }
    console.log(
      `  model:            ${plan.fit.chosen} (fit ${plan.fit.ms.toFixed(0)} ms of the compute, ${plan.fit.ratings} ratings); ` +
        `phases ${Object.entries(plan.phases)
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(', ')} ms`,
    );
    if (args['compute-only']) {
      console.log(
        `  compute (cache → plan): standalone ${computeMs.map((m) => (m / 1000).toFixed(2)).join(' / ')} s (goal ≤ 3 s); ` +
          `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
      );
      return;
    }
    const before = await simStats(info);
    const first = await runFullPass(deps);
    const afterFirst = await simStats(info);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const compute = first.plan.computeMs / 1000;
    console.log(
      `  compute (cache → plan): ${compute.toFixed(2)} s in the pass; ` +
        `standalone ${computeMs.map((m) => (m / 1000).toFixed(2)).join(' / ')} s  (goal ≤ 3 s)  ${verdict(compute <= 3)}`,
    );
    console.log(`  peak RSS:         ${peakRssMb.toFixed(0)} MB (goal ≤ 1024 MB)  ${verdict(peakRssMb <= 1024)}`);
    console.log(
      `  μ ${first.plan.mu.toFixed(3)}, ε ${first.plan.epsilon.toFixed(4)}; planned ${first.plan.writes.length}, ` +
        `written ${first.outcome!.written} in ${first.seconds.toFixed(1)} s, mode ${first.outcome!.mode}`,
    );
    console.log(
      `  Plex requests:    ${afterFirst.totalRequests - before.totalRequests - 1} ` +
        `(${((afterFirst.totalRequests - before.totalRequests) / first.outcome!.written).toFixed(4)} per written item), ` +
        `edits without id: ${afterFirst.editWithoutId}`,
    );
    await sync();
    const second = await runFullPass(deps);
    const afterSecond = await simStats(info);
    const secondWrites = afterSecond.ratingWrites - afterFirst.ratingWrites;
    console.log(
      `  second pass:      planned ${second.plan.writes.length}, ${secondWrites} rating writes, ` +
        `${second.plan.takeovers.length} takeovers  ${verdict(secondWrites === 0)}`,
    );
    console.log(
      JSON.stringify({
        bench: 'full-pass',
        tracks,
        mode: first.outcome!.mode,
        computeSeconds: compute,
        standaloneComputeSeconds: computeMs.map((m) => m / 1000),
        peakRssMb: Math.round(peakRssMb),
        planned: first.plan.writes.length,
        written: first.outcome!.written,
        writeSeconds: first.seconds,
        requests: afterFirst.totalRequests - before.totalRequests - 1,
        secondPassWrites: secondWrites,
        secondPassPlanned: second.plan.writes.length,
      }),
    );
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
    child.kill('SIGTERM');
  }
}

function verdict(ok: boolean): string {
  return ok ? 'ok' : 'MISSED';
}
