// The Plex client module, as the rest of Sagewire enters it.
export { PlexClient, type ListOptions, type PlexClientOptions } from './client.js';
export type { TagEdit } from './edits.js';
export {
  PlexAuthError, PlexError, PlexHttpError, PlexNotFoundError, PlexResponseError, PlexTimeoutError, PlexUnreachableError, PlexUsageError,
} from './errors.js';
export { createLimiter, mapLimited, type Limiter } from './limit.js';
export type { PlexRequestEvent, RequestCounters } from './transport.js';
export * from './types.js';
