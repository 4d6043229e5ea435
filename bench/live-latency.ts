// Rating → last write applied: `npx tsx bench/live-latency.ts [--tracks N] [--ratings N] [--latency-ms N]`.
// A person rates (the simulator's control API, which sends a real multipart media.rate webhook); measured
// from that call to the last journaled write of the event's run being applied in Plex (journal
// `resolved_at`), with 5 ms added to every Plex request. Also counts the Plex requests each rating event
// caused (its echoes included; those cost none). Goals: p95 ≤ 300 ms; cost independent of library size
// (run with --tracks 10000 and --tracks 300000; ratio of p95s ≤ 1.5).
import { parseArgs } from 'node:util';
import { control, percentile, spawnSim, startSagewire } from './live-support/harness.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    tracks: { type: 'string', default: '10000' },
    ratings: { type: 'string', default: '40' },
    'latency-ms': { type: 'string', default: '5' },
  },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const setupStarted = performance.now();
const sim = await spawnSim(Number(args.tracks));
const bench = await startSagewire(sim);
const setupSeconds = (performance.now() - setupStarted) / 1000;
try {
  const sqlite = bench.app.database.sqlite;
  const quiet = async () => {
    for (let calm = 0; calm < 3; ) {
      await control(sim, '/__sim/webhooks/flush');
      const busy = sqlite.prepare("select count(*) from webhook_events where status in ('pending', 'processing')").pluck().get() as number;
      calm = busy === 0 && !bench.app.live!.status().engine!.fullPassDue ? calm + 1 : 0;
      await sleep(20);
    }
  };
  // Inferred tracks of different artists (a person taking over an inferred rating), spread over the library.
  const candidates = sqlite
    .prepare(`select t.rating_key, t.artist_key from tracks t join rating_state s on s.item_key = t.rating_key
      where s.written_value is not null and t.artist_title not like 'Various Artists' group by t.artist_key order by t.artist_key`)
    .all() as Array<{ rating_key: string; artist_key: string }>;
  const count = Math.min(Number(args.ratings), candidates.length);
  await control(sim, `/__sim/config?latencyMs=${Number(args['latency-ms'])}`);
  await quiet();
  const latencies: number[] = [];
  const requests: number[] = [];
  const writes: number[] = [];
  for (let i = 0; i < count; i++) {
    const { rating_key: key } = candidates[Math.floor((i * candidates.length) / count)];
    const lastEvent = sqlite.prepare('select coalesce(max(id), 0) from webhook_events').pluck().get() as number;
    const before = (await control<{ totalRequests: number }>(sim, '/__sim/stats', 'GET')).totalRequests;
    const t0 = Date.now();
    await control(sim, `/__sim/user-rate?key=${key}&rating=${(i % 10) + 1}`);
    await quiet();
    const after = (await control<{ totalRequests: number }>(sim, '/__sim/stats', 'GET')).totalRequests;
    requests.push(after - before - 2); // minus the user-rate and the stats calls themselves
    const event = sqlite
      .prepare(
        "select id, run_id, processed_at from webhook_events where id > ? and item_key = ? and event = 'media.rate' order by id limit 1",
      )
      .get(lastEvent, key) as { run_id: number | null; processed_at: number };
    const last =
      event.run_id === null
        ? null
        : (sqlite.prepare("select max(resolved_at) from write_journal where run_id = ? and status = 'applied'").pluck().get(event.run_id) as
            | number
            | null);
    const n =
      event.run_id === null
        ? 0
        : (sqlite
            .prepare("select count(*) from write_journal where run_id = ? and operation = 'rate' and status = 'applied'")
            .pluck()
            .get(event.run_id) as number);
    latencies.push((last ?? event.processed_at) - t0);
    writes.push(n);
  }
  const result = {
    tracks: Number(args.tracks),
    ratings: count,
    plexLatencyMs: Number(args['latency-ms']),
    setupSeconds: +setupSeconds.toFixed(1),
    ratingToLastWriteMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) },
    plexRequestsPerEvent: { median: percentile(requests, 50), max: Math.max(...requests) },
    writesPerEvent: { median: percentile(writes, 50), max: Math.max(...writes) },
    goals: { p95Ms: '≤ 300' },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await bench.close();
  sim.child.kill();
}
