// The playlist pipeline as the UI and the JSON API use it: one wiring (pool index, vocabulary, token
// estimator) shared by a PlaylistService per provider, each built with that provider's models from
// Settings, rebuilt when the playlist settings change. Also the steps the UI takes one at a time —
// suggested filters for a prompt, a seed track's description — through the pipeline's own planRequest.
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { DEFAULT_PRICES, mergePrices, type FilterSpec, type PoolTrack, type PriceTable, type SeedDimension } from '../../domain/playlist/index.js';
import { CallLedger, type CallUsage } from '../../playlists/call-ledger.js';
import {
  PlaylistService, createPlaylistService, createProvider, modelsFor, type GenerateInput, type GenerationResult, type InferredSource,
  type PlaylistProvider, type PlaylistWiring, type ProviderName, type SaveRequest,
} from '../../playlists/index.js';
import { planRequest } from '../../playlists/plan-request.js';
import type { ProviderTuning } from '../../playlists/providers/factory.js';
import { plexPlaylistStore, type PlexPlaylistClient } from '../../playlists/save.js';
import { MODEL_PROVIDERS, type EffectiveLlm, type ModelProvider, type PlaylistSettings } from './playlist-llm-settings.js';

/** What app.ts hands the admin UI for the playlist pages and the API. */
export interface PlaylistAccess {
  sqlite: Pick<SQLite.Database, 'prepare' | 'pragma'>;
  inferred?: InferredSource;
  /** Tests: INFERRED_TAG in place of the configuration's. */
  inferredTag?: string;
  /** Tests: SDK retries and timeouts. */
  tuning?: ProviderTuning;
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
  private current: EffectiveLlm | null = null;

  private constructor(
    readonly wiring: PlaylistWiring,
    private readonly db: Kysely<Database>,
    private readonly settings: PlaylistSettings,
    private readonly plex: PlexPlaylistClient,
    private readonly tuning: ProviderTuning | undefined,
  ) {}

  static async create(options: { db: Kysely<Database>; access: PlaylistAccess; settings: PlaylistSettings; plex: PlexPlaylistClient; inferredTag: string }): Promise<PlaylistRuntime> {
    const effective = await options.settings.effective();
    const wiring = await createPlaylistService({ db: options.db, sqlite: options.access.sqlite, llm: effective.llm, plex: options.plex, inferred: options.access.inferred, inferredTag: options.inferredTag, tuning: options.access.tuning });
    const runtime = new PlaylistRuntime(wiring, options.db, options.settings, options.plex, options.access.tuning);
    runtime.current = effective;
    return runtime;
  }

  /** Called after the playlist settings were saved. */
  async reload(): Promise<void> {
    this.current = await this.settings.effective();
    this.services.clear();
  }

  get llm(): EffectiveLlm {
    return this.current!;
  }

  get defaultProvider(): ProviderName {
    return this.llm.llm.provider;
  }

  prices(): PriceTable {
    return mergePrices(DEFAULT_PRICES, (this.llm.llm.prices ?? {}) as PriceTable);
  }

  /** The configuration a provider runs with: its own models from Settings. */
  llmFor(name: ProviderName) {
    const models = MODEL_PROVIDERS.includes(name as ModelProvider) ? this.llm.models[name as ModelProvider] : null;
    return { ...this.llm.llm, provider: name, modelAnalysis: models?.analysis ?? null, modelGeneration: models?.generation ?? null };
  }

  models(name: ProviderName): { analysis: string; generation: string } {
    return modelsFor(name, this.llmFor(name), null);
  }

  provider(name: ProviderName): PlaylistProvider {
    return createProvider(name, this.llmFor(name), this.tuning);
  }

  service(name: ProviderName = this.defaultProvider): PlaylistService {
    let service = this.services.get(name);
    if (!service) {
      const llm = this.llmFor(name);
      service = new PlaylistService({
        db: this.db, pool: this.wiring.pool, vocabulary: this.wiring.vocabulary, llm, tokens: this.wiring.tokens, prices: this.prices(),
        store: plexPlaylistStore(this.plex), providerFor: (n) => createProvider(n, llm, this.tuning),
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
    return { provider: this.provider(name), name, models: this.models(name), ledger, pool: this.wiring.pool, vocabulary: this.wiring.vocabulary };
  }
}
