// Fitting the model to the person's library and choosing it by k-fold cross-validation
// (docs/rating-model-learned.md).
//   candidates  classic (C = 3, or the fixed C), estimated C, estimated C + listening — those the settings allow
//   folds       every contributing manual track rating goes to fold hash(ratingKey) mod 5; each fold is held out
//               in turn, the candidate is fitted on the rest (honestly: its constants too) and the held-out
//               tracks are predicted exactly as a full pass over the rest would rate them
//   choice      the lowest cross-validated RMSE; a tie keeps the simpler candidate. An explicit `RATING_C=<n>`
//               or `RATING_LISTENING=<w>` is used as given.
// Below MIN_RATINGS ratings nothing is estimated: the classic model, and the fit says why.
// Pure and deterministic; O(tracks) once, then O(ratings + albums) per fold and candidate.
import { NO_EVIDENCE, muOf, swapAlbumEvidence, type AlbumEvidence, type EvidenceTally } from '../evidence.js';
import type { ArtistGroup, LibraryIndex } from '../library-index.js';
import { CLASSIC_C, type RatingParams } from '../params.js';
import { albumBase, albumValue, artistValue, trackFromAlbum, type AlbumBase, type RatingContext } from '../rate-artist.js';
import { twinClusterValue } from '../rate-twins.js';
import { classicConstants, modelTerms, type ModelConstants, type ModelTerms } from '../terms.js';
import type { OwnershipView } from '../types.js';
import { albumEvidenceOf, evidenceTable, withoutTracks, type EvidenceTable } from './evidence-table.js';
import { adjustedRatings, fitConfidence, fitListening, type ConfidenceFit, type ListeningFit } from './estimate.js';

export const FOLDS = 5;
export const MIN_RATINGS = 50;

export type CandidateName = 'classic' | 'estimated' | 'listening';

export interface FitCandidate {
  name: CandidateName;
  constants: ModelConstants;
  /** Cross-validated RMSE of the held-out manual track ratings, in points; null without cross-validation. */
  cvRmse: number | null;
  /** Mean of (prediction − rating) over the held-out ratings, in points. */
  cvBias: number | null;
}

export interface ModelFit {
  chosen: CandidateName;
  constants: ModelConstants;
  candidates: FitCandidate[];
  /** One sentence: why this model. */
  reason: string;
  /** Contributing manual track ratings the fit read. */
  ratings: number;
  folds: number;
  settings: { C: RatingParams['C']; listening: RatingParams['listening'] };
  /** What the estimator found on all the ratings (null parts could not be estimated). */
  confidence: ConfidenceFit | null;
  listening: ListeningFit | null;
  /** Milliseconds the fit took. */
  ms: number;
}

/** The classic model (RATING-MODEL.md) as a fit: what a library without enough evidence gets. */
export function classicFit(params: RatingParams, reason: string, ratings = 0): ModelFit {
  const C = typeof params.C === 'number' ? params.C : CLASSIC_C;
  return {
    chosen: 'classic',
    constants: classicConstants(C),
    candidates: [{ name: 'classic', constants: classicConstants(C), cvRmse: null, cvBias: null }],
    reason,
    ratings,
    folds: 0,
    settings: { C: params.C, listening: params.listening },
    confidence: null,
    listening: null,
    ms: 0,
  };
}

interface CandidateSpec {
  name: CandidateName;
  /** Constants fitted on a table of ratings (null: cannot be fitted on it). */
  fit(table: EvidenceTable): ModelConstants | null;
}

