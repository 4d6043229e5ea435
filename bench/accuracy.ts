// Accuracy benchmark: `npx tsx bench/accuracy.ts [--tracks 5000,50000] [--seeds 1,2,3] [--holdout 0.2]`.
//
// A generated library's manual ratings come from the simulator's hidden taste model. For every library size
// and seed: hold out 20 % of the manual track ratings, fit the model on the rest (fitRatingModel: k-fold
// cross-validation on the remaining ratings chooses the candidate), and score each candidate — classic
// (C = 3), estimated C, estimated C + listening — and what `auto` chose, next to the library mean and the
// album mean of the remaining ratings:
//   held-out   RMSE and bias (prediction − rating) against the held-out manual ratings
//   unrated    RMSE and bias against the hidden truth of every track nobody rated
//   cv         the cross-validated RMSE the fit reported (what the UI shows) against the held-out RMSE
// Goals: unrated RMSE of `auto` ≥ 15 % below classic; |bias| on unrated tracks halved; |cv − held-out| ≤ 0.15.
import { parseArgs } from 'node:util';
import {
  DEFAULT_RATING_PARAMS,
  buildLibraryIndex,
  computeAll,
  fitRatingModel,
  gridValue,
  modelTerms,
  type ModelConstants,
} from '../src/domain/rating/index.js';
import { generateLibrary } from '../src/sim/index.js';
import { seededRandom } from '../tests/support/seeded-random.js';
import { modelSnapshotOf } from '../tests/support/sim-snapshot.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    tracks: { type: 'string', default: '5000,50000' },
    seeds: { type: 'string', default: '1,2,3' },
    holdout: { type: 'string', default: '0.2' },
  },
});

interface Score {
  rmse: number;
  bias: number;
}

const score = (pairs: Array<[number, number]>): Score => {
  let sq = 0;
  let sum = 0;
  for (const [p, truth] of pairs) {
    sq += (p - truth) ** 2;
    sum += p - truth;
  }
  return { rmse: Math.sqrt(sq / pairs.length), bias: sum / pairs.length };
};

interface Row {
  tracks: number;
  seed: number;
  name: string;
  heldOut: Score;
  unrated: Score;
  cv: number | null;
  constants?: ModelConstants;
}

function runOne(tracks: number, seed: number, holdout: number): { rows: Row[]; chosen: string; fitMs: number; reason: string } {
  const lib = generateLibrary({ tracks, seed });
  const snapshot = modelSnapshotOf(lib);
  const random = seededRandom((seed * 7919) >>> 0 || 1);
  const heldOut = new Map<string, number>();
  const manual = new Map<string, number>();
  for (const t of lib.tracks) {
    if (t.userRating === undefined) continue;
    if (random() < holdout) heldOut.set(t.ratingKey, t.userRating);
    else manual.set(t.ratingKey, t.userRating);
  }
  for (const item of [...lib.albums, ...lib.artists]) if (item.userRating !== undefined) manual.set(item.ratingKey, item.userRating);
  const unrated = lib.tracks.filter((t) => t.userRating === undefined);
  const truth = lib.taste.trackTrue;
  const ownership = { manual, optedOut: new Set<string>() };
  const params = DEFAULT_RATING_PARAMS;
  const index = buildLibraryIndex(snapshot, params);
  const fit = fitRatingModel(index, ownership, params);

  const rows: Row[] = [];
  const scoreValues = (name: string, predict: (key: string) => number | undefined, cv: number | null, constants?: ModelConstants) => {
    const held: Array<[number, number]> = [];
    for (const [key, rating] of heldOut) {
      const v = predict(key);
      if (v !== undefined) held.push([v, rating]);
    }
    const all: Array<[number, number]> = [];
    for (const t of unrated) {
      const v = predict(t.ratingKey);
      if (v !== undefined) all.push([v, truth[t.ratingKey]]);
    }
    rows.push({ tracks, seed, name, heldOut: score(held), unrated: score(all), cv, constants });
  };
  for (const candidate of fit.candidates) {
    const values = computeAll(index, ownership, params, modelTerms(index, candidate.constants));
    scoreValues(candidate.name, (key) => values.tracks.get(key), candidate.cvRmse, candidate.constants);
    if (candidate.name === fit.chosen) scoreValues('auto', (key) => values.tracks.get(key), candidate.cvRmse, candidate.constants);
    if (candidate.name === fit.chosen)
      scoreValues(
        'auto (written)',
        (key) => {
          const v = values.tracks.get(key);
          return v === undefined ? undefined : gridValue(v);
        },
        null,
      );
  }
  const trainTracks = lib.tracks.filter((t) => manual.has(t.ratingKey));
  const libraryMean = trainTracks.reduce((s, t) => s + manual.get(t.ratingKey)!, 0) / trainTracks.length;
  const albumSums = new Map<string, { sum: number; n: number }>();
  for (const t of trainTracks) {
    const a = albumSums.get(t.albumKey) ?? { sum: 0, n: 0 };
    a.sum += manual.get(t.ratingKey)!;
    a.n += 1;
    albumSums.set(t.albumKey, a);
  }
  const trackAlbum = new Map(lib.tracks.map((t) => [t.ratingKey, t.albumKey]));
  scoreValues('library mean', () => libraryMean, null);
  scoreValues(
    'album mean',
    (key) => {
      const a = albumSums.get(trackAlbum.get(key)!);
      return a ? a.sum / a.n : libraryMean;
    },
    null,
  );
  return { rows, chosen: fit.chosen, fitMs: fit.ms, reason: fit.reason };
}

