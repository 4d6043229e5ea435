// Rating model at scale: builds a synthetic 300,000-track library and times the index build, the full pass,
// the write plan and one artist's subtree, then prints the peak RSS. Run: npx tsx bench/rating-compute.ts [tracks]
import {
  DEFAULT_RATING_PARAMS,
  buildLibraryIndex,
  computeAll,
  computeArtistSubtree,
  epsilonFor,
  planWrites,
  type OwnershipVerdict,
} from '../src/domain/rating/index.js';
import { syntheticLibrary } from '../tests/unit/rating/support/synthetic-library.js';

const trackCount = Number(process.argv[2] ?? 300_000);
const time = <T>(label: string, work: () => T): T => {
  const start = performance.now();
  const result = work();
  console.log(`${label.padEnd(22)} ${(performance.now() - start).toFixed(0).padStart(6)} ms`);
  return result;
};

const { snapshot, ownership } = time('synthetic library', () => syntheticLibrary(trackCount, 42));
console.log(
  `library: ${snapshot.artists.length} artists, ${snapshot.albums.length} albums, ${snapshot.tracks.length} tracks, ` +
    `${ownership.manual.size} manual`,
);
const params = DEFAULT_RATING_PARAMS;
const start = performance.now();
const index = time('index (twins, exclusions)', () => buildLibraryIndex(snapshot, params));
const values = time('full pass', () => computeAll(index, ownership, params));
console.log(`index + full pass      ${(performance.now() - start).toFixed(0).padStart(6)} ms`);
console.log(
  `twin clusters: ${index.twinClusters.length}; values: ${values.artists.size} artists, ${values.albums.size} albums, ` +
    `${values.tracks.size} tracks; μ ${values.mu.toFixed(4)}`,
);

const verdicts = new Map<string, OwnershipVerdict>();
for (const key of ownership.manual.keys()) verdicts.set(key, { ownership: 'manual', transition: 'none' });
for (const key of ownership.optedOut) verdicts.set(key, { ownership: 'opted_out', transition: 'none' });
const plan = time('plan (all new)', () =>
  planWrites({ values, verdicts, current: new Map(), epsilon: epsilonFor(snapshot.tracks.length) }),
);
console.log(`planned writes: ${plan.writes.length}, ε ${epsilonFor(snapshot.tracks.length).toFixed(4)}`);

const artistKey = snapshot.artists[1].key;
const subtreeStart = performance.now();
const rounds = 1000;
for (let i = 0; i < rounds; i++) computeArtistSubtree(index, ownership, params, artistKey, values, values.albums);
console.log(`artist subtree         ${((performance.now() - subtreeStart) / rounds).toFixed(3).padStart(6)} ms (mean of ${rounds})`);
console.log(`peak RSS               ${(process.resourceUsage().maxRSS / 1024).toFixed(0).padStart(6)} MB`);
