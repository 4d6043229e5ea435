// The playlist pipeline as the rest of Sagewire enters it.
export { generatePlaylistHandler, playlistApiRoutes, toApiResponse, type PlaylistApiDeps } from '../web/api/playlists.js';
export { PlaylistService, type GenerateInput, type GenerationResult, type PlaylistServiceDeps, type ResultTrack } from './generation-service.js';
export { PoolIndexCache } from './pool-index-cache.js';
export type { InferredSource } from './pool-index.js';
export { PoolQuery, type Pool, type PoolRequest } from './pool-query.js';
export { VocabularyCache } from './vocabulary-cache.js';
export { TokenEstimator, countOpenAiTokens } from './token-count.js';
export { SaveError, plexPlaylistStore, savePlaylist, type PlaylistStore, type SaveRequest, type SavedPlaylist } from './save.js';
export { DEFAULT_MODELS, contextTokens, createProvider, modelsFor, type LlmSettings } from './providers/factory.js';
export { ModelRejectedError, ProviderAuthError, ProviderConfigError, ProviderError } from './providers/errors.js';
export { PROVIDER_NAMES, type PlaylistProvider, type ProviderName } from './providers/provider.js';
export { RequestError } from './request-plan.js';
export { createPlaylistService, type PlaylistWiring } from './wiring.js';