export function fitRatingModel(index: LibraryIndex, ownership: OwnershipView, params: RatingParams): ModelFit {
  const started = performance.now();
  const table = evidenceTable(index, ownership.manual);
  const ratings = table.track.length;
  const done = (fit: ModelFit): ModelFit => ({ ...fit, ms: performance.now() - started });
  const fixedC = typeof params.C === 'number' ? params.C : null;
  const fixedBeta = typeof params.listening === 'number' ? params.listening : undefined;
  if (fixedC !== null && params.listening === 'off') {
    return done(classicFit(params, `C = ${fixedC} and listening off are set: the classic model`, ratings));
  }
  if (ratings < MIN_RATINGS) {
    return done(
      classicFit(params, `only ${ratings} manual track ratings (${MIN_RATINGS} needed to learn from): the classic model`, ratings),
    );
  }

  const specs = candidateSpecs(index, params, fixedC, fixedBeta);
  const results = crossValidate(index, ownership, params, table, foldsOf(index, table), specs);
  const usable = results.filter((r) => r.cvRmse !== null);
  if (usable.length === 0) return done(classicFit(params, 'the ratings could not be cross-validated: the classic model', ratings));
  // An explicit listening weight is used as given; otherwise the lowest error wins (the first on a tie).
  const forced = fixedBeta !== undefined ? usable.find((r) => r.name === 'listening') : undefined;
  const best = forced ?? usable.reduce((a, b) => (b.cvRmse! < a.cvRmse! - 1e-9 ? b : a));
  const spec = specs.find((s) => s.name === best.name)!;
  const constants = spec.fit(table) ?? classicConstants(fixedC ?? CLASSIC_C);
  const y = adjustedRatings(table, modelTerms(index, constants));
  const classic = results.find((r) => r.name === 'classic');
  const reason = forced
    ? `RATING_LISTENING = ${fixedBeta} is set: ${describe(best.name)}`
    : best.name === 'classic'
      ? `the classic model predicts the held-out ratings best (${FOLDS}-fold cross-validation)`
      : `${describe(best.name)} predicts the held-out ratings best (${FOLDS}-fold cross-validation${
          classic?.cvRmse ? `: ${fmtPoints(best.cvRmse!)} against ${fmtPoints(classic.cvRmse)} for the classic model` : ''
        })`;
  return done({
    chosen: best.name,
    constants,
    // Each candidate's constants as fitted on every rating (the folds fitted each on four fifths).
    candidates: results.map((r) => ({
      ...r,
      constants: r.name === best.name ? constants : (specs.find((s) => s.name === r.name)!.fit(table) ?? r.constants),
    })),
    reason,
    ratings,
    folds: FOLDS,
    settings: { C: params.C, listening: params.listening },
    confidence: fitConfidence(index, table, y),
    listening: params.listening === 'off' ? null : fitListening(index, table, constants.cAlbum, fixedBeta),
    ms: 0,
  });
}

const fmtPoints = (p: number): string => `${(p / 2).toFixed(2)}★`;

function describe(name: CandidateName): string {
  return name === 'classic'
    ? 'the classic model'
    : name === 'estimated'
      ? 'the estimated confidence'
      : 'the estimated confidence with listening';
}

function candidateSpecs(index: LibraryIndex, params: RatingParams, fixedC: number | null, fixedBeta: number | undefined): CandidateSpec[] {
  const confidenceOf = (table: EvidenceTable, terms: ModelTerms): { cAlbum: number; cArtist: number } | null => {
    if (fixedC !== null) return { cAlbum: fixedC, cArtist: fixedC };
    const fit = fitConfidence(index, table, adjustedRatings(table, terms));
    return fit && { cAlbum: fit.cAlbum, cArtist: fit.cArtist };
  };
  const specs: CandidateSpec[] = [];
  if (fixedBeta === undefined) specs.push({ name: 'classic', fit: () => classicConstants(fixedC ?? CLASSIC_C) });
  if (fixedC === null && fixedBeta === undefined) {
    specs.push({
      name: 'estimated',
      fit: (table) => {
        const c = confidenceOf(table, modelTerms(index, classicConstants(CLASSIC_C)));
        return c && { ...classicConstants(CLASSIC_C), ...c };
      },
    });
  }
  if (params.listening !== 'off' && index.listening !== null) {
    specs.push({
      name: 'listening',
      fit: (table) => {
        // A first confidence (without listening) weighs the album means of the between-album fit.
        const first = confidenceOf(table, modelTerms(index, classicConstants(CLASSIC_C)));
        const listening = fitListening(index, table, first?.cAlbum ?? fixedC ?? CLASSIC_C, fixedBeta);
        if (listening === null) return null;
        const shifts = { beta: listening.beta, gammaLevel: listening.gammaLevel, gammaUnplayed: listening.gammaUnplayed };
        const c = confidenceOf(table, modelTerms(index, { cAlbum: 1, cArtist: 1, ...shifts })) ?? first;
        return c && { ...c, ...shifts };
      },
    });
  }
  return specs;
}

/** FNV-1a of the rating key: a fold that does not move when the library changes around the track. */
function foldOfKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % FOLDS;
}

function foldsOf(index: LibraryIndex, table: EvidenceTable): Array<Set<number>> {
  const folds = Array.from({ length: FOLDS }, () => new Set<number>());
  for (const t of table.track) folds[foldOfKey(index.snapshot.tracks[t].key)].add(t);
  return folds;
}

