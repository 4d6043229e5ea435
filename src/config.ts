// Configuration: defaults ← settings saved in the database ← environment. Validated once, every
// problem listed together, then frozen. Nothing else in Sagewire reads process.env.
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { BOUND_SECRETS, boundUrlSetting, withheldReason, type BoundSecretName } from './secrets/binding.js';

const bool = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'].includes(v), 'expected true/false')
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = z
  .string()
  .trim()
  .url()
  .refine((v) => /^https?:\/\//.test(v), 'must start with http:// or https://')
  .transform((v) => v.replace(/\/+$/, ''));

/** Every setting, by the environment variable that overrides it. */
const schema = z.object({
  PLEX_URL: url.optional(),
  PLEX_TOKEN: z.string().trim().min(1).optional(),
  // One music section, or several separated by commas (a title with a comma in it is named by its id).
  PLEX_MUSIC_LIBRARY: z
    .string()
    .trim()
    .refine((v) => musicLibraryNames(v).length > 0, 'expected the title or id of a music library, or several separated by commas')
    .default('Music'),
  /** plex.tv for "Sign in with Plex" (the simulator's stand-in in tests). */
  PLEX_TV_URL: url.default('https://plex.tv'),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(8765),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  WEBHOOK_SECRET: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  API_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
  WEBHOOKS: z.enum(['on', 'off']).default('on'),
  /** Plex account ids (comma-separated) whose events count even though they are not the token's account. */
  WEBHOOK_ACCOUNTS: z
    .string()
    .trim()
    .regex(/^\d+(\s*,\s*\d+)*$/, 'expected comma-separated Plex account ids')
    .optional(),
  RECONCILE_MINUTES: int(1, 24 * 60).default(10),
  /** Days a processed webhook keeps its payload; its summary row is kept 3× as long (at least 7 days). */
  INBOX_RETENTION_DAYS: int(0, 3650).default(30),
  /** Behind a reverse proxy: trust X-Forwarded-Proto/-For (Secure cookies over https, client IPs for rate limits). */
  TRUST_PROXY: bool.default(false),
  LLM_PROVIDER: z.enum(['openai', 'anthropic', 'gemini', 'openai-compatible', 'offline']).default('offline'),
  OPENAI_API_KEY: z.string().trim().min(1).optional(),
  ANTHROPIC_API_KEY: z.string().trim().min(1).optional(),
  GEMINI_API_KEY: z.string().trim().min(1).optional(),
  OPENAI_BASE_URL: url.optional(),
  ANTHROPIC_BASE_URL: url.optional(),
  GEMINI_BASE_URL: url.optional(),
  LLM_MODEL_ANALYSIS: z.string().trim().min(1).optional(),
  LLM_MODEL_GENERATION: z.string().trim().min(1).optional(),
  /** OpenAI-compatible servers (Ollama, LM Studio, llama.cpp, vLLM): base URL including /v1, optional key. */
  OPENAI_COMPATIBLE_BASE_URL: url.optional(),
  OPENAI_COMPATIBLE_API_KEY: z.string().trim().min(1).optional(),
  /** Context window (tokens) of the local model; sent to Ollama as num_ctx and used to size the pool. */
  OPENAI_COMPATIBLE_CONTEXT: int(1024, 2_000_000).default(8192),
  /** `ollama` uses Ollama's native chat endpoint (to set num_ctx); `auto` picks it for port 11434. */
  OPENAI_COMPATIBLE_FLAVOR: z.enum(['auto', 'ollama', 'generic']).default('auto'),
  /** Price overrides, JSON: {"openai": {"gpt-5-mini": {"input": 0.25, "output": 2}}} (USD per million tokens). */
  LLM_PRICES: z
    .string()
    .trim()
    .refine((v) => {
      try {
        return typeof JSON.parse(v) === 'object';
      } catch {
        return false;
      }
    }, 'expected a JSON object')
    .optional(),
  DRY_RUN: bool.default(false),
  INFERRED_TAG: z.string().trim().default('Rating_Inferred'),
  RATING_WRITE_MODE: z.enum(['auto', 'rate', 'bulk']).default('auto'),
  WRITE_CONCURRENCY: int(1, 32).default(4),
  WRITE_BATCH_SIZE: int(1, 1000).default(100),
  WRITE_BATCH_PAUSE_MS: int(0, 600_000).default(0),
  PLEX_TIMEOUT_MS: int(100, 600_000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly host: string;
  readonly port: number;
  readonly plex: {
    readonly url: string | null;
    readonly token: string | null;
    /** The first music section named (the one the state database `dbPath` belongs to when it is first used). */
    readonly musicLibrary: string;
    /** Every music section named, in the order given; each keeps its state apart (src/app/sections.ts). */
    readonly musicLibraries: readonly string[];
    readonly timeoutMs: number;
    /** Why the token is not sent to `url` (secrets/binding.ts), or null. */
    readonly tokenWithheld: string | null;
  };
  /** plex.tv's base URL for "Sign in with Plex" (PLEX_TV_URL). */
  readonly plexTvUrl: string;
  readonly adminPassword: string | null;
  readonly webhookSecret: string | null;
  readonly apiToken: string | null;
  readonly webhooks: 'on' | 'off';
  readonly webhookAccounts: readonly number[];
  readonly reconcileMinutes: number;
  /** Days a processed webhook keeps its payload in the inbox (rows: see db/inbox-retention-repo). */
  readonly inboxRetentionDays: number;
  readonly trustProxy: boolean;
  readonly llm: {
    readonly provider: 'openai' | 'anthropic' | 'gemini' | 'openai-compatible' | 'offline';
    readonly keys: { readonly openai: string | null; readonly anthropic: string | null; readonly gemini: string | null };
    readonly baseUrls: { readonly openai: string | null; readonly anthropic: string | null; readonly gemini: string | null };
    readonly modelAnalysis: string | null;
    readonly modelGeneration: string | null;
    readonly compatible: {
      readonly baseUrl: string | null;
      readonly apiKey: string | null;
      readonly contextTokens: number;
      readonly flavor: 'auto' | 'ollama' | 'generic';
    };
    /** Why a provider's key is not sent to its base URL (secrets/binding.ts); the provider factory refuses to use it. */
    readonly withheldKeys: Readonly<Partial<Record<'openai' | 'anthropic' | 'gemini' | 'openai-compatible', string>>>;
    /** Parsed LLM_PRICES, or null for the defaults. */
    readonly prices: Readonly<Record<string, Readonly<Record<string, { readonly input: number; readonly output: number }>>>> | null;
  };
  readonly dryRun: boolean;
  readonly inferredTag: string;
  readonly writer: {
    readonly mode: 'auto' | 'rate' | 'bulk';
    readonly concurrency: number;
    readonly batchSize: number;
    readonly batchPauseMs: number;
  };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Rating-model parameter overrides from `RATING_<NAME>` variables, e.g. RATING_C=3.5, RATING_TWINS_ENABLED=false. */
  readonly ratingOverrides: Readonly<Record<string, string>>;
  /** Names whose value came from the environment (the UI shows them as fixed and does not edit them). */
  readonly fixedByEnv: readonly string[];
  /** NODE_ENV=production: the page templates are compiled once even when Sagewire runs from source. */
  readonly production: boolean;
  /**
   * The environment's settings this configuration was loaded with (the variables it reads, nothing else), so
   * `reloadConfig` can merge newly saved settings under them while Sagewire runs.
   */
  readonly env: Readonly<Record<string, string>>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`config: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Settings saved in the database use the same names as the environment (e.g. `PLEX_URL`). */
export type SavedSettings = Readonly<Record<string, string>>;

export const SECRET_NAMES: ReadonlySet<string> = new Set([
  'PLEX_TOKEN',
  'ADMIN_PASSWORD',
  'WEBHOOK_SECRET',
  'API_TOKEN',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GEMINI_API_KEY',
  'OPENAI_COMPATIBLE_API_KEY',
]);

export function loadConfig(env: NodeJS.ProcessEnv, saved: SavedSettings = {}): Config {
  const merged: Record<string, string> = {};
  for (const name of Object.keys(schema.shape)) {
    const fromEnv = env[name];
    const value = fromEnv !== undefined && fromEnv !== '' ? fromEnv : saved[name];
    if (value !== undefined && value !== '') merged[name] = value;
  }
  // An explicitly empty INFERRED_TAG (environment, or saved from the UI) disables tagging, so keep it.
  if (env.INFERRED_TAG === '' || (env.INFERRED_TAG === undefined && saved.INFERRED_TAG === '')) merged.INFERRED_TAG = '';
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'config');
        const shown = SECRET_NAMES.has(name) ? '' : merged[name] !== undefined ? ` (got "${merged[name]}")` : '';
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const v = parsed.data;
  const withheld = (name: BoundSecretName): string | null => {
    const urlName = BOUND_SECRETS[name].urlName;
    const fromEnv = (n: string) => env[n] !== undefined && env[n] !== '';
    const url = (v as Record<string, unknown>)[urlName];
    return withheldReason(name, {
      secret: merged[name] ?? null,
      secretFromEnv: fromEnv(name),
      url: typeof url === 'string' ? url : null,
      urlFromEnv: fromEnv(urlName),
      recorded: saved[boundUrlSetting(name)] ?? null,
    });
  };
  const withheldKeys: Partial<Record<'openai' | 'anthropic' | 'gemini' | 'openai-compatible', string>> = {};
  for (const [provider, name] of [
    ['openai', 'OPENAI_API_KEY'],
    ['anthropic', 'ANTHROPIC_API_KEY'],
    ['gemini', 'GEMINI_API_KEY'],
    ['openai-compatible', 'OPENAI_COMPATIBLE_API_KEY'],
  ] as const) {
    const reason = withheld(name);
    if (reason) withheldKeys[provider] = reason;
  }
  const dataDir = resolve(v.DATA_DIR);
  const ratingOverrides: Record<string, string> = {};
  // Saved model parameters (`RATING_C` rows from the Settings page) first, so the environment wins.
  for (const [name, value] of [...Object.entries(saved), ...Object.entries(env)]) {
    if (name.startsWith('RATING_') && name !== 'RATING_WRITE_MODE' && value !== undefined && value !== '') {
      ratingOverrides[name.slice('RATING_'.length)] = value;
    }
  }
  return deepFreeze({
    dataDir,
    dbPath: join(dataDir, 'sagewire.db'),
    host: v.HOST,
    port: v.PORT,
    plex: {
      url: v.PLEX_URL ?? null,
      token: v.PLEX_TOKEN ?? null,
      musicLibrary: musicLibraryNames(v.PLEX_MUSIC_LIBRARY)[0],
      musicLibraries: musicLibraryNames(v.PLEX_MUSIC_LIBRARY),
      timeoutMs: v.PLEX_TIMEOUT_MS,
      tokenWithheld: withheld('PLEX_TOKEN'),
    },
    plexTvUrl: v.PLEX_TV_URL,
    adminPassword: v.ADMIN_PASSWORD ?? null,
    webhookSecret: v.WEBHOOK_SECRET ?? null,
    apiToken: v.API_TOKEN ?? null,
    webhooks: v.WEBHOOKS,
    webhookAccounts: v.WEBHOOK_ACCOUNTS ? v.WEBHOOK_ACCOUNTS.split(',').map((id) => Number(id.trim())) : [],
    reconcileMinutes: v.RECONCILE_MINUTES,
    inboxRetentionDays: v.INBOX_RETENTION_DAYS,
    trustProxy: v.TRUST_PROXY,
    llm: {
      provider: v.LLM_PROVIDER,
      keys: { openai: v.OPENAI_API_KEY ?? null, anthropic: v.ANTHROPIC_API_KEY ?? null, gemini: v.GEMINI_API_KEY ?? null },
      baseUrls: { openai: v.OPENAI_BASE_URL ?? null, anthropic: v.ANTHROPIC_BASE_URL ?? null, gemini: v.GEMINI_BASE_URL ?? null },
      modelAnalysis: v.LLM_MODEL_ANALYSIS ?? null,
      modelGeneration: v.LLM_MODEL_GENERATION ?? null,
      compatible: {
        baseUrl: v.OPENAI_COMPATIBLE_BASE_URL ?? null,
        apiKey: v.OPENAI_COMPATIBLE_API_KEY ?? null,
        contextTokens: v.OPENAI_COMPATIBLE_CONTEXT,
        flavor: v.OPENAI_COMPATIBLE_FLAVOR,
      },
      withheldKeys,
      prices: v.LLM_PRICES ? (JSON.parse(v.LLM_PRICES) as Record<string, Record<string, { input: number; output: number }>>) : null,
    },
    dryRun: v.DRY_RUN,
    inferredTag: v.INFERRED_TAG,
    writer: {
      mode: v.RATING_WRITE_MODE,
      concurrency: v.WRITE_CONCURRENCY,
      batchSize: v.WRITE_BATCH_SIZE,
      batchPauseMs: v.WRITE_BATCH_PAUSE_MS,
    },
    logLevel: v.LOG_LEVEL,
    ratingOverrides,
    fixedByEnv: Object.keys(env).filter((name) => isEnvFixed(name, env[name])),
    production: env.NODE_ENV === 'production',
    env: settingsOfEnv(env),
  });
}

/** The sections a PLEX_MUSIC_LIBRARY value names: comma-separated, trimmed, each once (case-insensitively). */
export function musicLibraryNames(value: string): string[] {
  const names: string[] = [];
  for (const part of value.split(',')) {
    const name = part.trim();
    if (name && !names.some((n) => n.toLowerCase() === name.toLowerCase())) names.push(name);
  }
  return names;
}

/** The configuration as it stands now: the same environment over the settings saved since start. */
export function reloadConfig(config: Config, saved: SavedSettings): Config {
  return loadConfig(config.env, saved);
}

/** Only the variables the configuration reads: a reload never sees anything else of the process's environment. */
function settingsOfEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name in schema.shape || name.startsWith('RATING_') || name === 'NODE_ENV') kept[name] = value;
  }
  return kept;
}

/**
 * The `llm` block alone, validated exactly as at start: for the Settings page, which checks the playlist
 * settings before it saves them. `fixed` holds the values the environment fixes (read as the environment),
 * `saved` the rest; a problem throws ConfigError naming the setting.
 */
export function llmConfigFrom(fixed: Readonly<Record<string, string>>, saved: SavedSettings): Config['llm'] {
  return loadConfig(fixed, saved).llm;
}

function isEnvFixed(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (name === 'INFERRED_TAG') return true; // empty means "no tag", and is still a choice
  if (value === '') return false;
  return name in schema.shape || (name.startsWith('RATING_') && name !== 'RATING_WRITE_MODE');
}

/** `sagewire demo`'s configuration: the environment, on the demo's simulated Plex with offline models. */
export interface DemoConfig {
  config: Config;
  /** The data folder as given (DATA_DIR) or made. */
  dataDir: string;
  /** DATA_DIR was not set: the demo made a temporary folder, removed on exit. */
  temporaryDataDir: boolean;
  /** ADMIN_PASSWORD was set: the demo's own password is not in use. */
  ownPassword: boolean;
}

export function demoConfig(
  env: NodeJS.ProcessEnv,
  demo: { plexUrl: string; plexToken: string; port?: string; password: string; temporaryDataDir: () => string },
): DemoConfig {
  const dataDir = env.DATA_DIR ?? demo.temporaryDataDir();
  const config = loadConfig({
    ...env,
    PLEX_URL: demo.plexUrl,
    PLEX_TOKEN: demo.plexToken,
    DATA_DIR: dataDir,
    PORT: demo.port ?? env.PORT ?? '8765',
    HOST: env.HOST ?? '127.0.0.1',
    ADMIN_PASSWORD: env.ADMIN_PASSWORD ?? demo.password,
    LLM_PROVIDER: 'offline',
  });
  return { config, dataDir, temporaryDataDir: !env.DATA_DIR, ownPassword: Boolean(env.ADMIN_PASSWORD) };
}

/** The Plex connection, or a clear error naming what to set. */
export function requirePlex(config: Config): { url: string; token: string; musicLibrary: string; timeoutMs: number } {
  const missing = [config.plex.url ? null : 'PLEX_URL', config.plex.token ? null : 'PLEX_TOKEN'].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigError([`${missing.join(' and ')} must be set (environment, or the Setup page) to reach Plex`]);
  }
  if (config.plex.tokenWithheld) throw new ConfigError([`PLEX_TOKEN: ${config.plex.tokenWithheld}`]);
  return { url: config.plex.url!, token: config.plex.token!, musicLibrary: config.plex.musicLibrary, timeoutMs: config.plex.timeoutMs };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
