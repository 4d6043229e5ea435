// Webhook ingest benchmark: `npx tsx bench/ingest.ts [--events N] [--warmup N] [--senders N] [--tracks N] [--rate N] [--runs N]`.
// The receiver is Sagewire's front door (its own thread, src/front) in front of the main thread, where the
// worker applies the flood meanwhile; --runs repeats the measured flood against the same server (warm-up only
// before the first) and reports each run's p50/p99, then the p99 of every run on one line.
// The first --warmup events (default 3,000) warm the server up (JIT) and are reported apart, as `cold`;
// the figures are over the --events that follow, the steady state a server that runs for days is in.
// Without --rate: saturation (every sender posts again as soon as it is answered). With --rate 1000: a
// steady 1,000 events/s offered by the 50 senders, the acknowledgement latency Plex would see at that load.
// 50 concurrent senders (in their own process, keep-alive, as Plex would be) POST real-shaped multipart
// `media.rate` webhooks (owner, this server, tracks of the library) over loopback to a running Sagewire whose
// worker applies them meanwhile. Reports accepted events/s (goal ≥ 1,000), p50/p99 acknowledgement (goal
// p99 ≤ 20 ms) and events lost (sent with a 200 but not in the inbox; must be 0).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { control, percentile, spawnSim, startSagewire } from './live-support/harness.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    events: { type: 'string', default: '20000' },
    warmup: { type: 'string', default: '3000' },
    senders: { type: 'string', default: '50' },
    tracks: { type: 'string', default: '5000' },
    rate: { type: 'string' },
    runs: { type: 'string', default: '1' },
  },
});
const warmup = Number(args.warmup);
const events = Number(args.events);
const senders = Number(args.senders);
const runs = Number(args.runs);

const sim = await spawnSim(Number(args.tracks));
const bench = await startSagewire(sim, { register: false });
try {
  const sqlite = bench.app.database.sqlite;
  const tracks = sqlite.prepare('select rating_key, album_key, artist_key from tracks').all() as Array<{
    rating_key: string;
    album_key: string;
    artist_key: string;
  }>;
  const results = [];
  for (let run = 1; run <= runs; run++) {
    const result = await measure(run, run === 1 ? warmup : 0, tracks);
    results.push(result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }
  if (runs > 1) {
    process.stdout.write(`ack p50 per run (ms): ${results.map((r) => r.ackMs.p50).join(', ')}\n`);
    process.stdout.write(`ack p99 per run (ms): ${results.map((r) => r.ackMs.p99).join(', ')}  (goal ≤ 20 each)\n`);
    process.stdout.write(`ack p99 from the send per run (ms): ${results.map((r) => r.ackFromSendMs.p99).join(', ')}\n`);
    process.stdout.write(`lost per run: ${results.map((r) => r.lost).join(', ')}\n`);
  }
  await control(sim, '/__sim/stats', 'GET');
} finally {
  await bench.close();
  sim.child.kill();
}

async function measure(run: number, warmup: number, tracks: Array<{ rating_key: string; album_key: string; artist_key: string }>) {
  const sqlite = bench.app.database.sqlite;
  const total = warmup + events;
  const bodies = Array.from({ length: total }, (_, i) => {
    const t = tracks[(i * 7919) % tracks.length];
    return JSON.stringify({
      event: process.env.BENCH_EVENT ?? 'media.rate',
      user: true,
      owner: true,
      rating: (i % 10) + 1,
      Account: { id: 1, title: 'owner' },
      Server: { title: 'Plex', uuid: sim.machineIdentifier },
      Metadata: {
        librarySectionType: 'artist',
        ratingKey: t.rating_key,
        parentRatingKey: t.album_key,
        grandparentRatingKey: t.artist_key,
        type: 'track',
        librarySectionID: sim.musicSectionId,
        userRating: (i % 10) + 1,
      },
    });
  });
  const before = sqlite.prepare('select count(*) from webhook_events').pluck().get() as number;
  const file = join(mkdtempSync(join(tmpdir(), 'sagewire-ingest-')), 'input.json');
  writeFileSync(
    file,
    JSON.stringify({ url: bench.webhookUrl, payloads: bodies, senders, rate: args.rate ? Number(args.rate) : undefined }),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./live-support/senders.ts', import.meta.url)), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  const sent = JSON.parse(out) as {
    latencies: number[];
    fromSend: number[];
    sentAt: number[];
    doneAt: number[];
    statuses: Record<string, number>;
    seconds: number;
  };
  const accepted = sent.statuses['200'] ?? 0;
  const refused = total - accepted;
  bench.app.moveReceived(); // what the receiver's spool still holds is received, not lost
  const stored = (sqlite.prepare('select count(*) from webhook_events').pluck().get() as number) - before;
  const summary = (from: number, to: number) => {
    const latencies = sent.latencies.slice(from, to);
    const seconds = (Math.max(...sent.doneAt.slice(from, to)) - Math.min(...sent.sentAt.slice(from, to))) / 1000;
    return {
      events: to - from,
      eventsPerSecond: Math.round((to - from) / seconds),
      ackMs: {
        p50: +percentile(latencies, 50).toFixed(2),
        p99: +percentile(latencies, 99).toFixed(2),
        max: +Math.max(...latencies).toFixed(2),
      },
      ackFromSendMs: {
        p50: +percentile(sent.fromSend.slice(from, to), 50).toFixed(2),
        p99: +percentile(sent.fromSend.slice(from, to), 99).toFixed(2),
      },
    };
  };
  // Steady state in five windows, so a one-off pause (a major GC) shows where it happened.
  const windows = Array.from({ length: 5 }, (_, i) => {
    const from = warmup + Math.floor((i * events) / 5);
    const to = warmup + Math.floor(((i + 1) * events) / 5);
    const w = summary(from, to);
    return { events: `${from - warmup + 1}–${to - warmup}`, p50: w.ackMs.p50, p99: w.ackMs.p99 };
  });
  return {
    run,
    mode: args.rate ? `paced at ${args.rate} events/s` : 'saturation',
    senders,
    tracks: tracks.length,
    refused,
    ...summary(warmup, total),
    lost: accepted - stored,
    windows,
    cold: warmup > 0 ? summary(0, warmup) : null,
    goals: { eventsPerSecond: '≥ 1000', p99Ms: '≤ 20', lost: 0 },
  };
}
