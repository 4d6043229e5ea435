// Settings as the UI sees them: the environment wins (the field is shown fixed and disabled), then
// what was saved in the settings table, then the value the configuration started with (its default).
// The configuration itself is frozen at start; `onChange` lets the composition root react to saves.
import type { Kysely } from 'kysely';
import { musicLibraryNames, type Config } from '../../config.js';
import { saveSettings, savedSettingsWithPrefix } from '../../db/saved-settings.js';
import { getSetting } from '../../db/settings-repo.js';
import type { Database } from '../../db/schema.js';
import { BOUND_SECRETS, boundUrlSetting, withheldReason, type BoundSecretName, type SecretState } from '../../secrets/binding.js';

export type SettingSource = 'env' | 'saved' | 'default';

export interface EffectiveSetting {
  value: string | null;
  source: SettingSource;
}

export interface PlexConnection {
  url: string;
  token: string;
  /** The first music section chosen. */
  musicLibrary: string;
  /** Every music section chosen (PLEX_MUSIC_LIBRARY, comma-separated), the first one first. */
  musicLibraries: string[];
  timeoutMs: number;
}

/** What saving did to the work running in the background (live propagation), in one sentence for the page. */
export interface SettingsApplied {
  at: number;
  text: string;
}

/** Told the names saved; resolves once running work has taken them up, with what that did (null: nothing). */
export type SettingsChanged = (names: string[]) => Promise<SettingsApplied | null>;

export interface SettingsService {
  fixedByEnv(name: string): boolean;
  /** What the last save did to live propagation (null: nothing, or no save yet). */
  readonly lastApplied: SettingsApplied | null;
  get(name: string): Promise<EffectiveSetting>;
  /**
   * Saves `values` by name; names fixed by the environment are skipped. `null` removes a saved value. Resolves
   * once live propagation runs on the new settings (see `lastApplied`).
   */
  save(values: Readonly<Record<string, string | null>>): Promise<string[]>;
  /** The Plex connection in effect, or null while the URL or the token is missing or the token is bound to another URL. */
  plexConnection(): Promise<PlexConnection | null>;
  /** Why the Plex token in effect is not sent to the Plex URL in effect, or null. */
  plexTokenWithheld(): Promise<string | null>;
  /** A bound secret's value, its URL and where each came from, and the URL recorded with it. */
  secretState(name: BoundSecretName): Promise<SecretState>;
  /** Every saved `RATING_*` model parameter (not RATING_WRITE_MODE), by settings key. */
  savedRatingOverrides(): Promise<Record<string, string>>;
}

/** What the configuration started with, by setting name (env value when fixed, else saved or default). */
function startValue(config: Config, name: string): string | null {
  switch (name) {
    case 'PLEX_URL':
      return config.plex.url;
    case 'PLEX_TOKEN':
      return config.plex.token;
    case 'PLEX_MUSIC_LIBRARY':
      return config.plex.musicLibraries.join(', ');
    case 'PLEX_TV_URL':
      return config.plexTvUrl;
    case 'WEBHOOKS':
      return config.webhooks;
    case 'INFERRED_TAG':
      return config.inferredTag;
    case 'DRY_RUN':
      return String(config.dryRun);
    case 'RECONCILE_MINUTES':
      return String(config.reconcileMinutes);
    default:
      return name.startsWith('RATING_') ? (config.ratingOverrides[name.slice('RATING_'.length)] ?? null) : null;
  }
}

export function settingsService(db: Kysely<Database>, config: Config, onChange: SettingsChanged = async () => null): SettingsService {
  const fixed = new Set(config.fixedByEnv);
  return {
    lastApplied: null,
    fixedByEnv: (name) => fixed.has(name),
    async get(name) {
      if (fixed.has(name)) return { value: startValue(config, name), source: 'env' };
      const saved = await getSetting(db, name);
      if (saved !== null) return { value: saved, source: 'saved' };
      // A RATING_* value at start came from a saved row that has since been removed: back to the default.
      return { value: name.startsWith('RATING_') ? null : startValue(config, name), source: 'default' };
    },
    async save(values) {
      const saved = Object.entries(values).filter(([name]) => !fixed.has(name));
      await saveSettings(db, saved);
      const changed = saved.map(([name]) => name);
      (this as { lastApplied: SettingsApplied | null }).lastApplied = changed.length > 0 ? ((await onChange(changed)) ?? null) : null;
      return changed;
    },
    async secretState(name) {
      const [secret, url, recorded] = await Promise.all([
        this.get(name),
        this.get(BOUND_SECRETS[name].urlName),
        getSetting(db, boundUrlSetting(name)),
      ]);
      return {
        secret: secret.value || null,
        secretFromEnv: secret.source === 'env',
        url: url.value || null,
        urlFromEnv: url.source === 'env',
        recorded,
      };
    },
    async plexTokenWithheld() {
      return withheldReason('PLEX_TOKEN', await this.secretState('PLEX_TOKEN'));
    },
    async plexConnection() {
      const [url, token, library] = await Promise.all([this.get('PLEX_URL'), this.get('PLEX_TOKEN'), this.get('PLEX_MUSIC_LIBRARY')]);
      if (!url.value || !token.value) return null;
      // The one check every Plex use goes through (live engine, playlists, health, Setup's library list).
      if (await this.plexTokenWithheld()) return null;
      const libraries = musicLibraryNames(library.value ?? '');
      if (libraries.length === 0) libraries.push('Music');
      return {
        url: url.value,
        token: token.value,
        musicLibrary: libraries[0],
        musicLibraries: libraries,
        timeoutMs: config.plex.timeoutMs,
      };
    },
    async savedRatingOverrides() {
      const { RATING_WRITE_MODE: _mode, ...overrides } = await savedSettingsWithPrefix(db, 'RATING_');
      return overrides;
    },
  };
}
