// Before generating: the calls a request will make, with estimated tokens and price. The pool is built
// and fitted to the budget exactly as the generation will (same filters, same counter, same room), so
// the input estimate is the prompt that will be sent; output is the expected reply of `count` picks.
// A top-up call happens only when the reply is short: shown as "only if needed", at most the same input.
import {
  costOf,
  expectedOutputTokens,
  fitToBudget,
  generationPrompt,
  priceOf,
  type FilterSpec,
  type PoolTrack,
  type RankSpec,
  type SeedDimension,
} from '../../domain/playlist/index.js';
import { contextTokens, type ProviderName } from '../../playlists/index.js';
import type { PlaylistRuntime } from '../../playlists/index.js';

export interface CallEstimate {
  role: 'generation' | 'top-up';
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Dollars; null when the model has no price. */
  cost: number | null;
  conditional: boolean;
}

export interface Estimate {
  provider: ProviderName;
  matching: number;
  sent: number;
  calls: CallEstimate[];
  /** The certain calls (not the conditional top-up); null when a price is unknown. */
  total: number | null;
  /** The largest "max tracks to send" this model's context window allows, roughly. */
  maxBudget: number;
}

export function estimateGeneration(
  runtime: PlaylistRuntime,
  request: {
    provider: ProviderName;
    filters: FilterSpec;
    count: number;
    maxTracks: number;
    prompt: string;
    seed?: PoolTrack;
    keep?: SeedDimension[];
  },
): Estimate {
  const { provider, filters, count, maxTracks } = request;
  const model = runtime.models(provider).generation;
  const counter = runtime.wiring.tokens.counter(provider, model);
  const rank: RankSpec = {
    genres: filters.genres ?? [],
    styles: filters.styles ?? [],
    moods: filters.moods ?? [],
    artists: filters.artists ?? [],
    year: request.seed?.year ?? null,
    seed: 1,
  };
  const pool = runtime.wiring.pool.build({
    filters,
    rank,
    size: Math.max(count, maxTracks),
    favouredArtistShare: filters.artists?.length ? 1 : 0.3,
  });
  const requestText = request.seed ? `tracks like ${request.seed.artist} – ${request.seed.title}` : request.prompt;
  const framing = generationPrompt({ request: requestText, count, lines: [], keep: request.keep, seed: request.seed });
  const window = contextTokens(provider, model, runtime.llmFor(provider));
  const framingTokens = counter(framing.system + framing.user);
  const room = Math.floor(window * 0.75) - framingTokens - expectedOutputTokens(count);
  const fitted = fitToBudget(pool.tracks, counter, { maxTokens: Math.max(0, room), maxTracks }, rank);
  const price = priceOf(runtime.prices(), provider, model);
  const call = (role: CallEstimate['role'], inputTokens: number, outputTokens: number, conditional: boolean): CallEstimate => ({
    role,
    model,
    inputTokens,
    outputTokens,
    conditional,
    cost: costOf(price, { inputTokens, outputTokens }),
  });
  const calls =
    provider === 'offline'
      ? []
      : [
          call('generation', framingTokens + fitted.tokens, expectedOutputTokens(count), false),
          call('top-up', framingTokens + fitted.tokens, expectedOutputTokens(Math.ceil(count / 3)), true),
        ];
  const perLine = fitted.tracks.length > 0 ? fitted.tokens / fitted.tracks.length : 20;
  return {
    provider,
    matching: pool.matching,
    sent: fitted.tracks.length,
    calls,
    total: calls[0] ? calls[0].cost : 0,
    maxBudget: Number.isFinite(window) ? Math.max(50, Math.min(3000, Math.floor(room / perLine / 50) * 50 || 50)) : 3000,
  };
}
