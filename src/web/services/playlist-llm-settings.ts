// The playlist settings the Settings page edits: the provider, keys (shown only as set/unset), base URLs,
// the models of the analysis and generation roles per provider, and the price table (a form of its own). Saved under the
// environment's names (the environment wins, shown fixed); per-provider models are saved as
// `LLM_MODEL_<ROLE>_<PROVIDER>`, and LLM_MODEL_ANALYSIS / LLM_MODEL_GENERATION (environment) still fix the
// configured provider's models. Validation is the configuration's own (llmConfigFrom), so a saved value can
// never stop Sagewire from starting. A key is bound to its base URL (secrets/binding.ts): a saved key to the
// URL saved with it, the environment's to the environment's (or the provider's own); changing the base
// URL needs the key typed again, and a key bound elsewhere is shown, and used, as no key.
import { ConfigError, llmConfigFrom } from '../../config.js';
import { DEFAULT_PRICES, type PriceTable } from '../../domain/playlist/index.js';
import { DEFAULT_MODELS, PROVIDER_NAMES, type LlmSettings, type ProviderName } from '../../playlists/index.js';
import { allowedUrl, bindingToRecord, boundUrlSetting, targetUrl, type BoundSecretName, type SecretState } from '../../secrets/binding.js';
import type { SettingsService } from './settings.js';

export type ModelProvider = Exclude<ProviderName, 'offline'>;
export const MODEL_PROVIDERS: readonly ModelProvider[] = ['openai', 'anthropic', 'gemini', 'openai-compatible'];
export const PROVIDER_LABELS: Record<ProviderName, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  gemini: 'Google Gemini',
  'openai-compatible': 'OpenAI-compatible (Ollama, LM Studio…)',
  offline: 'Offline (no model)',
};

const SUFFIX: Record<ModelProvider, string> = {
  openai: 'OPENAI',
  anthropic: 'ANTHROPIC',
  gemini: 'GEMINI',
  'openai-compatible': 'COMPATIBLE',
};
export const modelSettingName = (provider: ModelProvider, role: 'analysis' | 'generation'): string =>
  `LLM_MODEL_${role.toUpperCase()}_${SUFFIX[provider]}`;

export const KEY_NAMES: Record<ModelProvider, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  gemini: 'GEMINI_API_KEY',
  'openai-compatible': 'OPENAI_COMPATIBLE_API_KEY',
};
export const URL_NAMES: Record<ModelProvider, string> = {
  openai: 'OPENAI_BASE_URL',
  anthropic: 'ANTHROPIC_BASE_URL',
  gemini: 'GEMINI_BASE_URL',
  'openai-compatible': 'OPENAI_COMPATIBLE_BASE_URL',
};
/** The rows recording the base URL each saved key was saved with. */
const BINDING_NAMES = Object.values(KEY_NAMES).map((name) => boundUrlSetting(name as BoundSecretName));
/** Names the configuration reads for the `llm` block. */
const CONFIG_NAMES = [
  'LLM_PROVIDER',
  ...Object.values(KEY_NAMES),
  ...Object.values(URL_NAMES),
  'LLM_MODEL_ANALYSIS',
  'LLM_MODEL_GENERATION',
  'OPENAI_COMPATIBLE_CONTEXT',
  'OPENAI_COMPATIBLE_FLAVOR',
  'LLM_PRICES',
];

/** The configuration's value of an `llm` setting, as the environment would spell it. */
function configValue(llm: LlmSettings, name: string): string | null {
  const keyOf = Object.entries(KEY_NAMES).find(([, n]) => n === name)?.[0] as ModelProvider | undefined;
  if (keyOf) return keyOf === 'openai-compatible' ? llm.compatible.apiKey : llm.keys[keyOf];
  const urlOf = Object.entries(URL_NAMES).find(([, n]) => n === name)?.[0] as ModelProvider | undefined;
  if (urlOf) return urlOf === 'openai-compatible' ? llm.compatible.baseUrl : llm.baseUrls[urlOf];
  switch (name) {
    case 'LLM_PROVIDER':
      return llm.provider;
    case 'LLM_MODEL_ANALYSIS':
      return llm.modelAnalysis;
    case 'LLM_MODEL_GENERATION':
      return llm.modelGeneration;
    case 'OPENAI_COMPATIBLE_CONTEXT':
      return String(llm.compatible.contextTokens);
    case 'OPENAI_COMPATIBLE_FLAVOR':
      return llm.compatible.flavor;
    case 'LLM_PRICES':
      return llm.prices ? JSON.stringify(llm.prices) : null;
    default:
      return null;
  }
}

