// Accuracy benchmark: `npx tsx bench/accuracy.ts [--tracks 50000] [--seed 1] [--holdout 0.2]`.
//
// A generated library's manual ratings come from the simulator's hidden taste model. Hold out 20 % of the
// manual track ratings, run the model on the rest, and compare the RMSE (points) against the held-out
// values of: Sagewire's written values (and its unrounded values), the library mean of the remaining manual
// track ratings, and the album mean of the remaining manual track ratings (library mean where the album has
// none). Sagewire must beat both baselines.
import { parseArgs } from 'node:util';
import { DEFAULT_RATING_PARAMS, buildLibraryIndex, computeAll, gridValue, type LibrarySnapshot } from '../src/domain/rating/index.js';
import { generateLibrary } from '../src/sim/index.js';
import { seededRandom } from '../tests/support/seeded-random.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    tracks: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '1' },
    holdout: { type: 'string', default: '0.2' },
  },
});

const rng = (seed: number): (() => number) => seededRandom(seed >>> 0 || 1);

const seed = Number(args.seed);
const lib = generateLibrary({ tracks: Number(args.tracks), seed });
const artistTitle = new Map(lib.artists.map((a) => [a.ratingKey, a.title]));
const albumArtist = new Map(lib.albums.map((a) => [a.ratingKey, a.artistKey]));
const snapshot: LibrarySnapshot = {
  artists: lib.artists.map((a) => ({ key: a.ratingKey, title: a.title })),
  albums: lib.albums.map((a) => ({
    key: a.ratingKey,
    artistKey: a.artistKey,
    title: a.title,
    criticRating: a.rating ?? null,
    isLive: a.subformats.includes('Live'),
  })),
  tracks: lib.tracks.map((t) => ({
    key: t.ratingKey,
    albumKey: t.albumKey,
    artistKey: albumArtist.get(t.albumKey)!,
    title: t.title,
    trackArtist: t.originalTitle ?? artistTitle.get(albumArtist.get(t.albumKey)!) ?? '',
    durationMs: t.duration,
  })),
};

const random = rng(seed * 7919);
const heldOut = new Map<string, number>();
const manual = new Map<string, number>();
for (const t of lib.tracks) {
  if (t.userRating === undefined) continue;
  if (random() < Number(args.holdout)) heldOut.set(t.ratingKey, t.userRating);
  else manual.set(t.ratingKey, t.userRating);
}
for (const item of [...lib.albums, ...lib.artists]) if (item.userRating !== undefined) manual.set(item.ratingKey, item.userRating);

const started = performance.now();
const values = computeAll(buildLibraryIndex(snapshot, DEFAULT_RATING_PARAMS), { manual, optedOut: new Set() }, DEFAULT_RATING_PARAMS);
const computeSeconds = (performance.now() - started) / 1000;

const remainingTracks = lib.tracks.filter((t) => manual.has(t.ratingKey));
const libraryMean = remainingTracks.reduce((s, t) => s + manual.get(t.ratingKey)!, 0) / remainingTracks.length;
const albumSums = new Map<string, { sum: number; n: number }>();
for (const t of remainingTracks) {
  const a = albumSums.get(t.albumKey) ?? { sum: 0, n: 0 };
  a.sum += manual.get(t.ratingKey)!;
  a.n += 1;
  albumSums.set(t.albumKey, a);
}
const trackAlbum = new Map(lib.tracks.map((t) => [t.ratingKey, t.albumKey]));

const errors = { written: 0, unrounded: 0, libraryMean: 0, albumMean: 0 };
let missing = 0;
for (const [key, truth] of heldOut) {
  const v = values.tracks.get(key);
  if (v === undefined) {
    missing++;
    continue;
  }
  const album = albumSums.get(trackAlbum.get(key)!);
  const albumMean = album ? album.sum / album.n : libraryMean;
  errors.written += (gridValue(v) - truth) ** 2;
  errors.unrounded += (v - truth) ** 2;
  errors.libraryMean += (libraryMean - truth) ** 2;
  errors.albumMean += (albumMean - truth) ** 2;
}
const n = heldOut.size - missing;
const rmse = Object.fromEntries(Object.entries(errors).map(([k, e]) => [k, Math.sqrt(e / n)])) as Record<keyof typeof errors, number>;
const beats = rmse.written < rmse.libraryMean && rmse.written < rmse.albumMean;
console.log(
  `accuracy bench: ${lib.tracks.length} tracks, ${heldOut.size + remainingTracks.length} manual track ratings, ` +
    `${heldOut.size} held out (seed ${seed})`,
);
console.log(`  μ ${values.mu.toFixed(3)}; compute ${computeSeconds.toFixed(2)} s`);
console.log(`  RMSE (points) vs held-out manual ratings, n = ${n}:`);
console.log(`    Sagewire (written, 0.1 grid) ${rmse.written.toFixed(3)}   (unrounded ${rmse.unrounded.toFixed(3)})`);
console.log(`    library mean                 ${rmse.libraryMean.toFixed(3)}`);
console.log(`    album mean of manual tracks  ${rmse.albumMean.toFixed(3)}`);
console.log(`  Sagewire beats both baselines: ${beats ? 'yes' : 'NO'}`);
console.log(JSON.stringify({ bench: 'accuracy', tracks: lib.tracks.length, heldOut: heldOut.size, n, rmse, beats, mu: values.mu }));
