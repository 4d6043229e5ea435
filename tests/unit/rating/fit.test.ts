// The learned model's estimator: variance components and the listening slope recovered on synthetic
// libraries with known values, the fallback to the classic model, determinism, the cross-validation's
// predictions equal to a full pass, and the classic settings reproducing the classic model exactly.
import { describe, expect, it } from 'vitest';
import {
  buildLibraryIndex,
  classicConstants,
  computeAll,
  fitRatingModel,
  modelTerms,
  predictTracks,
  ratingParamsFromOverrides,
  type LibrarySnapshot,
  type ModelFit,
} from '../../../src/domain/rating/index.js';
import { evidenceTable, withoutTracks } from '../../../src/domain/rating/fit/evidence-table.js';
import { adjustedRatings, fitConfidence, fitListening } from '../../../src/domain/rating/fit/estimate.js';
import { seededRandom } from '../../support/seeded-random.js';

interface Synthetic {
  snapshot: LibrarySnapshot;
  manual: Map<string, number>;
}

/** rating = 6 + artist effect + album effect + β·(s_t − S_a) + noise, with every track played and rated at `share`. */
function synthetic(options: {
  seed: number;
  artists: number;
  albums: number;
  tracks: number;
  tauArtist: number;
  tauAlbum: number;
  sigma: number;
  beta?: number;
  share?: number;
  round?: boolean;
}): Synthetic {
  const random = seededRandom(options.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const snapshot: LibrarySnapshot = { artists: [], albums: [], tracks: [] };
  const manual = new Map<string, number>();
  for (let r = 0; r < options.artists; r++) {
    const artistKey = `r${r}`;
    snapshot.artists.push({ key: artistKey, title: `Artist ${r}` });
    const artistEffect = options.tauArtist * normal();
    for (let a = 0; a < options.albums; a++) {
      const albumKey = `${artistKey}a${a}`;
      snapshot.albums.push({ key: albumKey, artistKey, title: `Album ${a}`, criticRating: null, isLive: false });
      const albumEffect = options.tauAlbum * normal();
      const plays = Array.from({ length: options.tracks }, () => Math.floor(Math.exp(2 + normal())));
      const signals = plays.map((p) => Math.log1p(p));
      const level = signals.reduce((s, x) => s + x, 0) / signals.length;
      plays.forEach((p, t) => {
        const key = `${albumKey}t${t}`;
        snapshot.tracks.push({
          key,
          albumKey,
          artistKey,
          title: `Song ${r}-${a}-${t}`,
          trackArtist: `Artist ${r}`,
          durationMs: 200_000,
          plays: p,
        });
        if (random() < (options.share ?? 1)) {
          const value = 6 + artistEffect + albumEffect + (options.beta ?? 0) * (signals[t] - level) + options.sigma * normal();
          manual.set(key, options.round ? Math.min(10, Math.max(0, Math.round(value))) : value);
        }
      });
    }
  }
  return { snapshot, manual };
}

const params = ratingParamsFromOverrides({});
/** A library where plays carry some taste and 40 % of tracks are rated in whole points. */
const PLAYED_AND_RATED = { albums: 3, tracks: 8, tauArtist: 1, tauAlbum: 0.7, sigma: 1, beta: 0.4, share: 0.4, round: true };
const withoutMs = ({ ms: _ms, ...fit }: ModelFit) => fit;

describe('the estimator recovers known variance components', () => {
  it.each([
    { seed: 1, tauArtist: 1.2, tauAlbum: 0.8, sigma: 1.0 },
    { seed: 2, tauArtist: 0.5, tauAlbum: 1.0, sigma: 1.5 },
    { seed: 3, tauArtist: 1.5, tauAlbum: 0.4, sigma: 0.7 },
  ])('τ_artist $tauArtist, τ_album $tauAlbum, σ $sigma', ({ seed, tauArtist, tauAlbum, sigma }) => {
    const { snapshot, manual } = synthetic({ seed, artists: 300, albums: 4, tracks: 8, tauArtist, tauAlbum, sigma });
    const index = buildLibraryIndex(snapshot, params);
    const table = evidenceTable(index, manual);
    const fit = fitConfidence(index, table, adjustedRatings(table, modelTerms(index, classicConstants(3))))!;
    expect(fit.sigma2Within / sigma ** 2).toBeGreaterThan(0.93);
    expect(fit.sigma2Within / sigma ** 2).toBeLessThan(1.07);
    expect(Math.sqrt(Math.max(0, fit.tau2Album)) / tauAlbum).toBeGreaterThan(0.85);
    expect(Math.sqrt(Math.max(0, fit.tau2Album)) / tauAlbum).toBeLessThan(1.15);
    expect(Math.sqrt(fit.tau2Artist) / tauArtist).toBeGreaterThan(0.8);
    expect(Math.sqrt(fit.tau2Artist) / tauArtist).toBeLessThan(1.2);
    // The confidence of a track rating against its album's prior is the ratio of the two variances.
    expect(fit.cAlbum).toBeCloseTo(fit.sigma2Within / fit.tau2Album, 10);
  });

  it('recovers the within-album listening slope, and shrinks it to nothing when there is none', () => {
    const { snapshot, manual } = synthetic({
      seed: 4,
      artists: 200,
      albums: 3,
      tracks: 8,
      tauArtist: 1,
      tauAlbum: 0.8,
      sigma: 1,
      beta: 0.6,
    });
    const index = buildLibraryIndex(snapshot, params);
    const listening = fitListening(index, evidenceTable(index, manual), 1.5)!;
    expect(listening.raw.beta).toBeGreaterThan(0.52);
    expect(listening.raw.beta).toBeLessThan(0.68);
    expect(listening.raw.betaT).toBeGreaterThan(10);
    expect(listening.beta / listening.raw.beta).toBeGreaterThan(0.95);

    const flat = synthetic({ seed: 5, artists: 40, albums: 2, tracks: 6, tauArtist: 1, tauAlbum: 0.8, sigma: 1, beta: 0 });
    const flatIndex = buildLibraryIndex(flat.snapshot, params);
    const none = fitListening(flatIndex, evidenceTable(flatIndex, flat.manual), 1.5)!;
    expect(Math.abs(none.beta)).toBeLessThan(Math.abs(none.raw.beta) + 1e-12);
    expect(Math.abs(none.beta)).toBeLessThan(0.1);
  });

  it('auto picks the listening candidate when plays carry taste, and its cross-validated error is the lowest', () => {
    const { snapshot, manual } = synthetic({
      seed: 6,
      artists: 150,
      albums: 3,
      tracks: 10,
      tauArtist: 1,
      tauAlbum: 0.6,
      sigma: 0.8,
      beta: 0.8,
      share: 0.3,
      round: true,
    });
    const index = buildLibraryIndex(snapshot, params);
    const fit = fitRatingModel(index, { manual, optedOut: new Set() }, params);
    expect(fit.candidates.map((c) => c.name)).toEqual(['classic', 'estimated', 'listening']);
    expect(fit.chosen).toBe('listening');
    const errors = Object.fromEntries(fit.candidates.map((c) => [c.name, c.cvRmse!]));
    expect(errors.listening).toBeLessThan(errors.estimated);
    expect(errors.listening).toBeLessThan(errors.classic);
    expect(fit.constants.beta).toBeGreaterThan(0.5);
    expect(fit.reason).toMatch(/listening predicts the held-out ratings best/);
  });
});

describe('fallback, settings and determinism', () => {
  it('too few ratings: the classic model, and the fit says why', () => {
    const { snapshot, manual } = synthetic({ seed: 7, artists: 5, albums: 2, tracks: 4, tauArtist: 1, tauAlbum: 1, sigma: 1, share: 0.5 });
    const index = buildLibraryIndex(snapshot, params);
    const fit = fitRatingModel(index, { manual, optedOut: new Set() }, params);
    expect(fit.chosen).toBe('classic');
    expect(fit.constants).toEqual(classicConstants(3));
    expect(fit.reason).toBe(`only ${manual.size} manual track ratings (50 needed to learn from): the classic model`);
  });

  it('a library without plays has no listening candidate', () => {
    const { snapshot, manual } = synthetic({ seed: 8, artists: 80, albums: 3, tracks: 6, tauArtist: 1, tauAlbum: 1, sigma: 1 });
    for (const track of snapshot.tracks) track.plays = 0;
    const index = buildLibraryIndex(snapshot, params);
    expect(index.listening).toBeNull();
    const fit = fitRatingModel(index, { manual, optedOut: new Set() }, params);
    expect(fit.candidates.map((c) => c.name)).toEqual(['classic', 'estimated']);
  });

  it('C = 3 with listening off is the classic model exactly; a fixed C or weight is used as given', () => {
    const { snapshot, manual } = synthetic({ seed: 9, artists: 80, albums: 3, tracks: 6, tauArtist: 1, tauAlbum: 1, sigma: 1, beta: 0.5 });
    const classic = ratingParamsFromOverrides({ C: '3', listening: 'off' });
    const index = buildLibraryIndex(snapshot, classic);
    const ownership = { manual, optedOut: new Set<string>() };
    const fit = fitRatingModel(index, ownership, classic);
    expect(fit.chosen).toBe('classic');
    expect(fit.constants).toEqual(classicConstants(3));
    expect(modelTerms(index, fit.constants).shifted).toBe(false);
    expect(computeAll(index, ownership, classic, modelTerms(index, fit.constants))).toStrictEqual(computeAll(index, ownership, classic));

    const fixed = ratingParamsFromOverrides({ C: '2', listening: '0.25' });
    const forced = fitRatingModel(buildLibraryIndex(snapshot, fixed), ownership, fixed);
    expect(forced.chosen).toBe('listening');
    expect(forced.constants.cAlbum).toBe(2);
    expect(forced.constants.cArtist).toBe(2);
    expect(forced.constants.beta).toBe(0.25);
  });

  it('the same library fits to the same bits', () => {
    const { snapshot, manual } = synthetic({ ...PLAYED_AND_RATED, seed: 10, artists: 100 });
    const a = fitRatingModel(buildLibraryIndex(snapshot, params), { manual, optedOut: new Set() }, params);
    const b = fitRatingModel(
      buildLibraryIndex(structuredClone(snapshot), params),
      { manual: new Map(manual), optedOut: new Set() },
      params,
    );
    expect(withoutMs(a)).toStrictEqual(withoutMs(b));
  });
});

describe('cross-validation predicts exactly what a full pass computes', () => {
  it('held-out tracks: predictTracks equals computeAll over the remaining ratings, bit for bit', () => {
    const { snapshot, manual } = synthetic({ ...PLAYED_AND_RATED, seed: 11, artists: 60 });
    // Manual albums and an artist, so gravity paths are taken too.
    manual.set(snapshot.albums[0].key, 8);
    manual.set(snapshot.artists[1].key, 3);
    const index = buildLibraryIndex(snapshot, params);
    const table = evidenceTable(index, manual);
    const held = new Set(table.track.filter((_, i) => i % 4 === 0));
    const remaining = new Map(manual);
    for (const t of held) remaining.delete(snapshot.tracks[t].key);
    const ownership = { manual: remaining, optedOut: new Set<string>() };
    for (const constants of [classicConstants(3), { cAlbum: 1.2, cArtist: 0.6, beta: 0.5, gammaLevel: 0.7, gammaUnplayed: -0.3 }]) {
      const terms = modelTerms(index, constants);
      const predicted = predictTracks(index, ownership, params, terms, withoutTracks(index, table, held), [...held]);
      const full = computeAll(index, ownership, params, terms);
      expect(held.size).toBeGreaterThan(50);
      for (const t of held) {
        expect(typeof predicted.get(t)).toBe('number');
        expect(predicted.get(t)).toBe(full.tracks.get(snapshot.tracks[t].key));
      }
    }
  });
});
