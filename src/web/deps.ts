// Everything an admin handler may use, built once by the composition root (src/app/web.ts) and handed
// to the route table.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { AdminPassword } from './auth/admin-password.js';
import type { ApiToken } from './auth/api-token.js';
import type { LoginLimiter } from './auth/login-limiter.js';
import type { Sessions } from './auth/sessions.js';
import type { ModelSettings } from './services/model-settings.js';
import type { PlexChecker } from './services/plex-check.js';
import type { PlaylistUi } from './services/playlist-ui.js';
import type { Scheduler } from '../playlists/schedules.js';
import type { PlayNow } from '../playlists/play-now.js';
import type { RatingsUi } from './services/ratings.js';
import type { SettingsService } from './services/settings.js';
import type { StatusService } from './read-models/status.js';
import type { Views } from './views.js';

export interface AdminDeps {
  db: Kysely<Database>;
  logger: Logger;
  version: string;
  sessions: Sessions;
  password: AdminPassword;
  apiToken: ApiToken;
  loginLimiter: LoginLimiter;
  settings: SettingsService;
  modelSettings: ModelSettings;
  status: StatusService;
  checkPlex: PlexChecker;
  /** The secret part of the webhook URL. */
  webhookSecret: () => string;
  views: Views;
  /** False while saved connection settings only reach background work after a restart. */
  settingsApplyLive: boolean;
  /** The rating pages (ratings, explorer, reports); null when app.ts handed no engine access. */
  ratings: RatingsUi | null;
  /** The playlist pages and API; null when app.ts handed no playlist access. */
  playlists: PlaylistUi | null;
  /** Scheduled playlists (pages and API); null or absent when there is no playlist access. */
  schedules?: Scheduler | null;
  /** Play now on a Plex player (the connection in effect); absent where app.ts built none. */
  playNow?: PlayNow | null;
}

/** Appended to "saved" messages: what the save did to background work, or that it waits for a restart. */
export function whenApplied(deps: AdminDeps): string {
  if (!deps.settingsApplyLive) return ' Background work (live propagation, polling) picks them up when Sagewire restarts.';
  const applied = deps.settings.lastApplied;
  return applied ? ` ${applied.text}` : '';
}
