// One full pass (RATING-MODEL.md, "The computation"): μ and κ, then every artist group, then every track.
//   μ = mean of the contributing ratings (6.0 without any); κ = the index's critics' average
// The result holds a value for every item that is not manual (and not an opted-out track) and has one.
// Artists, albums and tracks come out in snapshot order; every sum runs in a fixed order, so two runs over
// the same inputs give the same bits.
import { muOf, tallyEvidence } from './evidence.js';
import type { LibraryIndex } from './library-index.js';
import type { RatingParams } from './params.js';
import { rateArtistGroup, type RatingContext } from './rate-artist.js';
import { isInferableTrack, twinClusterValue } from './rate-twins.js';
import { defaultTerms, type ModelTerms } from './terms.js';
import type { OwnershipView, Prior, RatingValues } from './types.js';

export function computePrior(index: LibraryIndex, ownership: OwnershipView, terms?: ModelTerms): Prior {
  return { mu: muOf(tallyEvidence(index, ownership, terms)), kappa: index.kappa };
}

/** Every value, with the given constants (the classic model with C when none are given). */
export function computeAll(index: LibraryIndex, ownership: OwnershipView, params: RatingParams, terms?: ModelTerms): RatingValues {
  const used = terms ?? defaultTerms(index, params);
  return computeWithPrior(index, ownership, params, computePrior(index, ownership, used), used);
}

/** The full pass with μ and κ given (e.g. held fixed while events are applied one by one). */
export function computeWithPrior(
  index: LibraryIndex,
  ownership: OwnershipView,
  params: RatingParams,
  prior: Prior,
  terms: ModelTerms = defaultTerms(index, params),
): RatingValues {
  const ctx: RatingContext = { index, ownership, params, terms, mu: prior.mu, kappa: prior.kappa };
  const { tracks } = index.snapshot;
  const values: RatingValues = { mu: prior.mu, kappa: prior.kappa, artists: new Map(), albums: new Map(), tracks: new Map() };
  const fromAlbum = new Float64Array(tracks.length).fill(Number.NaN);
  const sink = {
    artist: (key: string, value: number | null) => value !== null && values.artists.set(key, value),
    album: (key: string, value: number | null) => value !== null && values.albums.set(key, value),
    trackFromAlbum: (track: number, value: number | null) => {
      fromAlbum[track] = value ?? Number.NaN;
    },
  };
  for (const group of index.groups) rateArtistGroup(ctx, group, sink);

  const stepTwo = (t: number): number | null => (Number.isNaN(fromAlbum[t]) ? null : fromAlbum[t]);
  const clusterValues = index.twinClusters.map((members) => twinClusterValue(ctx, members, stepTwo));
  for (let t = 0; t < tracks.length; t++) {
    const key = tracks[t].key;
    if (!isInferableTrack(ctx, key)) continue;
    const cluster = index.trackTwin[t];
    const value = cluster >= 0 ? clusterValues[cluster] : stepTwo(t);
    if (value !== null) values.tracks.set(key, value);
  }
  return values;
}
