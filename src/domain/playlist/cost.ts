// Prices in US dollars per million tokens, by provider and model. The defaults are list prices when this
// was written; the person edits them in Settings (LLM_PRICES, JSON of the same shape), and local models
// (openai-compatible, offline) cost nothing unless a price is set for them.
//   cost = inputTokens · input / 1e6 + outputTokens · output / 1e6
import type { Usage } from './types.js';

export interface ModelPrice {
  input: number;
  output: number;
}

export type PriceTable = Record<string, Record<string, ModelPrice>>;

export const DEFAULT_PRICES: PriceTable = {
  openai: {
    'gpt-5-mini': { input: 0.25, output: 2.0 },
    'gpt-5-nano': { input: 0.05, output: 0.4 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6 },
    'gpt-4o-mini': { input: 0.15, output: 0.6 },
  },
  anthropic: {
    'claude-haiku-4-5': { input: 1.0, output: 5.0 },
    'claude-sonnet-4-5': { input: 3.0, output: 15.0 },
  },
  gemini: {
    'gemini-2.5-flash': { input: 0.3, output: 2.5 },
    'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  },
};

const FREE = new Set(['offline', 'openai-compatible']);

/** The price of a model, matching dated variants ("gpt-5-mini-2025-08-07") by prefix; null when unknown. */
export function priceOf(table: PriceTable, provider: string, model: string): ModelPrice | null {
  const models = table[provider] ?? {};
  if (models[model]) return models[model];
  const prefix = Object.keys(models)
    .filter((m) => model.startsWith(m))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix) return models[prefix];
  return FREE.has(provider) ? { input: 0, output: 0 } : null;
}

/** Dollars, or null when the model has no price (shown as "unknown", never as free). */
export function costOf(price: ModelPrice | null, usage: Usage): number | null {
  if (price === null) return null;
  return Math.round(((usage.inputTokens * price.input + usage.outputTokens * price.output) / 1e6) * 1e6) / 1e6;
}

/** Merges the person's edits over the defaults (model by model). */
export function mergePrices(base: PriceTable, edits: PriceTable): PriceTable {
  const merged: PriceTable = {};
  for (const provider of new Set([...Object.keys(base), ...Object.keys(edits)])) {
    merged[provider] = { ...(base[provider] ?? {}), ...(edits[provider] ?? {}) };
  }
  return merged;
}

/** Output tokens a generation reply of `count` tracks takes: ids, reasons and the framing. */
export function expectedOutputTokens(count: number): number {
  return 80 + count * 22;
}