/** Every candidate over the same folds: a fold's training table and ownership view are built once. */
function crossValidate(
  index: LibraryIndex,
  ownership: OwnershipView,
  params: RatingParams,
  table: EvidenceTable,
  folds: ReadonlyArray<Set<number>>,
  specs: readonly CandidateSpec[],
): FitCandidate[] {
  const { tracks } = index.snapshot;
  const tallies = specs.map(() => ({ squared: 0, signed: 0, n: 0, failed: false, constants: classicConstants(CLASSIC_C) }));
  for (const held of folds) {
    if (held.size === 0) continue;
    const training = withoutTracks(index, table, held);
    const heldKeys = new Set([...held].map((t) => tracks[t].key));
    // The person's ratings without the fold, as a view (copying a large map per fold costs more than the fit).
    const manual = {
      get: (key: string) => (heldKeys.has(key) ? undefined : ownership.manual.get(key)),
      has: (key: string) => !heldKeys.has(key) && ownership.manual.has(key),
    } as ReadonlyMap<string, number>;
    const view = { manual, optedOut: ownership.optedOut };
    specs.forEach((spec, i) => {
      const tally = tallies[i];
      if (tally.failed) return;
      const constants = spec.fit(training);
      if (constants === null) {
        tally.failed = true;
        return;
      }
      tally.constants = constants;
      const predictions = predictTracks(index, view, params, modelTerms(index, constants), training, [...held]);
      for (const t of held) {
        const predicted = predictions.get(t);
        if (predicted === undefined || predicted === null) continue;
        const error = predicted - ownership.manual.get(tracks[t].key)!;
        tally.squared += error * error;
        tally.signed += error;
        tally.n += 1;
      }
    });
  }
  return specs.map((spec, i) => {
    const { squared, signed, n, failed, constants } = tallies[i];
    if (failed || n === 0) return { name: spec.name, constants: classicConstants(CLASSIC_C), cvRmse: null, cvBias: null };
    return { name: spec.name, constants, cvRmse: Math.sqrt(squared / n), cvBias: signed / n };
  });
}

/**
 * What a full pass over `ownership` with `terms` computes for the given (non-manual) tracks, without the full
 * pass: only the artist groups and twin clusters they need. The same functions as the pass, fed the same
 * evidence, so the values are the same bits (a test holds it to computeAll).
 */
export function predictTracks(
  index: LibraryIndex,
  ownership: OwnershipView,
  params: RatingParams,
  terms: ModelTerms,
  table: EvidenceTable,
  trackPositions: readonly number[],
): Map<number, number | null> {
  const evidence = albumEvidenceOf(table, terms);
  // μ exactly as tallyEvidence + muOf give it: the sums are integers, so their order does not matter.
  let tally: EvidenceTally = NO_EVIDENCE;
  for (const e of evidence.values()) tally = swapAlbumEvidence(tally, NO_EVIDENCE, e);
  const ctx: RatingContext = { index, ownership, params, terms, mu: muOf(tally), kappa: index.kappa };
  const evidenceOfAlbum = (a: number): AlbumEvidence => evidence.get(a) ?? NO_EVIDENCE;
  const bases = new Map<number, AlbumBase>();
  const baseOf = (g: number): AlbumBase => {
    let base = bases.get(g);
    if (base === undefined) {
      const group: ArtistGroup = index.groups[g];
      const artist = group.isCompilation ? null : artistValue(ctx, group, group.albums.map(evidenceOfAlbum));
      base = albumBase(ctx, group, artist);
      bases.set(g, base);
    }
    return base;
  };
  const albumValues = new Map<number, number | null>();
  const albumValueOf = (a: number): number | null => {
    let value = albumValues.get(a);
    if (value === undefined) {
      value = ownership.manual.has(index.snapshot.albums[a].key)
        ? null
        : albumValue(ctx, a, baseOf(index.albumGroup[a]), evidenceOfAlbum(a));
      albumValues.set(a, value);
    }
    return value;
  };
  const stepTwo = (t: number): number | null => {
    const a = index.trackAlbum[t];
    if (a < 0) return null;
    return terms.shifted ? trackFromAlbum(ctx, a, albumValueOf(a), t) : trackFromAlbum(ctx, a, albumValueOf(a));
  };
  const out = new Map<number, number | null>();
  for (const t of trackPositions) {
    const cluster = index.trackTwin[t];
    out.set(t, cluster >= 0 ? twinClusterValue(ctx, index.twinClusters[cluster], stepTwo) : stepTwo(t));
  }
  return out;
}
