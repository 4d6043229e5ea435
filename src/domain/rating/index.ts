// The rating model (RATING-MODEL.md): pure functions from (library snapshot, ownership, parameters) to
// values, write plans and explanations.
export type {
  ItemKind,
  LibrarySnapshot,
  ModelAlbum,
  ModelArtist,
  ModelTrack,
  Ownership,
  OwnershipView,
  Prior,
  RatingValues,
} from './types.js';
export {
  DEFAULT_RATING_PARAMS,
  RatingParamsError,
  parseRatingParams,
  ratingParamsFromOverrides,
  type RatingParams,
} from './params.js';
export { classicConstants, modelTerms, type ModelConstants, type ModelTerms } from './terms.js';
export { classicFit, fitRatingModel, predictTracks, type CandidateName, type FitCandidate, type ModelFit } from './fit/fit.js';
export { hasBracketedPart, isCompilationArtistName, keywordMatcher, norm } from './text-match.js';
export { exclusionRule } from './exclusion.js';
export { buildLibraryIndex, type LibraryIndex } from './library-index.js';
export {
  addRating,
  albumEvidence,
  contributingRatings,
  muOf,
  removeRating,
  swapAlbumEvidence,
  tallyEvidence,
  type EvidenceTally,
} from './evidence.js';
export { computeAll, computePrior, computeWithPrior } from './full-pass.js';
export {
  applySubtree,
  computeArtistSubtree,
  computeSubtree,
  scopeOfEvent,
  type RecomputeScope,
  type SubtreeValues,
} from './subtree.js';
export { epsilonFor, gridValue } from './grid.js';
export { decideWrite } from './write-rule.js';
export {
  TAKEOVER_TOLERANCE,
  deriveOwnership,
  type OwnershipFacts,
  type OwnershipVerdict,
} from './ownership.js';
export { planWrites, type OutsideCounts, type PlannedWrite, type WritePlan } from './plan.js';
export {
  explainItem,
  type AlbumExplanation,
  type ArtistExplanation,
  type Explanation,
  type TrackEvidence,
  type TrackExplanation,
  playedLine,
} from './explain.js';
