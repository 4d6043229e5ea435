// Simulator benchmark: generating a 300,000-track library, and serving 1,000-track pages from it (JSON),
// unfiltered and filtered. Targets: generation < 15 s, a page < 50 ms.
//   npx tsx bench/sim-generate.ts [tracks]
import { generateLibrary, startSimulator } from '../src/sim/index.js';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tracks = Number(process.argv[2] ?? 300_000);
const ms = (t0: number): number => Math.round((performance.now() - t0) * 10) / 10;

let t0 = performance.now();
const library = generateLibrary({ tracks, seed: 1 });
const generateMs = ms(t0);
console.log(`generate ${tracks} tracks: ${generateMs} ms (${library.artists.length} artists, ${library.albums.length} albums)`);

const dir = mkdtempSync(join(tmpdir(), 'sim-bench-'));
const file = join(dir, 'library.json');
t0 = performance.now();
writeFileSync(file, JSON.stringify(library));
console.log(`serialise to JSON: ${ms(t0)} ms`);

t0 = performance.now();
const sim = await startSimulator({ libraryFile: file, log: () => {} });
console.log(`load + start from file: ${ms(t0)} ms; heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);

async function page(path: string, json = true): Promise<number> {
  const start = performance.now();
  const res = await fetch(sim.url + path, { headers: { Accept: json ? 'application/json' : '*/*', 'X-Plex-Token': sim.token } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path} → ${res.status}`);
  return performance.now() - start;
}

async function measure(label: string, path: (i: number) => string, json = true, runs = 20): Promise<void> {
  await page(path(0), json); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await page(path(i), json));
  times.sort((a, b) => a - b);
  console.log(`${label}: median ${times[Math.floor(runs / 2)].toFixed(1)} ms, max ${times[runs - 1].toFixed(1)} ms`);
}

const pageAt = (i: number): number => ((i * 7919) % Math.floor(tracks / 1000)) * 1000;
await measure(
  'page of 1000 tracks (JSON, unfiltered)',
  (i) => `/library/sections/1/all?type=10&X-Plex-Container-Start=${pageAt(i)}&X-Plex-Container-Size=1000`,
);
await measure(
  'page of 1000 tracks (XML, unfiltered)',
  (i) => `/library/sections/1/all?type=10&X-Plex-Container-Start=${pageAt(i)}&X-Plex-Container-Size=1000`,
  false,
);
await measure(
  'page of 1000 tracks, filter addedAt>>= (cached after first)',
  (i) => `/library/sections/1/all?type=10&addedAt%3E%3E=1500000000&X-Plex-Container-Start=${i * 1000}&X-Plex-Container-Size=1000`,
);
t0 = performance.now();
await page('/library/sections/1/all?type=10&sort=titleSort:desc&X-Plex-Container-Size=1000');
console.log(`first page sorted by title over all tracks (uncached): ${ms(t0)} ms`);
t0 = performance.now();
await page('/hubs/search?query=love&limit=10');
console.log(`hub search: ${ms(t0)} ms`);

await sim.close();
rmSync(dir, { recursive: true, force: true });
