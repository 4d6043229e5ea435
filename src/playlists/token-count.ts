// Token counts before a call. OpenAI: the real tokenizer (js-tiktoken, o200k_base — the encoding of the
// GPT-4o/4.1/5 families — bundled, no network). Anthropic, Gemini and local models publish no local
// tokenizer usable here, so a chars-per-token ratio is used, MEASURED from the provider's own reported
// input tokens: every call records (characters sent, input tokens reported) and the ratio for that
// provider and model is Σ chars / Σ tokens over its calls (seeded from history at start, used once
// ≥ 200 tokens were seen). Until then the starting ratio applies: bench/playlist-pool.ts measures
// 2.73 chars per o200k token on 1,500 track lines of the generated library (names with diacritics are
// token-hungry); other tokenizers are assumed no better and start at 2.5, erring towards sending fewer
// tracks rather than overflowing a context window.
import { Tiktoken } from 'js-tiktoken/lite';
import o200k_base from 'js-tiktoken/ranks/o200k_base';
import type { CountTokens } from '../domain/playlist/index.js';
import type { ProviderName } from './providers/provider.js';

let encoder: Tiktoken | null = null;

/** The OpenAI tokenizer (o200k_base), built once on first use (~100 ms). */
export const countOpenAiTokens: CountTokens = (text) => {
  encoder ??= new Tiktoken(o200k_base);
  return encoder.encode(text).length;
};

const STARTING_RATIO: Record<ProviderName, number> = {
  openai: 2.7,
  anthropic: 2.5,
  gemini: 2.5,
  'openai-compatible': 2.5,
  offline: 2.7,
};

export class TokenEstimator {
  private readonly seen = new Map<string, { chars: number; tokens: number }>();

  counter(provider: ProviderName, model: string): CountTokens {
    if (provider === 'openai') return countOpenAiTokens;
    const ratio = this.ratio(provider, model);
    return (text) => Math.ceil(text.length / ratio);
  }

  ratio(provider: ProviderName, model: string): number {
    const s = this.seen.get(`${provider}\u0000${model}`);
    return s && s.tokens >= 200 ? s.chars / s.tokens : STARTING_RATIO[provider];
  }

  /** Records one call's characters sent and the input tokens the provider reported. */
  record(provider: ProviderName, model: string, chars: number, tokens: number): void {
    if (chars <= 0 || tokens <= 0) return;
    const key = `${provider}\u0000${model}`;
    const s = this.seen.get(key) ?? { chars: 0, tokens: 0 };
    this.seen.set(key, { chars: s.chars + chars, tokens: s.tokens + tokens });
  }
}