export interface EffectiveLlm {
  llm: LlmSettings;
  /** Models per provider (null: none set, the provider's default applies). */
  models: Record<ModelProvider, { analysis: string | null; generation: string | null }>;
}

export interface ProviderView {
  name: ModelProvider;
  label: string;
  keyName: string;
  keySet: boolean;
  keyFixed: boolean;
  /** Why the key is not sent to the base URL in effect (shown; the provider then has no key), or null. */
  keyWithheld: string | null;
  urlName: string;
  url: string;
  urlFixed: boolean;
  analysis: { name: string; value: string; placeholder: string; fixed: boolean; fixedBy: string };
  generation: { name: string; value: string; placeholder: string; fixed: boolean; fixedBy: string };
}

export interface PlaylistSettingsView {
  provider: ProviderName;
  providerFixed: boolean;
  providers: { name: ProviderName; label: string }[];
  models: ProviderView[];
  errors: Record<string, string>;
  saved: boolean;
}

/** One row of the price table as shown: saved, as typed (after a refusal), or the blank row that adds a model. */
export interface PriceRowView {
  index: number;
  provider: string;
  model: string;
  input: string;
  output: string;
  remove: boolean;
}

export interface PriceTableView {
  rows: PriceRowView[];
  /** LLM_PRICES is set in the environment: the table is shown, not edited. */
  fixed: boolean;
  providers: { name: string; label: string }[];
  /** The built-in list prices the rows override, for reference. */
  builtIn: { provider: string; model: string; input: number; output: number }[];
  /** Problems by field name (`price_input_2`); nothing was saved when there are any. */
  errors: Record<string, string>;
  saved: boolean;
}

/** The rows of a price table, in its order. */
const rowsOfTable = (table: PriceTable): PriceRowView[] =>
  Object.entries(table)
    .flatMap(([provider, models]) =>
      Object.entries(models).map(([model, price]) => ({
        provider,
        model,
        input: String(price.input),
        output: String(price.output),
        remove: false,
      })),
    )
    .map((row, index) => ({ index, ...row }));

export class PlaylistSettings {
  constructor(
    private readonly settings: SettingsService,
    private readonly configured: LlmSettings,
  ) {}

  private fixed(name: string): boolean {
    return this.settings.fixedByEnv(name);
  }

  /**
   * The `llm` names as the configuration takes them: environment-fixed values as the environment, the rest (and the
   * key bindings) as saved.
   */
  private async values(
    overrides: Record<string, string | null> = {},
  ): Promise<{ env: Record<string, string>; saved: Record<string, string> }> {
    const env: Record<string, string> = {};
    const saved: Record<string, string> = {};
    for (const name of [...CONFIG_NAMES, ...BINDING_NAMES]) {
      const fixed = this.fixed(name) && CONFIG_NAMES.includes(name);
      const value = fixed
        ? configValue(this.configured, name)
        : name in overrides
          ? overrides[name]
          : (await this.settings.get(name)).value;
      if (value !== null && value !== undefined && value !== '') (fixed ? env : saved)[name] = value;
    }
    return { env, saved };
  }

  private llmOf(values: { env: Record<string, string>; saved: Record<string, string> }): LlmSettings {
    return llmConfigFrom(values.env, values.saved);
  }

  /** A provider's key and base URL as they stand, where each came from, and the URL recorded with the key. */
  private async keyState(p: ModelProvider): Promise<SecretState> {
    const value = async (name: string) =>
      (this.fixed(name) ? configValue(this.configured, name) : (await this.settings.get(name)).value) || null;
    return {
      secret: await value(KEY_NAMES[p]),
      secretFromEnv: this.fixed(KEY_NAMES[p]),
      url: await value(URL_NAMES[p]),
      urlFromEnv: this.fixed(URL_NAMES[p]),
      recorded: (await this.settings.get(boundUrlSetting(KEY_NAMES[p] as BoundSecretName))).value,
    };
  }