const sizes = args.tracks.split(',').map(Number);
const seeds = args.seeds.split(',').map(Number);
const holdout = Number(args.holdout);
const all: Row[] = [];
const fmt = (n: number | null | undefined): string => (n === null || n === undefined ? '   —  ' : n.toFixed(3).padStart(6));
for (const tracks of sizes) {
  for (const seed of seeds) {
    const { rows, chosen, fitMs, reason } = runOne(tracks, seed, holdout);
    all.push(...rows);
    console.log(`\n${tracks} tracks, seed ${seed}: auto chose ${chosen} (fit ${fitMs.toFixed(0)} ms) — ${reason}`);
    console.log('  candidate         held-out RMSE  bias   | unrated RMSE  bias   | cv RMSE | cAlbum cArtist   β    γlevel γunplayed');
    for (const r of rows) {
      const c = r.constants;
      console.log(
        `  ${r.name.padEnd(16)} ${fmt(r.heldOut.rmse)}  ${fmt(r.heldOut.bias)} | ${fmt(r.unrated.rmse)}  ${fmt(r.unrated.bias)} | ${fmt(r.cv)}  |` +
          (c ? ` ${fmt(c.cAlbum)} ${fmt(c.cArtist)} ${fmt(c.beta)} ${fmt(c.gammaLevel)} ${fmt(c.gammaUnplayed)}` : ''),
      );
    }
  }
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
console.log('\nmeans over seeds');
const summary: Record<string, unknown> = {};
for (const tracks of sizes) {
  const of = (name: string) => all.filter((r) => r.tracks === tracks && r.name === name);
  const classic = of('classic');
  const auto = of('auto');
  const unratedGain = 1 - mean(auto.map((r) => r.unrated.rmse)) / mean(classic.map((r) => r.unrated.rmse));
  const biasRatio = mean(auto.map((r) => Math.abs(r.unrated.bias))) / mean(classic.map((r) => Math.abs(r.unrated.bias)));
  const cvGap = Math.max(...auto.map((r) => Math.abs((r.cv ?? Number.NaN) - r.heldOut.rmse)));
  console.log(`  ${tracks} tracks:`);
  for (const name of ['classic', 'estimated', 'listening', 'auto', 'auto (written)', 'library mean', 'album mean']) {
    const rows = of(name);
    if (rows.length === 0) continue;
    console.log(
      `    ${name.padEnd(16)} held-out ${fmt(mean(rows.map((r) => r.heldOut.rmse)))} (bias ${fmt(mean(rows.map((r) => r.heldOut.bias)))})` +
        `  unrated ${fmt(mean(rows.map((r) => r.unrated.rmse)))} (bias ${fmt(mean(rows.map((r) => r.unrated.bias)))})`,
    );
  }
  console.log(
    `    goals: unrated RMSE ${(unratedGain * 100).toFixed(1)} % below classic (≥ 15 %): ${unratedGain >= 0.15 ? 'yes' : 'NO'}; ` +
      `|bias| ×${biasRatio.toFixed(2)} (≤ 0.5): ${biasRatio <= 0.5 ? 'yes' : 'NO'}; largest |cv − held-out| ${cvGap.toFixed(3)} (≤ 0.15): ${cvGap <= 0.15 ? 'yes' : 'NO'}`,
  );
  summary[tracks] = { unratedGain, biasRatio, cvGap };
}
console.log(JSON.stringify({ bench: 'accuracy', holdout, seeds, summary }));
