// Builds the admin UI's dependencies (password, API token, sessions, services, views) from the
// database and configuration, and returns its routers in the order app.ts registers them.
import type { Router } from '@koa/router';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { deleteExpiredSessions } from '../db/auth-sessions-repo.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { adminPassword } from './auth/admin-password.js';
import { apiToken } from './auth/api-token.js';
import { LoginLimiter, type LoginLimits } from './auth/login-limiter.js';
import { adminSessions } from './auth/sessions.js';
import type { AdminDeps } from './deps.js';
import { adminRoutes } from './routes.js';
import { modelSettings } from './services/model-settings.js';
import { plexChecker, type PlexChecker } from './services/plex-check.js';
import type { PlaylistAccess } from './services/playlist-runtime.js';
import { playlistUi, type PlaylistUi } from './services/playlist-ui.js';
import { ratingsUi, type EngineAccess, type RatingsUi } from './services/ratings.js';
import { settingsService, type SettingsService } from './services/settings.js';
import { statusService, type StatusService, type StatusSources } from './read-models/status.js';
import { staticRoutes } from './static-files.js';
import { createViews } from './views.js';

export interface AdminOptions {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
  version: string;
  webhookSecret: () => string;
  /** What the engine adds to the status (ownership counts) once it exists. */
  statusSources?: StatusSources;
  /** Called with the setting names saved from the UI, so running services can pick them up. Without it,
   *  the Setup page tells the person to restart Sagewire after changing the connection. */
  onSettingsChanged?: (names: string[]) => void;
  loginLimits?: LoginLimits;
  checkPlex?: PlexChecker;
  /** The rating engine for the Ratings, Explorer and Reports pages (app.ts hands it over). */
  engine?: EngineAccess;
  /** The library cache for the Playlists pages and POST /api/playlists/generate (app.ts hands it over). */
  playlists?: PlaylistAccess;
}

export interface AdminUi {
  /** Static files first, then login, pages and /api. */
  routers: Router[];
  settings: SettingsService;
  status: StatusService;
  ratings: RatingsUi | null;
  playlists: PlaylistUi | null;
}

export async function createAdminUi(options: AdminOptions): Promise<AdminUi> {
  const { db, config, logger, version } = options;
  await deleteExpiredSessions(db);
  const sessions = adminSessions(db);
  const settings = settingsService(db, config, options.onSettingsChanged);
  const status = statusService({ db, version, settings, sources: options.statusSources });
  const ratings = options.engine ? ratingsUi(options.engine) : null;
  const playlists = options.playlists
    ? await playlistUi({ db, config, settings, access: options.playlists, log: (err) => logger.error({ err }, 'playlists: generation failed') })
    : null;
  const deps: AdminDeps = {
    db,
    logger,
    version,
    sessions,
    password: await adminPassword(db, config.adminPassword, logger),
    apiToken: await apiToken(db, config.apiToken, logger),
    loginLimiter: new LoginLimiter(options.loginLimits),
    settings,
    modelSettings: modelSettings(settings),
    status,
    checkPlex: options.checkPlex ?? plexChecker(version),
    webhookSecret: options.webhookSecret,
    views: createViews(sessions, version),
    settingsApplyLive: options.onSettingsChanged !== undefined,
    ratings,
    playlists,
  };
  return { routers: [staticRoutes(version), ...adminRoutes(deps)], settings, status, ratings, playlists };
}
