// Album recommendations over a large library cache: the candidate pool (filters → per-album aggregation →
// ranking; goal ≤ 100 ms at 300,000 tracks, after the index is loaded) and a whole recommendation with the
// offline provider (goal ≤ 1 s), p50 / p95 over repeated runs.
//   npm run bench recommend -- --tracks 300000 --runs 20
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/connection.js';
import type { FilterSpec } from '../src/domain/playlist/index.js';
import { rankAlbums, type Familiarity } from '../src/domain/recommend/index.js';
import { matchingAlbums, type AlbumWants } from '../src/playlists/album-pool.js';
import { PlaylistRuntime, llmAsConfigured } from '../src/playlists/index.js';
import { generateLibrary } from '../src/sim/generate.js';
import { loadSimLibrary } from '../tests/integration/playlists/support/load-sim-library.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const tracks = arg('tracks', 300_000);
const runs = arg('runs', 20);
const ms = (from: number) => performance.now() - from;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

const dir = mkdtempSync(join(tmpdir(), 'sagewire-bench-recommend-'));
const handle = await openDatabase(join(dir, 'cache.db'));
let t = performance.now();
loadSimLibrary(handle.sqlite, generateLibrary({ tracks, seed: 7 }));
console.log(`library: ${tracks} tracks generated and written to SQLite in ${(ms(t) / 1000).toFixed(1)} s`);

const config = loadConfig({ DATA_DIR: dir });
const runtime = await PlaylistRuntime.create({
  db: handle.db,
  sqlite: handle.sqlite,
  settings: llmAsConfigured({ ...config.llm, provider: 'offline' }),
  plex: null,
  inferredTag: config.inferredTag,
});
const pool = runtime.wiring.pool;
t = performance.now();
runtime.wiring.poolIndex.current();
console.log(`pool index load (once per library or ratings change): ${ms(t).toFixed(0)} ms`);
t = performance.now();
matchingAlbums(pool, {});
console.log(`album index (once per pool index: track → album, album tags): first aggregation ${ms(t).toFixed(0)} ms`);

const none: AlbumWants = { genres: [], styles: [], moods: [], artists: [] };
const cases: { label: string; filters: FilterSpec; wants: AlbumWants; familiarity: Familiarity }[] = [
  { label: 'whole library, comfort', filters: {}, wants: none, familiarity: 'comfort' },
  {
    label: 'no live, mood Melancholy wanted, hidden gems',
    filters: { excludeLive: true },
    wants: { ...none, moods: ['Melancholy'] },
    familiarity: 'hidden-gems',
  },
  {
    label: 'genre Pop/Rock, ≥ 3★, rediscover',
    filters: { genres: ['Pop/Rock'], minRating: 3 },
    wants: { ...none, genres: ['Pop/Rock'] },
    familiarity: 'rediscover',
  },
  {
    label: '1990s, styles wanted, any',
    filters: { decades: [1990] },
    wants: { ...none, styles: ['Shoegaze', 'Dream Pop'] },
    familiarity: 'any',
  },
];
const now = Date.now() / 1000;
console.log(`\ncandidate pool (filter + aggregate + rank), ${runs} runs each: p50 / p95`);
for (const c of cases) {
  const times: number[] = [];
  let albums = 0;
  // Three untimed runs first: the library generated above is still being collected, and its first full
  // collections would otherwise land in the timed runs of the first case.
  for (let i = 0; i < 3; i++)
    rankAlbums(matchingAlbums(pool, c.filters, c.wants), { familiarity: c.familiarity, now, decades: [], seed: i }, 200);
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    const found = matchingAlbums(pool, c.filters, c.wants);
    rankAlbums(found, { familiarity: c.familiarity, now, decades: [], seed: i }, 200);
    times.push(ms(t));
    albums = found.length;
  }
  console.log(
    `  ${c.label.padEnd(48)} ${pct(times, 0.5).toFixed(1).padStart(6)} ms / ${pct(times, 0.95).toFixed(1).padStart(6)} ms  (${albums} albums)`,
  );
}

const recommender = runtime.recommender();
const e2e: number[] = [];
for (let i = 0; i < runs; i++) {
  t = performance.now();
  await recommender.recommend({
    prompt: `something warm and melancholy for a rainy Sunday ${i}`,
    mode: 'library',
    familiarity: 'comfort',
    provider: 'offline',
    filters: { excludeLive: true },
  });
  e2e.push(ms(t));
}
console.log(
  `\nwhole recommendation, offline provider (analysis, pool, pick, history row), ${runs} runs: p50 ${pct(e2e, 0.5).toFixed(1)} ms / p95 ${pct(e2e, 0.95).toFixed(1)} ms`,
);
await handle.close();
rmSync(dir, { recursive: true, force: true });
