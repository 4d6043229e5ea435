// A person racing live propagation: `npx tsx bench/race.ts [--rounds N] [--burst N] [--tracks N]`.
//   pairs: for Plex at 5 ms and at 50 ms per request and each d in {0, 10, 25, 50, 100, 200} ms, `rounds`
//          trials: rate track A of an album 10 and, d ms later, track B of the same album 2, while the run
//          A's event started is writing the album; then wait until everything is applied.
//   burst: the person makes `burst` ratings (whole points, spread over 40 artists, 8 at a time, a few ms
//          apart) while propagation runs, echoes on.
// Prints trials, the items checked (every item the person rated) and the items lost (Plex holding anything
// but the person's last rating; must be 0), and how many of the person's ratings Sagewire wrote back.
import { parseArgs } from 'node:util';
import { seededRandom } from '../tests/support/seeded-random.js';
import { startLive, type LiveHarness } from '../tests/integration/live/support/live-harness.js';
import { lostRatings, racePairs, raceTrial, ratingBurst } from '../tests/integration/live/support/race.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    rounds: { type: 'string', default: '10' },
    burst: { type: 'string', default: '2000' },
    tracks: { type: 'string', default: '6000' },
  },
});
const DELAYS = [0, 10, 25, 50, 100, 200];
const rounds = Number(args.rounds);
const tracks = Number(args.tracks);

const restores = (h: LiveHarness) =>
  h.app.database.sqlite
    .prepare("select count(*) from write_journal where note = 'restore-person' and status = 'applied' and operation != 'opt_out'")
    .pluck()
    .get() as number;

let totalLost = 0;
for (const latencyMs of [5, 50]) {
  const h = await startLive({ tracks, seed: 11, sim: { latencyMs } });
  try {
    const started = performance.now();
    const pairs = racePairs(h, DELAYS.length * rounds);
    const perDelay = new Map(DELAYS.map((d) => [d, 0]));
    for (const [i, pair] of pairs.entries()) {
      const d = DELAYS[i % DELAYS.length];
      const lostBefore = lostRatings(h).length;
      await raceTrial(h, pair, d);
      await h.quiet(120_000);
      perDelay.set(d, perDelay.get(d)! + lostRatings(h).length - lostBefore);
    }
    const lost = lostRatings(h);
    totalLost += lost.length;
    process.stdout.write(
      `pairs, Plex at ${latencyMs} ms: ${pairs.length} trials (${rounds} per d), ${h.person.size} items checked, ${lost.length} lost ` +
        `(by d: ${[...perDelay].map(([d, n]) => `${d} ms ${n}`).join(', ')}), ${restores(h)} written back, ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    for (const line of lost.slice(0, 5)) process.stdout.write(`  lost ${line}\n`);
  } finally {
    await h.close();
  }
}

{
  const h = await startLive({ tracks, seed: 5, sim: { latencyMs: 5 } });
  try {
    const started = performance.now();
    await ratingBurst(h, { ratings: Number(args.burst), artists: 40, concurrency: 8, random: seededRandom(17) });
    await h.quiet(600_000);
    const lost = lostRatings(h);
    totalLost += lost.length;
    process.stdout.write(
      `burst, Plex at 5 ms: ${args.burst} ratings, ${h.person.size} items checked, ${lost.length} lost, ` +
        `${restores(h)} written back, ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    for (const line of lost.slice(0, 5)) process.stdout.write(`  lost ${line}\n`);
  } finally {
    await h.close();
  }
}
process.stdout.write(`total lost: ${totalLost}\n`);
process.exit(totalLost === 0 ? 0 : 1);