  async effective(): Promise<EffectiveLlm> {
    let llm: LlmSettings;
    try {
      llm = this.llmOf(await this.values());
    } catch {
      llm = this.configured; // a saved value the configuration refuses: what Sagewire started with
    }
    const models = {} as EffectiveLlm['models'];
    for (const p of MODEL_PROVIDERS) {
      const own = async (role: 'analysis' | 'generation') => {
        const generic = role === 'analysis' ? 'LLM_MODEL_ANALYSIS' : 'LLM_MODEL_GENERATION';
        if (p === llm.provider && this.fixed(generic)) return configValue(llm, generic);
        return (await this.settings.get(modelSettingName(p, role))).value ?? (p === llm.provider ? configValue(llm, generic) : null);
      };
      models[p] = { analysis: await own('analysis'), generation: await own('generation') };
    }
    return { llm, models };
  }

  async view(form?: URLSearchParams, errors: Record<string, string> = {}): Promise<PlaylistSettingsView> {
    const { llm, models } = await this.effective();
    const pick = (name: string, current: string) => (form && !this.fixed(name) ? (form.get(name.toLowerCase()) ?? '').trim() : current);
    return {
      provider: (pick('LLM_PROVIDER', llm.provider) || 'offline') as ProviderName,
      providerFixed: this.fixed('LLM_PROVIDER'),
      providers: PROVIDER_NAMES.map((name) => ({ name, label: PROVIDER_LABELS[name] })),
      models: MODEL_PROVIDERS.map((p) => {
        const generic = (role: 'analysis' | 'generation') => (role === 'analysis' ? 'LLM_MODEL_ANALYSIS' : 'LLM_MODEL_GENERATION');
        const field = (role: 'analysis' | 'generation') => {
          const name = modelSettingName(p, role);
          const fixed = p === llm.provider && this.fixed(generic(role));
          return {
            name,
            value: fixed ? (models[p][role] ?? '') : pick(name, models[p][role] ?? ''),
            fixed,
            fixedBy: generic(role),
            placeholder: DEFAULT_MODELS[p]?.[role] ?? 'required, e.g. llama3.1:8b',
          };
        };
        const keyName = KEY_NAMES[p];
        const url = configValue(llm, URL_NAMES[p]) ?? '';
        return {
          name: p,
          label: PROVIDER_LABELS[p],
          keyName,
          keySet: configValue(llm, keyName) !== null,
          keyFixed: this.fixed(keyName),
          keyWithheld: llm.withheldKeys[p] ?? null,
          urlName: URL_NAMES[p],
          url: pick(URL_NAMES[p], url),
          urlFixed: this.fixed(URL_NAMES[p]),
          analysis: field('analysis'),
          generation: field('generation'),
        };
      }),
      errors,
      saved: false,
    };
  }

