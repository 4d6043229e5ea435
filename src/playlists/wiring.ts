// The playlist pipeline's one wiring: the pool index, the vocabulary and the token estimator over the
// library cache, shared by a PlaylistService per provider, each built with that provider's models from the
// settings in effect (rebuilt when they change). Also the steps the pages take one at a time — suggested
// filters for a prompt, a seed track's description — through the pipeline's own planRequest.
// app.ts builds it for the pages and the JSON API; the tests build it over a fixed configuration.
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { measuredInputRatios } from '../db/playlist-history-repo.js';
import type { Database } from '../db/schema.js';
import {
  DEFAULT_PRICES,
  mergePrices,
  type FilterSpec,
  type PoolTrack,
  type PriceTable,
  type SeedDimension,
} from '../domain/playlist/index.js';
import { CallLedger, type CallUsage } from './call-ledger.js';
import { AlbumRecommender } from './recommend.js';
import { PlaylistService, type GenerationResult } from './generation-service.js';
import { musicTags } from './music-tags.js';
import { planRequest, type GenerateInput, type SonicLookup } from './plan-request.js';
import { PoolIndexCache } from './pool-index-cache.js';
import type { InferredSource } from './pool-index.js';
import { PoolQuery } from './pool-query.js';
import { createProvider, modelsFor, type LlmSettings, type ProviderTuning } from './providers/factory.js';
import type { PlaylistProvider, ProviderName } from './providers/provider.js';
import { plexPlaylistStore, type PlexPlaylistClient, type SaveRequest } from './save.js';
import { TokenEstimator } from './token-count.js';
import { VocabularyCache } from './vocabulary-cache.js';

/** The model settings in effect: the `llm` configuration and each provider's own models (null: its default). */
export interface PlaylistLlm {
  llm: LlmSettings;
  models: Partial<Record<ProviderName, { analysis: string | null; generation: string | null }>>;
}

/** Where the settings in effect come from (the Settings page's, or a fixed configuration). */
export interface PlaylistLlmSource {
  effective(): Promise<PlaylistLlm>;
}

/** The configuration as it is, the configured provider with the configured models. */
export function llmAsConfigured(llm: LlmSettings): PlaylistLlmSource {
  return { effective: async () => ({ llm, models: { [llm.provider]: { analysis: llm.modelAnalysis, generation: llm.modelGeneration } } }) };
}

/** What every provider's service shares. */
export interface PlaylistWiring {
  pool: PoolQuery;
  poolIndex: PoolIndexCache;
  vocabulary: VocabularyCache;
  tokens: TokenEstimator;
}

export interface PlaylistRuntimeOptions {
  db: Kysely<Database>;
  sqlite: Pick<SQLite.Database, 'prepare' | 'pragma'>;
  settings: PlaylistLlmSource;
  /** Where playlists are saved; null: saving answers that it needs a Plex connection. */
  plex: PlexPlaylistClient | null;
  /** INFERRED_TAG: Sagewire's own mood, never offered, shown or told to a model as music ('' = tagging off). */
  inferredTag: string;
  /** `none` until the rating engine's state is there; then `rating-state` (the default). */
  inferred?: InferredSource;
  /** SDK retries and timeouts (tests use no retries). */
  tuning?: ProviderTuning;
  /** The seed's sonic neighbours from Plex, for the seed flow's `sonic` option. */
  sonic?: SonicLookup;
}

export interface Suggestion {
  filters: FilterSpec;
  warnings: string[];
  calls: CallUsage[];
}

export interface SeedDescription {
  seed: PoolTrack;
  dimensions: SeedDimension[];
  calls: CallUsage[];
}

export class PlaylistRuntime {
  private services = new Map<ProviderName, PlaylistService>();
  private albums: AlbumRecommender | null = null;

  private constructor(
    readonly wiring: PlaylistWiring,
    private readonly options: PlaylistRuntimeOptions,
    private current: PlaylistLlm,
  ) {}

