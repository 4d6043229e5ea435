// The playlist pipeline as the rest of Sagewire enters it.
export { PlaylistService, type GenerationResult, type ResultTrack } from './generation-service.js';
export type { GenerateInput } from './plan-request.js';
export { PoolIndexCache } from './pool-index-cache.js';
export type { InferredSource } from './pool-index.js';
export { PoolQuery } from './pool-query.js';
export { countOpenAiTokens } from './token-count.js';
export { SaveError } from './save.js';
export { DEFAULT_MODELS, contextTokens, createProvider, type LlmSettings } from './providers/factory.js';
export { ModelRejectedError, ProviderAuthError, ProviderConfigError, ProviderError } from './providers/errors.js';
export { PROVIDER_NAMES, type ProviderName } from './providers/provider.js';
export { RequestError } from './request-plan.js';
export { PlaylistRuntime, llmAsConfigured, type PlaylistWiring } from './wiring.js';
export type { AlbumCard, AlbumRecommender, Recommendation } from './recommend.js';
