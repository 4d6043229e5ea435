// Provider errors say what to change. A rejected model names the setting (MediaSage issue 26: a retired
// default broke fresh installs with no way out); a rejected key names the key's variable.
import { STATUS_CODES } from 'node:http';
import type { CallRole, ProviderName } from './provider.js';

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly provider: ProviderName,
    readonly status: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export const modelSetting = (role: CallRole): string =>
  role === 'analysis' || role === 'seed' ? 'LLM_MODEL_ANALYSIS' : 'LLM_MODEL_GENERATION';
const settingsField = (role: CallRole): string => (role === 'analysis' || role === 'seed' ? 'Analysis model' : 'Generation model');

export class ModelRejectedError extends ProviderError {
  constructor(
    provider: ProviderName,
    readonly model: string,
    readonly role: CallRole,
    status: number | null,
    detail: string,
  ) {
    super(
      `playlists: ${provider} rejected the model "${model}" (${status ?? 'error'}: ${detail}); set ${modelSetting(role)} ` +
        `(Settings → ${settingsField(role)}) to a model your ${provider} account offers`,
      provider,
      status,
    );
  }
}

export const KEY_SETTING: Record<ProviderName, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  gemini: 'GEMINI_API_KEY',
  'openai-compatible': 'OPENAI_COMPATIBLE_API_KEY',
  offline: '',
};

export class ProviderAuthError extends ProviderError {
  constructor(provider: ProviderName, status: number) {
    super(`playlists: ${provider} refused the API key (${status}); check ${KEY_SETTING[provider]}`, provider, status);
  }
}

export class ProviderConfigError extends ProviderError {
  constructor(provider: ProviderName, message: string) {
    super(`playlists: ${message}`, provider, null);
  }
}

/**
 * Maps an SDK error to ours. The message says the status and a fixed reason, never the answer's body: a
 * base URL can point anywhere, and what a foreign server answered must not come back through Sagewire's
 * pages. The body is only read to tell a refused model from other bad requests. 404 on these endpoints
 * can only mean the model.
 */
export function classifyProviderError(provider: ProviderName, role: CallRole, model: string, err: unknown): Error {
  const e = err as { status?: number; message?: string; name?: string; code?: string; error?: { code?: string; type?: string } };
  const status = typeof e?.status === 'number' ? e.status : null;
  const message = String(e?.message ?? err).slice(0, 300);
  const code = e?.code ?? e?.error?.code ?? '';
  if (status === 401 || status === 403) return new ProviderAuthError(provider, status);
  if (
    status === 404 ||
    code === 'model_not_found' ||
    (status === 400 && /\bmodel\b/i.test(message) && /not|invalid|unknown|unsupported|exist/i.test(message))
  ) {
    return new ModelRejectedError(provider, model, role, status, status === 404 ? 'not found' : 'unknown model');
  }
  return new ProviderError(
    `playlists: ${provider} call failed (${status ?? 'no answer'}): ${fixedReason(status, e?.name ?? '')}`,
    provider,
    status,
    { cause: err },
  );
}

/** A reason chosen from the status alone (or, without an answer, from the kind of failure). */
export function fixedReason(status: number | null, errorName = ''): string {
  if (status === null) return /timeout/i.test(errorName) ? 'no answer in time' : 'could not reach the server';
  if (status >= 300 && status < 400)
    return 'the server answered with a redirect, which Sagewire does not follow (the key would go with it); set the base URL it points to';
  return STATUS_CODES[status] ?? 'unexpected answer';
}

/** Errors the person must fix in Settings; everything else a provider does wrong is recovered from. */
export function isConfigError(err: unknown): boolean {
  return err instanceof ModelRejectedError || err instanceof ProviderAuthError || err instanceof ProviderConfigError;
}
