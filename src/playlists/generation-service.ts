// The playlist pipeline (PLAYLISTS.md): request → (analysis | seed description) → pool → prompt →
// provider → validation and matching → one top-up call for the missing count → fill from the ranked
// pool (marked `filled`) → history → optional save. Configuration errors (a rejected model or key) stop
// the request; anything else a provider does wrong — errors, invalid JSON, unknown ids, names,
// duplicates, twins, too few picks — is recovered from, and the requested length comes back whenever
// the filtered library has enough tracks.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { recordGeneration, recordSave } from '../db/playlist-history-repo.js';
import {
  DiversityLedger,
  PoolMatcher,
  acceptPicks,
  capsFor,
  capsToFill,
  emptyStats,
  expectedOutputTokens,
  favouredSet,
  fillFromPool,
  fitToBudget,
  generationPrompt,
  tellingTags,
  topUpCandidates,
  topUpPrompt,
  type ChosenTrack,
  type FilterSpec,
  type PriceTable,
  type SeedDimension,
  type SelectionStats,
} from '../domain/playlist/index.js';
import { CallLedger, ledgerColumns, type CallUsage } from './call-ledger.js';
import { isConfigError } from './providers/errors.js';
import { contextTokens, createProvider, modelsFor, type LlmSettings } from './providers/factory.js';
import type { PlaylistProvider, ProviderName } from './providers/provider.js';
import type { Pool, PoolQuery, PoolRequest } from './pool-query.js';
import { planRequest, type GenerateInput, type PlannedRequest, type SonicLookup } from './plan-request.js';
import { withSonicNeighbours } from './sonic-pool.js';
import { SaveError, savePlaylist, type PlaylistStore, type SaveRequest } from './save.js';
import type { TokenEstimator } from './token-count.js';
import type { VocabularyCache } from './vocabulary-cache.js';

export interface ResultTrack {
  ratingKey: string;
  title: string;
  artist: string;
  album: string;
  year: number | null;
  thumb: string | null;
  reason: string;
  filled: boolean;
}

export interface GenerationResult {
  id: number;
  title: string;
  description: string;
  tracks: ResultTrack[];
  usage: { calls: CallUsage[]; totalCost: number | null };
  filters: FilterSpec;
  seedDimensions: SeedDimension[] | null;
  stats: { matching: number; sent: number; sentTokens: number; selection: SelectionStats; filled: number };
  warnings: string[];
  playlist?: { ratingKey: string; title: string; added: number; skipped: number };
}

export interface PlaylistServiceDeps {
  db: Kysely<Database>;
  pool: PoolQuery;
  vocabulary: VocabularyCache;
  llm: LlmSettings;
  prices: PriceTable;
  tokens: TokenEstimator;
  store?: PlaylistStore | null;
  providerFor?: (name: ProviderName) => PlaylistProvider;
  now?: () => number;
  /** The seed's sonic neighbours (seed flow with `sonic`); absent: the warnings say Plex is needed. */
  sonic?: SonicLookup;
}

export class PlaylistService {
  constructor(private readonly deps: PlaylistServiceDeps) {}

  async generate(input: GenerateInput): Promise<GenerationResult> {
    const name = input.provider ?? this.deps.llm.provider;
    const models = modelsFor(name, this.deps.llm, input.model ?? null);
    const provider = (this.deps.providerFor ?? ((n: ProviderName) => createProvider(n, this.deps.llm)))(name);
    const ledger = new CallLedger(this.deps.prices, this.deps.tokens);
    let planned: PlannedRequest | null = null;
    let recorded = false;
    try {
      planned = await planRequest(input, {
        provider,
        name,
        models,
        ledger,
        pool: this.deps.pool,
        vocabulary: this.deps.vocabulary,
        sonic: this.deps.sonic,
      });
      const result = await this.choose(input, planned, provider, name, models.generation, ledger);
      const id = await this.record(input, name, models.generation, ledger, planned.plan.filters, { ...result, status: 'done' });
      recorded = true;
      const out: GenerationResult = { id, ...result, usage: { calls: ledger.calls, totalCost: ledger.totalCost } };
      if (input.save) out.playlist = await this.save(id, input.save, out);
      return out;
    } catch (err) {
      if (!recorded) {
        await this.record(input, name, models.generation, ledger, planned?.plan.filters ?? input.filters ?? {}, {
          status: 'failed',
          error: (err as Error).message,
        });
      }
      throw err;
    }
  }

  /** Saves a reviewed list again (history "save again"), recording where it went. */
  async save(
    id: number,
    request: SaveRequest,
    result: Pick<GenerationResult, 'title' | 'tracks'>,
  ): Promise<{ ratingKey: string; title: string; added: number; skipped: number }> {
    if (!this.deps.store) throw new SaveError('saving needs a Plex connection (PLEX_URL, PLEX_TOKEN)', null, 503);
    const saved = await savePlaylist(
      this.deps.store,
      request,
      result.tracks.map((t) => t.ratingKey),
      result.title,
    );
    await recordSave(this.deps.db, id, { ratingKey: saved.ratingKey, title: saved.title, mode: saved.mode }, this.now());
    return { ratingKey: saved.ratingKey, title: saved.title, added: saved.added, skipped: saved.skipped };
  }

