// Library sync benchmark: `npx tsx bench/sync.ts [--tracks N] [--latency-ms N] [--page-size N] [--concurrency N]`.
//
// A simulated library (default 100,000 tracks, 5 ms added to every request) runs in a CHILD process,
// so the peak RSS measured here is the syncing process's alone. Measures:
//   1. a full first sync: wall time (goal ≤ 20 s), peak RSS (goal ≤ 400 MB), requests per item;
//   2. an incremental sync after 100 changes (ratings without webhooks, title edits, an added album)
//      (goal ≤ 2 s), checking that every change reached the cache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/connection.js';
import { LibraryReads } from '../src/db/library-reads.js';
import { syncLibrary } from '../src/library/sync.js';
import { PlexClient } from '../src/plex/index.js';
import { spawnSim, type SimChild } from './live-support/sim-process.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    tracks: { type: 'string', default: '100000' },
    'latency-ms': { type: 'string', default: '5' },
    'page-size': { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '4' },
  },
});

await runBenchmark();

async function runBenchmark(): Promise<void> {
  const tracks = Number(args.tracks);
  console.log(
    `sync bench: ${tracks} tracks, ${args['latency-ms']} ms per request, page ${args['page-size']}, concurrency ${args.concurrency}`,
  );
  const startedSim = performance.now();
  const info = await spawnSim(Number(args.tracks), { seed: 1, latencyMs: Number(args['latency-ms']) });
  const child = info.child;
  console.log(`  simulator ready in ${((performance.now() - startedSim) / 1000).toFixed(1)} s (child process ${child.pid})`);
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-bench-'));
  const handle = await openDatabase(join(dir, 'bench.db'));
  try {
    const plex = new PlexClient({ url: info.url, token: info.token, clientIdentifier: 'sagewire-bench' });
    const options = {
      db: handle,
      plex,
      sectionTitle: String(info.musicSectionId),
      pageSize: Number(args['page-size']),
      concurrency: Number(args.concurrency),
    };

    const rssBefore = process.memoryUsage().rss;
    const full = await syncLibrary(options);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const items = full.artists + full.albums + full.tracks;
    console.log(`  full sync:        ${full.seconds.toFixed(2)} s  (goal ≤ 20 s)  ${verdict(full.seconds <= 20)}`);
    console.log(
      `  peak RSS:         ${peakRssMb.toFixed(0)} MB  (goal ≤ 400 MB; ${(rssBefore / 2 ** 20).toFixed(0)} MB before the sync)  ` +
        `${verdict(peakRssMb <= 400)}`,
    );
    console.log(`  cached:           ${full.artists} artists, ${full.albums} albums, ${full.tracks} tracks`);
    console.log(`  requests:         ${full.requests} (${(full.requests / items).toFixed(4)} per item)`);

    const expected = await makeHundredChanges(plex, info, handle.sqlite);
    const incremental = await syncLibrary(options);
    const reads = new LibraryReads(handle.sqlite);
    const missing = expected.filter((check) => !check(reads)).length;
    console.log(
      `  incremental sync: ${incremental.seconds.toFixed(2)} s after 100 changes (goal ≤ 2 s)  ${verdict(incremental.seconds <= 2)}`,
    );
    console.log(
      `                    mode ${incremental.mode}, ${incremental.added} added, ${incremental.updated} updated, ` +
        `${incremental.requests} requests, ${missing} changes missing`,
    );
    console.log(JSON.stringify({ bench: 'sync', tracks, full, peakRssMb: Math.round(peakRssMb), incremental, missingChanges: missing }));
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
    child.kill('SIGTERM');
  }
}

function verdict(ok: boolean): string {
  return ok ? 'ok' : 'MISSED';
}

/** 90 ratings (no webhook), 9 title edits and 1 added album; returns checks against the cache. */
async function makeHundredChanges(
  plex: PlexClient,
  info: SimChild,
  sqlite: { prepare(sql: string): { pluck(): { all(): unknown[] } } },
): Promise<((reads: LibraryReads) => boolean)[]> {
  const keys = sqlite.prepare('select rating_key from tracks order by rating_key').pluck().all() as string[];
  const checks: ((reads: LibraryReads) => boolean)[] = [];
  const control = async (path: string) => {
    const res = await fetch(`${info.url}${path}`, { method: 'POST', headers: { 'X-Plex-Token': info.token } });
    if (!res.ok) throw new Error(`bench: ${path} answered ${res.status}`);
  };
  for (let i = 0; i < 90; i++) {
    const key = keys[(i * 997) % keys.length];
    const rating = (i % 10) + 1;
    await control(`/__sim/user-rate?key=${key}&rating=${rating}&notify=0`);
    checks.push((reads) => reads.itemsByKeys([key]).tracks[0]?.user_rating === rating);
  }
  for (let i = 0; i < 9; i++) {
    const key = keys[(i * 7919 + 13) % keys.length];
    const title = `Bench edit ${i}`;
    await plex.editField(info.musicSectionId, 10, [key], 'title', title);
    checks.push((reads) => reads.itemsByKeys([key]).tracks[0]?.title === title);
  }
  const before = keys.length;
  await control('/__sim/add-album');
  checks.push((reads) => reads.counts().tracks > before);
  return checks;
}
