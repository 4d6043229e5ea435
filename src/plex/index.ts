// The Plex client module, as the rest of Sagewire enters it.
export { PlexClient } from './client.js';
export {
  PlexAuthError,
  PlexError,
  PlexHttpError,
  PlexNotFoundError,
  PlexResponseError,
  PlexTimeoutError,
  PlexUnreachableError,
  PlexUsageError,
} from './errors.js';
export type { PlexRequestEvent } from './transport.js';
export * from './types.js';
