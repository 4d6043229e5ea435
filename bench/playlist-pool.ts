// Pool build over a large library cache (goal ≤ 100 ms at 300,000 tracks) and tokens per track line with
// the OpenAI tokenizer (goal ≤ 20; MediaSage budgets 40).
//   npm run bench playlist-pool -- --tracks 300000 --runs 7
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/connection.js';
import { fitToBudget, type FilterSpec, type RankSpec } from '../src/domain/playlist/index.js';
import { PoolIndexCache, PoolQuery, countOpenAiTokens } from '../src/playlists/index.js';
import { generateLibrary } from '../src/sim/generate.js';
import { loadSimLibrary } from '../tests/integration/playlists/support/load-sim-library.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const tracks = arg('tracks', 300_000);
const runs = arg('runs', 7);
const ms = (from: number) => performance.now() - from;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const dir = mkdtempSync(join(tmpdir(), 'sagewire-bench-pool-'));
const handle = await openDatabase(join(dir, 'cache.db'));
let t = performance.now();
const library = generateLibrary({ tracks, seed: 7 });
loadSimLibrary(handle.sqlite, library);
console.log(`library: ${tracks} tracks generated and written to SQLite in ${(ms(t) / 1000).toFixed(1)} s`);

const cache = new PoolIndexCache(handle.sqlite);
const pool = new PoolQuery(cache);
t = performance.now();
cache.current();
console.log(
  `pool index load (cold, once per cache change): ${ms(t).toFixed(0)} ms; ` +
    `heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
);
t = performance.now();
for (let i = 0; i < 100; i++) cache.current();
console.log(`freshness check when nothing changed: ${(ms(t) / 100).toFixed(3)} ms`);

const rank = (over: Partial<RankSpec>): RankSpec => ({ genres: [], styles: [], moods: [], artists: [], year: null, seed: 1, ...over });
const cases: { label: string; filters: FilterSpec; rank: RankSpec }[] = [
  { label: 'no filters (whole library)', filters: {}, rank: rank({}) },
  {
    label: 'genre Pop/Rock, no live (≈ 1/3 of library)',
    filters: { genres: ['Pop/Rock'], excludeLive: true },
    rank: rank({ genres: ['Pop/Rock'] }),
  },
  {
    label: '90s shoegaze/dream pop, melancholy',
    filters: { styles: ['Shoegaze', 'Dream Pop'], moods: ['Melancholy'], decades: [1990], excludeLive: true },
    rank: rank({ styles: ['Shoegaze', 'Dream Pop'], moods: ['Melancholy'] }),
  },
  { label: '≥ 4 stars, manual only', filters: { minRating: 4, includeInferred: false }, rank: rank({ moods: ['Energetic'] }) },
  {
    label: 'songs like <artist> (favoured, no filter)',
    filters: { excludeLive: true },
    rank: rank({ artists: [library.artists[10].title] }),
  },
  { label: 'never played', filters: { neverPlayed: true }, rank: rank({}) },
  {
    label: 'played ≥ 5, not played for 12 months, skipped ≤ 20 %',
    filters: { minPlays: 5, notPlayedMonths: 12, maxSkipRatio: 0.2 },
    rank: rank({ moods: ['Energetic'] }),
  },
];
const lineTokens: number[] = [];
let lineChars = 0;
console.log(`\npool build, ${runs} runs each (size 300), median / max:`);
for (const c of cases) {
  const times: number[] = [];
  let result = pool.build({ filters: c.filters, rank: c.rank, size: 300 });
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    result = pool.build({ filters: c.filters, rank: { ...c.rank, seed: i }, size: 300 });
    times.push(ms(t));
  }
  const fitted = fitToBudget(result.tracks, countOpenAiTokens, { maxTokens: 1e9, maxTracks: 300 }, c.rank);
  for (const line of fitted.lines) {
    lineTokens.push(countOpenAiTokens(line));
    lineChars += line.length;
  }
  console.log(
    `  ${c.label.padEnd(46)} ${median(times).toFixed(1).padStart(6)} ms / ${Math.max(...times)
      .toFixed(1)
      .padStart(6)} ms  (${result.matching} match, ${result.tracks.length} in pool)`,
  );
}
t = performance.now();
for (let i = 0; i < runs; i++) pool.count({ genres: ['Pop/Rock'], excludeLive: true });
console.log(`  live count (genre Pop/Rock, no live): ${(ms(t) / runs).toFixed(1)} ms`);

lineTokens.sort((a, b) => a - b);
const mean = lineTokens.reduce((a, b) => a + b, 0) / lineTokens.length;
console.log(
  `\ntokens per track line (OpenAI o200k_base, ${lineTokens.length} lines): mean ${mean.toFixed(1)}, ` +
    `median ${median(lineTokens)}, p95 ${lineTokens[Math.floor(lineTokens.length * 0.95)]}, max ${lineTokens.at(-1)}; ` +
    `${(lineChars / lineTokens.reduce((a, b) => a + b, 0)).toFixed(2)} chars per token`,
);
await handle.close();
rmSync(dir, { recursive: true, force: true });
