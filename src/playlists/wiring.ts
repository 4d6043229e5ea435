// Builds the playlist service from the configuration, the database handle and (optionally) the Plex
// client; for app.ts and the tests. The pool index is shared by everything that asks for counts.
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { measuredInputRatios } from '../db/playlist-history-repo.js';
import type { Database } from '../db/schema.js';
import { DEFAULT_PRICES, mergePrices } from '../domain/playlist/index.js';
import { PlaylistService } from './generation-service.js';
import { musicTags } from './music-tags.js';
import { PoolIndexCache } from './pool-index-cache.js';
import type { InferredSource } from './pool-index.js';
import { PoolQuery } from './pool-query.js';
import { createProvider, type ProviderTuning } from './providers/factory.js';
import type { PlaylistProvider, ProviderName } from './providers/provider.js';
import { plexPlaylistStore, type PlexPlaylistClient } from './save.js';
import { TokenEstimator } from './token-count.js';
import { VocabularyCache } from './vocabulary-cache.js';

export interface PlaylistWiring {
  service: PlaylistService;
  pool: PoolQuery;
  poolIndex: PoolIndexCache;
  vocabulary: VocabularyCache;
  tokens: TokenEstimator;
}

export async function createPlaylistService(options: {
  db: Kysely<Database>;
  sqlite: Pick<SQLite.Database, 'prepare' | 'pragma'>;
  llm: Config['llm'];
  plex?: PlexPlaylistClient | null;
  /** `none` until the rating engine's state is there; then `rating-state` (the default). */
  inferred?: InferredSource;
  /** INFERRED_TAG: Sagewire's own mood, never offered, shown or told to a model as music ('' = tagging off). */
  inferredTag: string;
  providerFor?: (name: ProviderName) => PlaylistProvider;
  /** SDK retries and timeouts (tests use no retries). */
  tuning?: ProviderTuning;
}): Promise<PlaylistWiring> {
  const isMusic = musicTags(options.inferredTag);
  const poolIndex = new PoolIndexCache(options.sqlite, options.inferred ?? 'rating-state', isMusic);
  const pool = new PoolQuery(poolIndex);
  const vocabulary = new VocabularyCache(options.db, isMusic);
  const tokens = new TokenEstimator();
  for (const m of await measuredInputRatios(options.db)) tokens.record(m.provider as ProviderName, m.model, m.chars, m.tokens);
  const service = new PlaylistService({
    db: options.db, pool, vocabulary, llm: options.llm, tokens,
    prices: mergePrices(DEFAULT_PRICES, (options.llm.prices ?? {}) as typeof DEFAULT_PRICES),
    store: options.plex ? plexPlaylistStore(options.plex) : null,
    providerFor: options.providerFor ?? ((name) => createProvider(name, options.llm, options.tuning)),
  });
  return { service, pool, poolIndex, vocabulary, tokens };
}
