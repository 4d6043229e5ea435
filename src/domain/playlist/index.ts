// The playlist domain (PLAYLISTS.md): pure ranking, selection, prompts and reply handling.
export * from './types.js';
export { hasLiveMarker, isLiveAlbum, isLiveTrack } from './live.js';
export { songTitle, twinKey } from './twin-key.js';
export {
  DiversityLedger,
  capsFor,
  capsToFill,
  favouredSet,
  keyHash,
  rankTracks,
  scoreTrack,
  selectDiverse,
  variety,
  varietyOfHash,
  type RankedTrack,
} from './rank.js';
export { MAX_LINE_TOKENS, commonTags, fitToBudget, tellingTags, trackLine, type CountTokens } from './track-line.js';
export { ANALYSIS_SHAPE, GENERATION_SHAPE, SEED_SHAPE, list, object, str, type JsonSchema, type StructuredShape } from './schemas.js';
export { analysisPrompt, generationPrompt, seedPrompt, topUpPrompt, type PromptPair } from './prompts.js';
export { resolveFilters, type TagCount, type Vocabulary } from './vocabulary.js';
export { ReplyFormatError, cleanId, parseJsonLoose, readAnalysis, readReply, type ParsedReply, type Pick } from './reply.js';
export { PoolMatcher } from './match.js';
export {
  acceptPicks,
  emptyStats,
  fillFromPool,
  topUpCandidates,
  type ChosenTrack,
  type SelectionStats,
} from './selection.js';
export { energy, sequenceTracks } from './sequence.js';
export {
  DEFAULT_PRICES,
  costOf,
  expectedOutputTokens,
  mergePrices,
  priceOf,
  type PriceTable,
} from './cost.js';
export { analyseOffline } from './offline-analysis.js';
export { describeSeedOffline, seedPlan } from './seed.js';
