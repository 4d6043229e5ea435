// A scheduled run's wall time: regenerate a 30-track playlist with the offline provider and replace the
// schedule's Plex playlist, against the simulator answering each request after a fixed latency (default
// 5 ms). p50/p95 over the runs, split into the generation (pool, selection, history row) and the save
// (find the playlist, clear, append, record). The first run creates the playlist and is not counted.
//   npm run bench playlist-schedule -- --tracks 20000 --runs 20 --latency 5
import { PlexClient } from '../src/plex/index.js';
import { Scheduler } from '../src/playlists/schedules.js';
import { startSimulator } from '../src/sim/index.js';
import { startHarness } from '../tests/integration/playlists/support/harness.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const tracks = arg('tracks', 20_000);
const runs = arg('runs', 20);
const latencyMs = arg('latency', 5);

const sim = await startSimulator({ port: 0, tracks, seed: 3, latencyMs, log: { warn() {}, error() {} } as never });
const plex = new PlexClient({ url: sim.url, token: sim.token, retries: 0 });
const h = await startHarness({ library: sim.state.library, plex });
const runtime = { generate: h.service.generate.bind(h.service), save: h.service.save.bind(h.service) };
const scheduler = new Scheduler({ db: h.handle.db, runtime, log: { info() {}, warn() {}, error() {} }, timers: false });
const { id } = await scheduler.create({
  request: { prompt: 'weekly mix', count: 30, provider: 'offline', filters: { minRating: 2.5, excludeLive: true } },
  cron: '0 7 * * 1',
  timezone: 'UTC',
});

const first = await scheduler.fire(id, 'manual');
if (first.status !== 'done') throw new Error(`the first run failed: ${String(first.error)}`);
const total: number[] = [];
const generate: number[] = [];
const save: number[] = [];
let repeated = 0;
let previous = new Set(first.result!.tracks.map((t) => t.ratingKey));
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const outcome = await scheduler.fire(id, 'manual');
  total.push(performance.now() - t0);
  if (outcome.status !== 'done') throw new Error(`run ${i + 1} failed: ${String(outcome.error)}`);
  generate.push(outcome.timings!.generateMs);
  save.push(outcome.timings!.saveMs);
  repeated += outcome.result!.tracks.filter((t) => previous.has(t.ratingKey)).length;
  previous = new Set(outcome.result!.tracks.map((t) => t.ratingKey));
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const line = (name: string, values: number[]) => `${name} p50 ${pct(values, 50).toFixed(1)} ms, p95 ${pct(values, 95).toFixed(1)} ms`;
console.log(
  `scheduled run, 30 tracks, offline, ${tracks} tracks in the library, simulator latency ${latencyMs} ms, ${runs} runs:\n` +
    `  ${line('whole run', total)}\n  ${line('generate ', generate)}\n  ${line('save     ', save)}\n` +
    `  tracks repeated from the previous run: ${repeated} of ${runs * 30}`,
);
await scheduler.stop();
await h.close();
await sim.close();
