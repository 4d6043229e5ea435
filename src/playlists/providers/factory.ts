// Building a provider from the configuration, and the models for each role. Settings (LLM_MODEL_ANALYSIS,
// LLM_MODEL_GENERATION) apply to the configured provider; another provider chosen per request uses its
// defaults unless the request names a model. OpenAI-compatible servers have no default: the model is required.
import type { Config } from '../../config.js';
import { AnthropicProvider } from './anthropic.js';
import { ProviderConfigError } from './errors.js';
import { GeminiProvider } from './gemini.js';
import { OfflineProvider } from './offline.js';
import { OpenAiCompatibleProvider } from './openai-compatible.js';
import { OpenAiProvider } from './openai.js';
import type { PlaylistProvider, ProviderName } from './provider.js';

export type LlmSettings = Config['llm'];

/** Current cheap models (November 2026 price lists); change them in Settings when a provider retires one. */
export const DEFAULT_MODELS: Record<ProviderName, { analysis: string; generation: string } | null> = {
  openai: { analysis: 'gpt-5-nano', generation: 'gpt-5-mini' },
  anthropic: { analysis: 'claude-haiku-4-5', generation: 'claude-haiku-4-5' },
  gemini: { analysis: 'gemini-2.5-flash-lite', generation: 'gemini-2.5-flash' },
  'openai-compatible': null,
  offline: { analysis: 'offline', generation: 'offline' },
};

/** Context windows (tokens) that bound how many tracks are sent. */
export function contextTokens(name: ProviderName, model: string, llm: LlmSettings): number {
  if (name === 'openai-compatible') return llm.compatible.contextTokens;
  if (name === 'anthropic') return 200_000;
  if (name === 'gemini') return 1_000_000;
  if (name === 'openai') return /^gpt-4o|^gpt-4-/.test(model) ? 128_000 : 400_000;
  return Number.POSITIVE_INFINITY;
}

export function modelsFor(name: ProviderName, llm: LlmSettings, requested?: string | null): { analysis: string; generation: string } {
  const fromSettings =
    name === llm.provider ? { analysis: llm.modelAnalysis, generation: llm.modelGeneration } : { analysis: null, generation: null };
  const defaults = DEFAULT_MODELS[name];
  const generation = requested ?? fromSettings.generation ?? defaults?.generation ?? null;
  if (generation === null) {
    throw new ProviderConfigError(
      name,
      'the openai-compatible provider needs a model name: set LLM_MODEL_GENERATION (Settings → Generation model) or pass "model"',
    );
  }
  return { analysis: fromSettings.analysis ?? defaults?.analysis ?? generation, generation };
}

export interface ProviderTuning {
  maxRetries?: number;
  timeoutMs?: number;
}

export function createProvider(name: ProviderName, llm: LlmSettings, tuning: ProviderTuning = {}): PlaylistProvider {
  // A key bound to another base URL counts as no key: it is never handed to a client for this URL.
  const withheld = name === 'offline' ? undefined : llm.withheldKeys?.[name];
  if (withheld) throw new ProviderConfigError(name, `${name} has no key for this base URL: ${withheld} (Settings → Playlists)`);
  const key = (value: string | null, variable: string): string => {
    if (!value) throw new ProviderConfigError(name, `${name} needs an API key: set ${variable} (Settings → Playlists)`);
    return value;
  };
  switch (name) {
    case 'openai':
      return new OpenAiProvider({ apiKey: key(llm.keys.openai, 'OPENAI_API_KEY'), baseUrl: llm.baseUrls.openai, ...tuning });
    case 'anthropic':
      return new AnthropicProvider({ apiKey: key(llm.keys.anthropic, 'ANTHROPIC_API_KEY'), baseUrl: llm.baseUrls.anthropic, ...tuning });
    case 'gemini':
      return new GeminiProvider({
        apiKey: key(llm.keys.gemini, 'GEMINI_API_KEY'),
        baseUrl: llm.baseUrls.gemini,
        attempts: tuning.maxRetries === undefined ? undefined : tuning.maxRetries + 1,
        timeoutMs: tuning.timeoutMs,
      });
    case 'openai-compatible': {
      const baseUrl = llm.compatible.baseUrl;
      if (!baseUrl)
        throw new ProviderConfigError(
          name,
          'the openai-compatible provider needs OPENAI_COMPATIBLE_BASE_URL (e.g. http://localhost:11434/v1)',
        );
      return new OpenAiCompatibleProvider({
        baseUrl,
        apiKey: llm.compatible.apiKey,
        contextTokens: llm.compatible.contextTokens,
        flavor: llm.compatible.flavor,
        ...tuning,
      });
    }
    case 'offline':
      return new OfflineProvider();
  }
}
