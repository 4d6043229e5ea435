// One interface for every way of choosing tracks: the four model providers and the offline one.
// Model providers implement one structured call; analysis, seed description and generation are built
// on it here, so every provider is asked the same questions with the same schemas.
import {
  ANALYSIS_SHAPE,
  GENERATION_SHAPE,
  ReplyFormatError,
  SEED_SHAPE,
  analysisPrompt,
  readAnalysis,
  readReply,
  seedPrompt,
  type AnalysisReply,
  type DiversityCaps,
  type ParsedReply,
  type Pick,
  type PoolTrack,
  type PromptPair,
  type SeedDimension,
  type StructuredShape,
  type Usage,
  type Vocabulary,
} from '../../domain/playlist/index.js';
import {
  ALBUM_PICK_SHAPE,
  CLARIFY_SHAPE,
  DISCOVERY_SHAPE,
  readAlbumPicks,
  readDiscovery,
  readQuestions,
  type AlbumSummary,
  type ClarifyingQuestion,
  type DiscoverySuggestion,
  type Familiarity,
} from '../../domain/recommend/index.js';

export type ProviderName = 'openai' | 'anthropic' | 'gemini' | 'openai-compatible' | 'offline';
export const PROVIDER_NAMES: readonly ProviderName[] = ['openai', 'anthropic', 'gemini', 'openai-compatible', 'offline'];

export type CallRole = 'analysis' | 'seed' | 'generation' | 'top-up' | 'clarify' | 'albums' | 'discovery';

export interface CallResult<T> {
  value: T;
  usage: Usage;
  /** Characters sent (system + user), to calibrate the chars-per-token estimate. */
  inputChars: number;
}

export interface AnalyseRequest {
  request: string;
  vocabulary: Vocabulary;
  /** For the offline provider, which reads names itself; models get the request text only. */
  artistNames: readonly string[];
  model: string;
}

export interface GenerateRequest {
  role: 'generation' | 'top-up';
  prompt: PromptPair;
  count: number;
  /** The tracks the prompt lists, with the ids they were sent under (offline chooses from these). */
  candidates: readonly { id: string; track: PoolTrack }[];
  request: string;
  model: string;
  /** The playlist's diversity caps and favoured artists (normalised): the prompt states them; offline obeys them. */
  caps: DiversityCaps;
  favoured: readonly string[];
}

/** A generation reply, or why it could not be read (the pipeline then tops up and fills). */
export interface GenerationResult extends ParsedReply {
  formatError: string | null;
}

/** Album recommendations: the prompt lists `candidates` under their ids; offline chooses from them. */
export interface AlbumPickRequest {
  prompt: PromptPair;
  candidates: readonly { id: string; album: AlbumSummary }[];
  count: number;
  model: string;
  familiarity: Familiarity;
  /** Epoch seconds, for the offline pitch's "last played". */
  now: number;
  /** Tags the request asked for, which the offline pitch names first. */
  wanted: readonly string[];
}

/** Picks by id (or names), or why the reply could not be read (the service then fills from the ranked list). */
export interface AlbumPickResult {
  picks: Pick[];
  formatError: string | null;
}

export interface DiscoveryResult {
  suggestions: DiscoverySuggestion[];
  formatError: string | null;
}

export interface PlaylistProvider {
  readonly name: ProviderName;
  analyse(request: AnalyseRequest): Promise<CallResult<AnalysisReply>>;
  describeSeed(seed: PoolTrack, model: string): Promise<CallResult<SeedDimension[]>>;
  generate(request: GenerateRequest): Promise<CallResult<GenerationResult>>;
  /** At most two short questions before an album recommendation (the analysis model). */
  clarify(prompt: PromptPair, model: string): Promise<CallResult<ClarifyingQuestion[]>>;
  pickAlbums(request: AlbumPickRequest): Promise<CallResult<AlbumPickResult>>;
  discoverAlbums(prompt: PromptPair, model: string): Promise<CallResult<DiscoveryResult>>;
}

export interface StructuredCall {
  role: CallRole;
  model: string;
  prompt: PromptPair;
  shape: StructuredShape;
  maxOutputTokens: number;
}

/** Parsed JSON when the provider guarantees it, otherwise the raw text for the tolerant parser. */
export interface StructuredAnswer {
  value: unknown;
  usage: Usage;
}

function readSeed(value: unknown): SeedDimension[] {
  const body = (typeof value === 'string' ? JSON.parse(value.replace(/^[^{]*/, '').replace(/[^}]*$/, '')) : value) as {
    dimensions?: unknown;
  };
  const list = Array.isArray(body?.dimensions) ? body.dimensions : [];
  return list
    .map((d) => d as Record<string, unknown>)
    .filter((d) => typeof d?.dimension === 'string' && typeof d?.description === 'string')
    .map((d) => ({ dimension: String(d.dimension).trim(), description: String(d.description).trim() }))
    .slice(0, 7);
}

const charsOf = (p: PromptPair): number => p.system.length + p.user.length;

