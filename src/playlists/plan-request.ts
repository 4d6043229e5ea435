// The first steps of a generation: the seed's description (seed flow) or the prompt's analysis (when no
// filters were given), turned into a request plan. Each model call is recorded in the call ledger.
import { norm } from '../domain/rating/text-match.js';
import {
  analyseOffline,
  describeSeedOffline,
  seedPlan,
  type AnalysisReply,
  type FilterSpec,
  type PoolTrack,
  type SeedDimension,
} from '../domain/playlist/index.js';
import type { CallLedger } from './call-ledger.js';
import type { PoolQuery } from './pool-query.js';
import { isConfigError } from './providers/errors.js';
import type { PlaylistProvider, ProviderName } from './providers/provider.js';
import type { SaveRequest } from './save.js';
import type { ScheduleTrigger } from '../db/tables/playlist-schedules.js';
import { RequestError, planFromAnalysis, planFromFilters, type PlanContext, type RequestPlan } from './request-plan.js';
import type { VocabularyCache } from './vocabulary-cache.js';

/** What a generation is asked for (the JSON API's body, the pages' form), planned here first. */
export interface GenerateInput {
  prompt?: string;
  seedRatingKey?: string;
  /** Seed flow: the dimensions the person ticked; absent → all of the seed's description. */
  keep?: SeedDimension[];
  count: number;
  provider?: ProviderName;
  model?: string;
  /** Given → used as-is, no analysis. */
  filters?: FilterSpec;
  /** The "max tracks to send" budget. Default 300. */
  maxTracks?: number;
  /** Seed for the variety term; default random. */
  variety?: number;
  /** Seed flow: favour the seed's sonic neighbours (servers with sonic analysis). */
  sonic?: boolean;
  save?: SaveRequest;
  /** A schedule's run: its previous run's tracks, left out of the pool when enough others match. */
  excludeKeys?: readonly string[];
  /** A schedule's run: which schedule, and why it ran (recorded with the history row). */
  schedule?: { id: number; trigger: ScheduleTrigger };
}

export interface PlannedRequest {
  plan: RequestPlan;
  requestText: string;
  seed: PoolTrack | null;
  seedDimensions: SeedDimension[] | null;
  /** Seed flow: the ticked descriptions, told to the generation model. */
  keep: SeedDimension[] | undefined;
  /** Seed flow with `sonic`: the seed's sonic neighbours in the library cache, nearest first. */
  sonic: PoolTrack[];
}

/** The seed's sonic neighbours by rating key, nearest first; `available: false` when the server has no
 *  sonic analysis; null when there is no Plex connection to ask. */
export type SonicLookup = (seedKey: string) => Promise<{ available: boolean; keys: string[] } | null>;

export interface PlanDeps {
  provider: PlaylistProvider;
  name: ProviderName;
  models: { analysis: string; generation: string };
  ledger: CallLedger;
  pool: PoolQuery;
  vocabulary: VocabularyCache;
  sonic?: SonicLookup;
}

export async function planRequest(input: GenerateInput, deps: PlanDeps): Promise<PlannedRequest> {
  const { vocabulary, artists } = await deps.vocabulary.get();
  const byNorm = new Map(artists.map((a) => [norm(a), a]));
  const ctx: PlanContext = {
    vocabulary,
    knownArtists: (names) => [...new Set(names.map((n) => byNorm.get(norm(n))).filter((n): n is string => n !== undefined))],
    artistTags: (names) => deps.pool.artistTags(names),
    count: (filters) => deps.pool.count(filters),
    variety: input.variety ?? Math.floor(Math.random() * 0x7fffffff),
  };

  if (input.seedRatingKey !== undefined) {
    const seed = deps.pool.track(input.seedRatingKey);
    if (!seed) throw new RequestError('seedRatingKey', `no track ${input.seedRatingKey} in the library cache`);
    let dimensions = input.keep ?? null;
    if (dimensions === null) {
      try {
        const described = await deps.provider.describeSeed(seed, deps.models.analysis);
        deps.ledger.record('seed', deps.name, deps.models.analysis, described);
        dimensions = described.value.length > 0 ? described.value : describeSeedOffline(seed);
      } catch (err) {
        if (isConfigError(err)) throw err;
        deps.ledger.failed('seed', deps.name, deps.models.analysis, (err as Error).message);
        dimensions = describeSeedOffline(seed);
      }
    }
    const base = seedPlan(seed, dimensions, ctx.variety);
    const filters = input.filters ? { ...base.filters, ...planFromFilters(input.filters, ctx).filters } : base.filters;
    const seedText = `tracks like ${seed.artist} – ${seed.title}`;
    const warnings: string[] = [];
    const sonic = input.sonic ? await sonicNeighbours(seed, deps, warnings) : [];
    const keep =
      sonic.length > 0
        ? [
            ...dimensions,
            { dimension: 'sound', description: 'sonically close by Plex’s sonic analysis (its nearest neighbours come first)' },
          ]
        : dimensions;
    return {
      plan: { filters, rank: base.rank, hardArtists: false, warnings },
      requestText: input.prompt ? `${input.prompt} (${seedText})` : seedText,
      seed,
      seedDimensions: dimensions,
      keep,
      sonic,
    };
  }

  const prompt = input.prompt ?? '';
  if (input.filters)
    return { plan: planFromFilters(input.filters, ctx), requestText: prompt, seed: null, seedDimensions: null, keep: undefined, sonic: [] };
  let analysis: AnalysisReply;
  const warnings: string[] = [];
  try {
    const analysed = await deps.provider.analyse({ request: prompt, vocabulary, artistNames: artists, model: deps.models.analysis });
    deps.ledger.record('analysis', deps.name, deps.models.analysis, analysed);
    analysis = analysed.value;
  } catch (err) {
    if (isConfigError(err)) throw err;
    deps.ledger.failed('analysis', deps.name, deps.models.analysis, (err as Error).message);
    warnings.push(`analysis call failed (${(err as Error).message}); the request was read offline`);
    analysis = analyseOffline(prompt, vocabulary, artists);
  }
  const plan = planFromAnalysis(analysis, input.count, ctx);
  plan.warnings.unshift(...warnings);
  return { plan, requestText: prompt, seed: null, seedDimensions: null, keep: undefined, sonic: [] };
}

/** The seed's neighbours that the library cache holds; why there are none goes into the warnings. */
async function sonicNeighbours(seed: PoolTrack, deps: PlanDeps, warnings: string[]): Promise<PoolTrack[]> {
  let answer: Awaited<ReturnType<SonicLookup>>;
  try {
    answer = deps.sonic ? await deps.sonic(seed.ratingKey) : null;
  } catch (err) {
    warnings.push(`sonic neighbours were asked for, but Plex could not be asked (${(err as Error).message})`);
    return [];
  }
  if (answer === null) {
    warnings.push('sonic neighbours need a Plex connection; the list was built without them');
    return [];
  }
  if (!answer.available) {
    warnings.push('sonic neighbours were asked for, but this Plex server has no sonic analysis; the list was built without them');
    return [];
  }
  const tracks = answer.keys.map((k) => deps.pool.track(k)).filter((t): t is PoolTrack => t !== null && t.ratingKey !== seed.ratingKey);
  if (tracks.length === 0) warnings.push('Plex’s sonic analysis found no neighbours of this track in the library');
  return tracks;
}