  static async create(options: PlaylistRuntimeOptions): Promise<PlaylistRuntime> {
    const effective = await options.settings.effective();
    const isMusic = musicTags(options.inferredTag);
    const poolIndex = new PoolIndexCache(options.sqlite, options.inferred ?? 'rating-state', isMusic);
    const tokens = new TokenEstimator();
    for (const m of await measuredInputRatios(options.db)) tokens.record(m.provider as ProviderName, m.model, m.chars, m.tokens);
    const wiring = { pool: new PoolQuery(poolIndex), poolIndex, vocabulary: new VocabularyCache(options.db, isMusic), tokens };
    return new PlaylistRuntime(wiring, options, effective);
  }

  /** Called after the playlist settings were saved. */
  async reload(): Promise<void> {
    this.current = await this.options.settings.effective();
    this.services.clear();
  }

  get llm(): PlaylistLlm {
    return this.current;
  }

  get defaultProvider(): ProviderName {
    return this.current.llm.provider;
  }

  prices(): PriceTable {
    return mergePrices(DEFAULT_PRICES, (this.current.llm.prices ?? {}) as PriceTable);
  }

  /** The configuration a provider runs with: its own models from the settings. */
  llmFor(name: ProviderName): LlmSettings {
    const models = this.current.models[name] ?? null;
    return { ...this.current.llm, provider: name, modelAnalysis: models?.analysis ?? null, modelGeneration: models?.generation ?? null };
  }

  models(name: ProviderName): { analysis: string; generation: string } {
    return modelsFor(name, this.llmFor(name), null);
  }

  provider(name: ProviderName): PlaylistProvider {
    return createProvider(name, this.llmFor(name), this.options.tuning);
  }

  service(name: ProviderName = this.defaultProvider): PlaylistService {
    let service = this.services.get(name);
    if (!service) {
      const llm = this.llmFor(name);
      service = new PlaylistService({
        db: this.options.db,
        pool: this.wiring.pool,
        vocabulary: this.wiring.vocabulary,
        llm,
        tokens: this.wiring.tokens,
        prices: this.prices(),
        store: this.options.plex ? plexPlaylistStore(this.options.plex) : null,
        providerFor: (n) => createProvider(n, llm, this.options.tuning),
        sonic: this.options.sonic,
      });
      this.services.set(name, service);
    }
    return service;
  }

  generate(input: GenerateInput): Promise<GenerationResult> {
    return this.service(input.provider ?? this.defaultProvider).generate(input);
  }

  save(id: number, request: SaveRequest, result: Pick<GenerationResult, 'title' | 'tracks'>) {
    return this.service().save(id, request, result);
  }

  /** Album recommendations over the same pool, providers and settings in effect. */
  recommender(): AlbumRecommender {
    this.albums ??= new AlbumRecommender({
      db: this.options.db,
      pool: this.wiring.pool,
      vocabulary: this.wiring.vocabulary,
      tokens: this.wiring.tokens,
      defaultProvider: () => this.defaultProvider,
      llmFor: (name) => this.llmFor(name),
      prices: () => this.prices(),
      providerFor: (name) => this.provider(name),
    });
    return this.albums;
  }

  count(filters: FilterSpec): number {
    return this.wiring.pool.count(filters);
  }

  /** The analysis step alone: the filters the model reads in a prompt, for the person to edit. */
  async suggest(prompt: string, name: ProviderName, count: number): Promise<Suggestion> {
    const ledger = new CallLedger(this.prices(), this.wiring.tokens);
    const planned = await planRequest({ prompt, count }, this.planDeps(name, ledger));
    const { yearRange: _omit, ...filters } = planned.plan.filters;
    return { filters: { includeInferred: true, ...filters }, warnings: planned.plan.warnings, calls: ledger.calls };
  }

  /** The seed step alone: the track's dimensions, described by the analysis model (or offline). */
  async describeSeed(ratingKey: string, name: ProviderName): Promise<SeedDescription> {
    const ledger = new CallLedger(this.prices(), this.wiring.tokens);
    const planned = await planRequest({ seedRatingKey: ratingKey, count: 25 }, this.planDeps(name, ledger));
    return { seed: planned.seed!, dimensions: planned.seedDimensions ?? [], calls: ledger.calls };
  }

  private planDeps(name: ProviderName, ledger: CallLedger) {
    return {
      provider: this.provider(name),
      name,
      models: this.models(name),
      ledger,
      pool: this.wiring.pool,
      vocabulary: this.wiring.vocabulary,
    };
  }
}