  private async choose(
    input: GenerateInput,
    planned: PlannedRequest,
    provider: PlaylistProvider,
    name: ProviderName,
    model: string,
    ledger: CallLedger,
  ) {
    const { plan, requestText } = planned;
    const count = input.count;
    const warnings = [...plan.warnings];
    const share = plan.hardArtists ? 1 : 0.3;
    const poolRequest = {
      filters: plan.filters,
      rank: plan.rank,
      size: Math.max(count, input.maxTracks ?? 300),
      favouredArtistShare: share,
    };
    const pool = withSonicNeighbours(this.buildAvoiding(poolRequest, count, input.excludeKeys, warnings), planned.sonic, poolRequest);
    if (pool.matching < count) warnings.push(`only ${pool.matching} tracks match the filters; the playlist is shorter than ${count}`);

    const counter = this.deps.tokens.counter(name, model);
    const framing = generationPrompt({ request: requestText, count, lines: [], keep: planned.keep, seed: planned.seed ?? undefined });
    const window = contextTokens(name, model, this.deps.llm);
    const room = Math.floor(window * 0.75) - counter(framing.system + framing.user) - expectedOutputTokens(count);
    const fitted = fitToBudget(pool.tracks, counter, { maxTokens: Math.max(0, room), maxTracks: input.maxTracks ?? 300 }, plan.rank);
    const candidates = fitted.tracks.map((track, i) => ({ id: String(i + 1), track }));

    const favoured = favouredSet(plan.rank);
    // Lifted up front when the pool cannot fill the list under the usual caps: picks and fill share them.
    const caps = capsToFill(pool.ranked, count, capsFor(count, share), favoured);
    const diversity = new DiversityLedger(caps, count, favoured);
    const matcher = new PoolMatcher(fitted.tracks);
    const chosen: ChosenTrack[] = [];
    const stats = emptyStats();
    let title = '';
    let description = '';

    const ask = async (role: 'generation' | 'top-up', missing: number, lines: string[], open: typeof candidates) => {
      const prompt =
        role === 'generation'
          ? generationPrompt({
              request: requestText,
              count,
              lines,
              keep: planned.keep,
              seed: planned.seed ?? undefined,
              limits: share < 1 ? caps : undefined,
            })
          : topUpPrompt({ request: requestText, missing, lines, chosen: chosen.map((c) => `${c.track.artist} – ${c.track.title}`) });
      try {
        const reply = await provider.generate({
          role,
          prompt,
          count: missing,
          candidates: open,
          request: requestText,
          model,
          caps,
          favoured: [...favoured],
        });
        ledger.record(role, name, model, reply, reply.value.formatError ?? undefined);
        if (reply.value.formatError) warnings.push(`${role}: ${reply.value.formatError}`);
        title ||= reply.value.title;
        description ||= reply.value.description;
        acceptPicks(reply.value.picks, matcher, diversity, chosen, count, stats);
      } catch (err) {
        if (isConfigError(err)) throw err;
        ledger.failed(role, name, model, (err as Error).message);
        warnings.push(`${role} call failed: ${(err as Error).message}`);
      }
    };

    if (candidates.length > 0) await ask('generation', count, fitted.lines, candidates);
    if (chosen.length < count) {
      const open = topUpCandidates(fitted.tracks, diversity);
      if (open.length > 0)
        await ask(
          'top-up',
          count - chosen.length,
          open.map((o) => fitted.lines[Number(o.id) - 1]),
          open,
        );
    }
    const filled =
      chosen.length < count
        ? fillFromPool(
            pool.ranked,
            diversity,
            chosen,
            count,
            (t) => `filled: ${tellingTags(t, plan.rank, 2).join(', ') || 'from your library'}`,
          )
        : 0;

    return {
      title: (title || requestText || 'Sagewire mix').slice(0, 100),
      description: description || `${chosen.length} tracks from your library.`,
      tracks: chosen.map(({ track, reason, filled: f }) => ({
        ratingKey: track.ratingKey,
        title: track.title,
        artist: track.artist,
        album: track.album,
        year: track.year,
        thumb: track.thumb,
        reason,
        filled: f,
      })),
      filters: plan.filters,
      seedDimensions: planned.seedDimensions,
      stats: { matching: pool.matching, sent: fitted.tracks.length, sentTokens: fitted.tokens, selection: stats, filled },
      warnings,
    };
  }

  /** A schedule's pool: without its previous run's tracks while at least `count` others match; otherwise the
   *  pool as it is, with a warning that tracks repeat. */
  private buildAvoiding(request: PoolRequest, count: number, excludeKeys: readonly string[] | undefined, warnings: string[]): Pool {
    if (!excludeKeys?.length) return this.deps.pool.build(request);
    const avoiding = this.deps.pool.build({ ...request, filters: { ...request.filters, excludeKeys } });
    if (avoiding.matching >= count) return avoiding;
    warnings.push(
      `only ${avoiding.matching} tracks match without the previous run's ${excludeKeys.length}; this run may repeat some of them`,
    );
    return this.deps.pool.build(request);
  }

  private async record(
    input: GenerateInput,
    provider: ProviderName,
    model: string,
    ledger: CallLedger,
    filters: FilterSpec,
    outcome: {
      status: 'done' | 'failed';
      error?: string;
      title?: string;
      description?: string;
      tracks?: ResultTrack[];
      stats?: unknown;
      warnings?: string[];
    },
  ): Promise<number> {
    const { save: _save, excludeKeys: _excluded, schedule, ...request } = input;
    return recordGeneration(this.deps.db, {
      created_at: this.now(),
      kind: input.seedRatingKey ? 'seed' : 'prompt',
      request: JSON.stringify(request),
      filters: JSON.stringify(filters),
      provider,
      model,
      ...ledgerColumns(ledger),
      status: outcome.status,
      error: outcome.error ?? null,
      title: outcome.title ?? null,
      description: outcome.description ?? null,
      result: outcome.tracks ? JSON.stringify({ tracks: outcome.tracks, stats: outcome.stats, warnings: outcome.warnings }) : null,
      playlist_rating_key: null,
      playlist_title: null,
      saved_mode: null,
      saved_at: null,
      schedule_id: schedule?.id ?? null,
      schedule_trigger: schedule?.trigger ?? null,
    });
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
