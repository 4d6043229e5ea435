// The rating model (RATING-MODEL.md): pure functions from (library snapshot, ownership, parameters) to
// values, write plans and explanations.
export type { ItemKind, LibrarySnapshot, ModelAlbum, ModelArtist, ModelTrack, Ownership, OwnershipView, Prior, RatingValues } from './types.js';
export {
  DEFAULT_RATING_PARAMS, RatingParamsError, parseRatingParams, ratingParamsFromOverrides, ratingParamsSchema,
  type Precision, type RatingParams,
} from './params.js';
export { COMPILATION_ARTIST, hasBracketedPart, isCompilationArtistName, keywordMatcher, norm, type KeywordMatcher } from './text-match.js';
export { exclusionRule, wholeSeconds, type ExclusionRule } from './exclusion.js';
export { findTwinClusters, isLiveAlbum } from './twins.js';
export { buildLibraryIndex, type ArtistGroup, type LibraryIndex } from './library-index.js';
export {
  PRIOR_WITHOUT_EVIDENCE, addRating, albumEvidence, contributingRatings, muOf, removeRating, swapAlbumEvidence, tallyEvidence,
  type AlbumEvidence, type EvidenceTally,
} from './evidence.js';
export { crit, estimate, gravity } from './formulas.js';
export type { BaseSource } from './rate-artist.js';
export { computeAll, computePrior, computeWithPrior } from './full-pass.js';
export {
  applySubtree, computeArtistSubtree, computeSubtree, scopeOfEvent, type RecomputeScope, type SubtreeValues,
} from './subtree.js';
export { epsilonFor, gridValue, sameGridValue } from './grid.js';
export { decideWrite, type WriteDecision } from './write-rule.js';
export {
  TAKEOVER_TOLERANCE, deriveOwnership, type OwnershipFacts, type OwnershipTransition, type OwnershipVerdict,
} from './ownership.js';
export { planWrites, type PlanInput, type PlannedWrite, type WritePlan } from './plan.js';
export {
  explainItem, type AlbumExplanation, type ArtistExplanation, type Explanation, type TrackExplanation, type TrackSource,
} from './explain.js';
