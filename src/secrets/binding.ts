// Where a secret may be sent. The Plex token and each provider key are bound to one base URL: a secret
// from the environment to the environment's URL (or the provider's own default); a secret saved on a page
// to the URL saved with it (recorded in the `<NAME>_BOUND_URL` settings row). Where the URL in effect is
// another one, the secret counts as absent, with a sentence saying why: no setting, form or saved row can
// carry it anywhere the person did not choose for it. Pure functions: the configuration, the settings
// services and the provider factory all ask the same questions here.

export interface SecretSpec {
  /** The setting holding the base URL the secret goes to. */
  readonly urlName: string;
  /** Where the secret goes when no URL is set (the provider's own API); null: nowhere. */
  readonly defaultUrl: string | null;
}

export const BOUND_SECRETS = {
  PLEX_TOKEN: { urlName: 'PLEX_URL', defaultUrl: null },
  OPENAI_API_KEY: { urlName: 'OPENAI_BASE_URL', defaultUrl: 'https://api.openai.com/v1' },
  ANTHROPIC_API_KEY: { urlName: 'ANTHROPIC_BASE_URL', defaultUrl: 'https://api.anthropic.com' },
  GEMINI_API_KEY: { urlName: 'GEMINI_BASE_URL', defaultUrl: 'https://generativelanguage.googleapis.com' },
  OPENAI_COMPATIBLE_API_KEY: { urlName: 'OPENAI_COMPATIBLE_BASE_URL', defaultUrl: null },
} as const satisfies Record<string, SecretSpec>;

export type BoundSecretName = keyof typeof BOUND_SECRETS;
const _BOUND_SECRET_NAMES = Object.keys(BOUND_SECRETS) as BoundSecretName[];

/** The settings row recording the URL a secret was saved with (never read from the environment). */
export const boundUrlSetting = (name: BoundSecretName): string => `${name}_BOUND_URL`;

/** A URL in the form bindings are compared in (lower-case host, no default port, no trailing slash); null when not http(s). */
export function comparableUrl(raw: string | null | undefined): string | null {
  if (!raw?.trim()) return null;
  try {
    const u = new URL(raw.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return null;
  }
}

/** What is known about one secret: its value and the URL in effect, where each came from, and the recorded binding. */
export interface SecretState {
  secret: string | null;
  secretFromEnv: boolean;
  /** The base URL setting in effect (environment or saved); null: none set, the default applies. */
  url: string | null;
  urlFromEnv: boolean;
  /** The `<NAME>_BOUND_URL` row, when one was recorded. */
  recorded: string | null;
}

/** The URL the secret would be sent to now: the URL setting, else the default. */
export function targetUrl(name: BoundSecretName, state: Pick<SecretState, 'url'>): string | null {
  return comparableUrl(state.url ?? BOUND_SECRETS[name].defaultUrl);
}

/**
 * The one URL the secret may go to. The environment's secret: the environment's URL, else the default;
 * without either (Plex, local servers) it is bound like a saved one. A saved secret: the URL recorded with
 * it; a secret saved before bindings were recorded is bound to the URL in effect until the next save records it.
 */
export function allowedUrl(name: BoundSecretName, state: SecretState): string | null {
  const spec: SecretSpec = BOUND_SECRETS[name];
  if (state.secretFromEnv) {
    if (state.urlFromEnv) return comparableUrl(state.url);
    if (spec.defaultUrl) return comparableUrl(spec.defaultUrl);
  }
  return comparableUrl(state.recorded) ?? targetUrl(name, state);
}

/** Why the secret is not sent to the URL in effect, or null when it may be (or there is no secret or no URL). */
export function withheldReason(name: BoundSecretName, state: SecretState): string | null {
  if (!state.secret) return null;
  const target = targetUrl(name, state);
  if (target === null) return null;
  const allowed = allowedUrl(name, state);
  if (allowed === target) return null;
  const { urlName } = BOUND_SECRETS[name];
  if (state.secretFromEnv) {
    return (
      `${name} from the environment is only sent to ${allowed ?? `the ${urlName} set in the environment`}, not to ${target}: ` +
      `set ${urlName} in the environment too, or go back to that URL`
    );
  }
  return `the saved ${name} was saved for ${allowed} and is not sent to ${target}: enter it again together with the new URL`;
}

/**
 * The binding a save records for a secret in effect afterwards: the new URL when the secret was typed in the
 * same form, else the binding it already had (a first save binds it to the URL saved with it).
 */
export function bindingToRecord(name: BoundSecretName, before: SecretState, finalUrl: string | null, typed: boolean): string | null {
  const final = comparableUrl(finalUrl ?? BOUND_SECRETS[name].defaultUrl);
  if (typed) return final;
  if (!before.secret) return null;
  return (before.recorded ? comparableUrl(before.recorded) : null) ?? (targetUrl(name, before) === null ? final : allowedUrl(name, before));
}
