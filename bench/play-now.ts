// Play now → the player playing (goal ≤ 1 s): the whole play-now path of the service (list the players,
// create the play queue, send playMedia through the server) against the simulator with a fixed latency
// per request, timed until the simulated player reports the list's first track. A 25-track generated
// list, a saved playlist and an album take turns.
//   npm run bench play-now -- --runs 50 --latency 5
import { PlexClient } from '../src/plex/index.js';
import { PlayNow, type PlayTarget } from '../src/playlists/play-now.js';
import { startSimulator } from '../src/sim/index.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg('runs', 50);
const latencyMs = arg('latency', 5);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

const sim = await startSimulator({ port: 0, tracks: 5000, seed: 9, latencyMs, log: { warn() {}, error() {} } as never });
const plex = new PlexClient({ url: sim.url, token: sim.token });
const playNow = new PlayNow(async () => plex);
await plex.identity(); // what any running Sagewire has already asked once
const [player] = await plex.players();
const tracks = sim.state.tracks;
const saved = await plex.createPlaylist(
  'bench play now',
  tracks.slice(1000, 1025).map((t) => t.ratingKey),
);

/** Resolves once the player plays `key`, checked after every turn of I/O (no timer granularity added). */
async function playerPlays(key: string): Promise<void> {
  for (;;) {
    const entry = sim.players.nowPlaying().players.find((p) => p.machineIdentifier === player.machineIdentifier);
    if (entry?.state === 'playing' && entry.track?.ratingKey === key) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const times: Record<string, number[]> = { list: [], playlist: [], album: [] };
for (let i = 0; i < runs; i++) {
  const kind = (['list', 'playlist', 'album'] as const)[i % 3];
  const from = (i * 37) % (tracks.length - 30);
  const target: PlayTarget =
    kind === 'list'
      ? { ratingKeys: tracks.slice(from, from + 25).map((t) => t.ratingKey) }
      : kind === 'playlist'
        ? { playlistRatingKey: saved.ratingKey }
        : { albumRatingKey: tracks[from].albumKey };
  const started = performance.now();
  const result = await playNow.play(player.machineIdentifier, target);
  await playerPlays(result.first);
  times[kind].push(performance.now() - started);
}

const all = Object.values(times).flat();
const line = (label: string, xs: number[]) =>
  `${label.padEnd(10)} n=${String(xs.length).padStart(3)}  p50 ${quantile(xs, 0.5).toFixed(1)} ms  p95 ${quantile(xs, 0.95).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms`;
console.log(`play now → player playing, simulator latency ${latencyMs} ms per request, player "${player.name}"`);
for (const [kind, xs] of Object.entries(times)) if (xs.length) console.log(line(kind, xs));
console.log(line('all', all));
const p95 = quantile(all, 0.95);
console.log(`goal p95 ≤ 1000 ms: ${p95 <= 1000 ? 'met' : 'NOT met'}`);
await sim.close();
process.exit(p95 <= 1000 ? 0 : 1);
