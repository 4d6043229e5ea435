// Webhook ingest benchmark: `npx tsx bench/ingest.ts [--events N] [--senders N] [--tracks N] [--rate N]`.
// Without --rate: saturation (every sender posts again as soon as it is answered). With --rate 1000: a
// steady 1,000 events/s offered by the 50 senders, the acknowledgement latency Plex would see at that load.
// 50 concurrent senders (in their own process, keep-alive, as Plex would be) POST real-shaped multipart `media.rate` webhooks (owner, this server, tracks of the
// library) over loopback to a running Sagewire whose worker applies them meanwhile. Reports accepted
// events/s (goal ≥ 1,000), p50/p99 acknowledgement (goal p99 ≤ 20 ms) and events lost (sent with a 200 but
// not in the inbox; must be 0).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { control, percentile, spawnSim, startSagewire } from './live-support/harness.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: { events: { type: 'string', default: '10000' }, senders: { type: 'string', default: '50' }, tracks: { type: 'string', default: '5000' }, rate: { type: 'string' } },
});
const events = Number(args.events);
const senders = Number(args.senders);

const sim = await spawnSim(Number(args.tracks));
const bench = await startSagewire(sim, { register: false });
try {
  const sqlite = bench.app.database.sqlite;
  const tracks = sqlite.prepare('select rating_key, album_key, artist_key from tracks').all() as Array<{ rating_key: string; album_key: string; artist_key: string }>;
  const bodies = Array.from({ length: events }, (_, i) => {
    const t = tracks[(i * 7919) % tracks.length];
    return JSON.stringify({
      event: process.env.BENCH_EVENT ?? 'media.rate', user: true, owner: true, rating: (i % 10) + 1,
      Account: { id: 1, title: 'owner' }, Server: { title: 'Plex', uuid: sim.machineIdentifier },
      Metadata: { librarySectionType: 'artist', ratingKey: t.rating_key, parentRatingKey: t.album_key, grandparentRatingKey: t.artist_key, type: 'track', librarySectionID: sim.musicSectionId, userRating: (i % 10) + 1 },
    });
  });
  const before = sqlite.prepare('select count(*) from webhook_events').pluck().get() as number;
  const file = join(mkdtempSync(join(tmpdir(), 'sagewire-ingest-')), 'input.json');
  writeFileSync(file, JSON.stringify({ url: bench.webhookUrl, payloads: bodies, senders, rate: args.rate ? Number(args.rate) : undefined }));
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./live-support/senders.ts', import.meta.url)), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  const sent = JSON.parse(out) as { latencies: number[]; statuses: Record<string, number>; seconds: number };
  const latencies = sent.latencies;
  const accepted = sent.statuses['200'] ?? 0;
  const refused = events - accepted;
  // Let the worker finish what it was applying meanwhile before the inbox is counted and closed.
  const seconds = sent.seconds;
  const stored = (sqlite.prepare('select count(*) from webhook_events').pluck().get() as number) - before;
  const result = {
    mode: args.rate ? `paced at ${args.rate} events/s` : 'saturation', events, senders, tracks: tracks.length, accepted, refused,
    eventsPerSecond: Math.round(accepted / seconds),
    ackMs: { p50: +percentile(latencies, 50).toFixed(2), p99: +percentile(latencies, 99).toFixed(2), max: +Math.max(...latencies).toFixed(2) },
    lost: accepted - stored,
    goals: { eventsPerSecond: '≥ 1000', p99Ms: '≤ 20', lost: 0 },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await control(sim, '/__sim/stats', 'GET');
} finally {
  await bench.close();
  sim.child.kill();
}