/** Analysis, seed description and generation over one structured call. */
/** How a hosted provider's official SDK is reached: key, optional base URL, the SDK's retries and timeout. */
export interface HostedProviderOptions {
  apiKey: string;
  baseUrl?: string | null;
  maxRetries?: number;
  timeoutMs?: number;
}

/**
 * Redirects are answered, never followed: a key travels in a header (Authorization, x-api-key,
 * x-goog-api-key) and fetch keeps custom headers across a redirect to another host.
 */
export const NO_REDIRECTS = { redirect: 'manual' } as const satisfies RequestInit;

/** fetch with NO_REDIRECTS, for SDKs that take a fetch function rather than fetch options. */
export const fetchWithoutRedirects: typeof fetch = (input, init) => fetch(input, { ...init, ...NO_REDIRECTS });

/**
 * The client options the openai and @anthropic-ai/sdk SDKs both take, with Sagewire's defaults. The base URL
 * is always explicit (the provider's own when none is set): an SDK left to itself reads its own environment
 * variables and profiles, and the key would go wherever those point.
 */
export function sdkClientOptions(
  options: HostedProviderOptions,
  defaultBaseUrl: string,
): { apiKey: string; baseURL: string; maxRetries: number; timeout: number; fetchOptions: typeof NO_REDIRECTS } {
  return {
    apiKey: options.apiKey,
    baseURL: options.baseUrl ?? defaultBaseUrl,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 120_000,
    fetchOptions: NO_REDIRECTS,
  };
}

export abstract class ModelProvider implements PlaylistProvider {
  abstract readonly name: ProviderName;
  protected abstract call(call: StructuredCall): Promise<StructuredAnswer>;

  async analyse(request: AnalyseRequest): Promise<CallResult<AnalysisReply>> {
    const prompt = analysisPrompt(request.request, request.vocabulary);
    const answer = await this.call({ role: 'analysis', model: request.model, prompt, shape: ANALYSIS_SHAPE, maxOutputTokens: 1500 });
    let value: AnalysisReply;
    try {
      value = readAnalysis(answer.value);
    } catch {
      value = readAnalysis({});
    }
    return { value, usage: answer.usage, inputChars: charsOf(prompt) };
  }

  async describeSeed(seed: PoolTrack, model: string): Promise<CallResult<SeedDimension[]>> {
    const prompt = seedPrompt(seed);
    const answer = await this.call({ role: 'seed', model, prompt, shape: SEED_SHAPE, maxOutputTokens: 1000 });
    let value: SeedDimension[] = [];
    try {
      value = readSeed(answer.value);
    } catch {
      // an unreadable description leaves the offline one to the caller
    }
    return { value, usage: answer.usage, inputChars: charsOf(prompt) };
  }

  async generate(request: GenerateRequest): Promise<CallResult<GenerationResult>> {
    const answer = await this.call({
      role: request.role,
      model: request.model,
      prompt: request.prompt,
      shape: GENERATION_SHAPE,
      maxOutputTokens: 400 + request.count * 60,
    });
    let value: GenerationResult;
    try {
      value = { ...readReply(answer.value), formatError: null };
    } catch (err) {
      if (!(err instanceof ReplyFormatError)) throw err;
      value = { title: '', description: '', picks: [], formatError: err.message };
    }
    return { value, usage: answer.usage, inputChars: charsOf(request.prompt) };
  }

  async clarify(prompt: PromptPair, model: string): Promise<CallResult<ClarifyingQuestion[]>> {
    // Sent under the analysis role: a rejected model then names the analysis model's setting.
    const answer = await this.call({ role: 'analysis', model, prompt, shape: CLARIFY_SHAPE, maxOutputTokens: 400 });
    return { value: readQuestions(answer.value), usage: answer.usage, inputChars: charsOf(prompt) };
  }

  async pickAlbums(request: AlbumPickRequest): Promise<CallResult<AlbumPickResult>> {
    const answer = await this.call({
      role: 'albums',
      model: request.model,
      prompt: request.prompt,
      shape: ALBUM_PICK_SHAPE,
      maxOutputTokens: 300 + request.count * 150,
    });
    let value: AlbumPickResult;
    try {
      value = { picks: readAlbumPicks(answer.value), formatError: null };
    } catch (err) {
      if (!(err instanceof ReplyFormatError)) throw err;
      value = { picks: [], formatError: err.message };
    }
    return { value, usage: answer.usage, inputChars: charsOf(request.prompt) };
  }

  async discoverAlbums(prompt: PromptPair, model: string): Promise<CallResult<DiscoveryResult>> {
    const answer = await this.call({ role: 'discovery', model, prompt, shape: DISCOVERY_SHAPE, maxOutputTokens: 900 });
    let value: DiscoveryResult;
    try {
      value = { suggestions: readDiscovery(answer.value), formatError: null };
    } catch (err) {
      if (!(err instanceof ReplyFormatError)) throw err;
      value = { suggestions: [], formatError: err.message };
    }
    return { value, usage: answer.usage, inputChars: charsOf(prompt) };
  }
}