  /** Validates the form as the configuration would; saves only when every value is valid. */
  async save(form: URLSearchParams): Promise<{ ok: true } | { ok: false; view: PlaylistSettingsView }> {
    const changes: Record<string, string | null> = {};
    const text = (name: string) => (form.get(name.toLowerCase()) ?? '').trim();
    changes.LLM_PROVIDER = text('LLM_PROVIDER') || null;
    for (const p of MODEL_PROVIDERS) {
      changes[URL_NAMES[p]] = text(URL_NAMES[p]) || null;
      // Keys are write-only: an empty field keeps the saved key; the "forget" box removes it.
      const key = text(KEY_NAMES[p]);
      if (key) changes[KEY_NAMES[p]] = key;
      else if (form.get(`forget_${KEY_NAMES[p].toLowerCase()}`) === 'true') changes[KEY_NAMES[p]] = null;
      for (const role of ['analysis', 'generation'] as const) {
        const name = modelSettingName(p, role);
        const value = text(name);
        if (value.length > 200 || /\s/.test(value))
          return { ok: false, view: await this.view(form, { [name]: 'a model name has no spaces and at most 200 characters' }) };
        changes[name] = value || null;
      }
    }
    // The price table has its own form (savePrices); a script that still posts the JSON here keeps working.
    if (form.has('llm_prices')) changes.LLM_PRICES = text('LLM_PRICES') || null;
    for (const name of Object.keys(changes)) if (this.fixed(name)) delete changes[name];

    const errors: Record<string, string> = {};
    // A saved key keeps going only where it was saved for: a new base URL needs the key typed with it.
    // The environment's key cannot be typed here; with another base URL it is simply not used (the page says why).
    for (const p of MODEL_PROVIDERS) {
      const keyName = KEY_NAMES[p] as BoundSecretName;
      const before = await this.keyState(p);
      const typed = Boolean(changes[keyName]);
      const forgotten = keyName in changes && changes[keyName] === null;
      const finalUrl = URL_NAMES[p] in changes ? changes[URL_NAMES[p]] : before.url;
      if (!typed && !forgotten && before.secret && !before.secretFromEnv) {
        const allowed = allowedUrl(keyName, before);
        if (allowed !== targetUrl(keyName, { url: finalUrl })) {
          errors[URL_NAMES[p]] =
            `changing the base URL needs ${keyName} entered again: the saved key is only sent to ${allowed}. ` +
            'Type the key with the new URL, or tick “Forget the saved key”';
        }
      }
      const binding = boundUrlSetting(keyName);
      if (forgotten) changes[binding] = null;
      else if (typed || (before.secret && !(before.secretFromEnv && (before.urlFromEnv || targetUrl(keyName, { url: null }))))) {
        changes[binding] = bindingToRecord(keyName, before, finalUrl, typed);
      }
    }
    try {
      this.llmOf(await this.values(changes));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const problem of err.problems) {
        const cut = problem.indexOf(': ');
        errors[problem.slice(0, cut)] = problem.slice(cut + 2);
      }
    }
    if (changes.LLM_PRICES && !errors.LLM_PRICES && !pricesShape(changes.LLM_PRICES)) {
      errors.LLM_PRICES = 'expected {"provider": {"model": {"input": 0.25, "output": 2}}} in dollars per million tokens';
    }
    if (Object.keys(errors).length > 0) return { ok: false, view: await this.view(form, errors) };
    await this.settings.save(changes);
    return { ok: true };
  }

  /** The price table in effect, or the rows as typed (`rows`) when a save was refused. */
  async pricesView(rows?: PriceRowView[], errors: Record<string, string> = {}): Promise<PriceTableView> {
    const fixed = this.fixed('LLM_PRICES');
    const typed = rows?.filter((row) => row.model !== '' || row.input !== '' || row.output !== '');
    const shown = typed && !fixed ? typed : rowsOfTable(((await this.effective()).llm.prices ?? {}) as PriceTable);
    const next = shown.reduce((max, row) => Math.max(max, row.index + 1), 0);
    const blank = { index: next, provider: shown.at(-1)?.provider ?? 'openai', model: '', input: '', output: '', remove: false };
    const known = new Set<string>(MODEL_PROVIDERS);
    return {
      rows: fixed ? shown : [...shown, blank],
      fixed,
      // A provider the list no longer knows (an older saved table) is still shown, so the row can be read and removed.
      providers: [
        ...MODEL_PROVIDERS.map((name) => ({ name, label: PROVIDER_LABELS[name] })),
        ...[...new Set(shown.map((row) => row.provider))].filter((name) => name && !known.has(name)).map((name) => ({ name, label: name })),
      ],
      builtIn: rowsOfTable(DEFAULT_PRICES).map((row) => ({ ...row, input: Number(row.input), output: Number(row.output) })),
      errors,
      saved: false,
    };
  }

  /** Saves the price table (null: no overrides) in the JSON the cost code reads, when the configuration accepts it. */
  async savePrices(table: PriceTable | null, rows: PriceRowView[]): Promise<{ ok: true } | { ok: false; view: PriceTableView }> {
    if (this.fixed('LLM_PRICES')) {
      return { ok: false, view: await this.pricesView(undefined, { LLM_PRICES: 'set by LLM_PRICES in the environment; change it there' }) };
    }
    const json = table ? JSON.stringify(table) : null;
    try {
      this.llmOf(await this.values({ LLM_PRICES: json }));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const problem = err.problems.find((p) => p.startsWith('LLM_PRICES: '));
      // Another saved value the configuration refuses is that form's to fix; the prices alone are judged here.
      if (problem) return { ok: false, view: await this.pricesView(rows, { LLM_PRICES: problem.slice('LLM_PRICES: '.length) }) };
    }
    await this.settings.save({ LLM_PRICES: json });
    return { ok: true };
  }
}

function pricesShape(text: string): boolean {
  try {
    const table = JSON.parse(text) as unknown;
    if (!table || typeof table !== 'object' || Array.isArray(table)) return false;
    return Object.values(table).every(
      (models) =>
        models &&
        typeof models === 'object' &&
        Object.values(models as object).every(
          (p) => typeof p?.input === 'number' && typeof p?.output === 'number' && p.input >= 0 && p.output >= 0,
        ),
    );
  } catch {
    return false;
  }
}
