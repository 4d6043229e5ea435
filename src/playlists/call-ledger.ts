// Every provider call of one generation: its role, provider, model, reported tokens, characters sent
// and cost. Feeds the response, the history row and the chars-per-token calibration.
import { costOf, priceOf, type PriceTable, type Usage } from '../domain/playlist/index.js';
import type { CallRole, CallResult, ProviderName } from './providers/provider.js';
import type { TokenEstimator } from './token-count.js';

export interface CallUsage {
  role: CallRole;
  provider: ProviderName;
  model: string;
  inputTokens: number;
  outputTokens: number;
  inputChars: number;
  /** Dollars; null when the model has no price in the table. */
  cost: number | null;
  error?: string;
}

export class CallLedger {
  readonly calls: CallUsage[] = [];

  constructor(
    private readonly prices: PriceTable,
    private readonly tokens: TokenEstimator,
  ) {}

  record(
    role: CallRole,
    provider: ProviderName,
    model: string,
    result: Pick<CallResult<unknown>, 'usage' | 'inputChars'>,
    error?: string,
  ): void {
    const usage: Usage = result.usage;
    this.calls.push({
      role,
      provider,
      model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      inputChars: result.inputChars,
      cost: costOf(priceOf(this.prices, provider, model), usage),
      ...(error ? { error } : {}),
    });
    this.tokens.record(provider, model, result.inputChars, usage.inputTokens);
  }

  failed(role: CallRole, provider: ProviderName, model: string, error: string): void {
    this.calls.push({ role, provider, model, inputTokens: 0, outputTokens: 0, inputChars: 0, cost: 0, error });
  }

  get totalCost(): number | null {
    let total = 0;
    for (const c of this.calls) {
      if (c.cost === null) return null;
      total += c.cost;
    }
    return Math.round(total * 1e6) / 1e6;
  }

  get totals(): { inputTokens: number; outputTokens: number } {
    return this.calls.reduce((t, c) => ({ inputTokens: t.inputTokens + c.inputTokens, outputTokens: t.outputTokens + c.outputTokens }), {
      inputTokens: 0,
      outputTokens: 0,
    });
  }
}

/** The ledger as a history row stores it (playlist generations and album recommendations alike). */
export function ledgerColumns(ledger: CallLedger) {
  return {
    calls: JSON.stringify(ledger.calls),
    input_tokens: ledger.totals.inputTokens,
    output_tokens: ledger.totals.outputTokens,
    cost: ledger.totalCost,
  };
}
