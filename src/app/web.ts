// The admin UI as app.ts builds it: password, API token, sessions, settings, status, the rating pages'
// services over the engine app.ts hands over, the playlist pages' services over the one playlist wiring,
// and the views; then its routers in the order the web app registers them (static files first, then
// login, pages and /api).
import type { Router } from '@koa/router';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { deleteExpiredSessions } from '../db/auth-sessions-repo.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { PlaylistRuntime, type InferredSource } from '../playlists/index.js';
import { Scheduler } from '../playlists/schedules.js';
import { PlayNow } from '../playlists/play-now.js';
import type { ProviderTuning } from '../playlists/providers/factory.js';
import { adminPassword, type AdminPassword } from '../web/auth/admin-password.js';
import { apiToken, type ApiToken } from '../web/auth/api-token.js';
import { LoginLimiter, type LoginLimits } from '../web/auth/login-limiter.js';
import { adminSessions, type Sessions } from '../web/auth/sessions.js';
import type { AdminDeps } from '../web/deps.js';
import { statusService, type StatusService, type StatusSources } from '../web/read-models/status.js';
import { adminRoutes } from '../web/routes.js';
import { modelSettings } from '../web/services/model-settings.js';
import { plexChecker, type PlexChecker } from '../web/services/plex-check.js';
import { PlaylistSettings } from '../web/services/playlist-llm-settings.js';
import { PlaylistPlex } from '../web/services/playlist-plex.js';
import { playlistUi, type PlaylistUi } from '../web/services/playlist-ui.js';
import { ratingsUi, type EngineAccess, type RatingsUi } from '../web/services/ratings.js';
import { settingsService, type SettingsChanged, type SettingsService } from '../web/services/settings.js';
import { staticRoutes } from '../web/static-files.js';
import { createViews, type Views } from '../web/views.js';
import { plexClientFor } from './plex.js';

/** The library cache for the Playlists pages and POST /api/playlists/generate. */
export interface PlaylistAccess {
  sqlite: Pick<SQLite.Database, 'prepare' | 'pragma'>;
  inferred?: InferredSource;
  /** Tests: INFERRED_TAG in place of the configuration's. */
  inferredTag?: string;
  /** Tests: SDK retries and timeouts. */
  tuning?: ProviderTuning;
}

export interface AdminOptions {
  db: Kysely<Database>;
  config: Config;
  logger: Logger;
  version: string;
  webhookSecret: () => string;
  /** What the engine adds to the status (ownership counts) once it exists. */
  statusSources?: StatusSources;
  /** Called with the setting names saved from the UI, so running services pick them up before the page
   *  answers. Without it, the pages tell the person to restart Sagewire after changing the connection. */
  onSettingsChanged?: SettingsChanged;
  loginLimits?: LoginLimits;
  checkPlex?: PlexChecker;
  /** The rating engine for the Ratings, Explorer and Reports pages. */
  engine?: EngineAccess;
  /** The library cache for the Playlists pages and POST /api/playlists/generate. */
  playlists?: PlaylistAccess;
  /** Another music section's pages: `db` is that section's state; sign-in and settings are these. */
  shared?: SharedAdmin;
}

/** What every music section's pages share: the sign-in, the settings and the views (all in the main database). */
export interface SharedAdmin {
  sessions: Sessions;
  settings: SettingsService;
  password: AdminPassword;
  apiToken: ApiToken;
  loginLimiter: LoginLimiter;
  views: Views;
}

export interface AdminUi {
  /** Static files first, then login, pages and /api. */
  routers: Router[];
  /** Handed to the pages of another music section, which keep only their library's state apart. */
  shared: SharedAdmin;
  settings: SettingsService;
  status: StatusService;
  ratings: RatingsUi | null;
  playlists: PlaylistUi | null;
  /** Scheduled playlists: app.ts starts them on listen() and stops them on close(). */
  schedules: Scheduler | null;
}

export async function buildAdminUi(options: AdminOptions): Promise<AdminUi> {
  const { db, logger, version } = options;
  const shared = options.shared ?? (await sharedAdmin(options));
  const { sessions, settings } = shared;
  const status = statusService({ db, version, settings, sources: options.statusSources });
  const ratings = options.engine ? ratingsUi(options.engine) : null;
  const playlists = options.playlists ? await buildPlaylistUi(options, options.playlists, settings) : null;
  const schedules = playlists ? new Scheduler({ db, runtime: playlists.runtime, log: logger }) : null;
  // Players are listed fresh on every call; only the client (and its command counter) is kept per connection.
  const playerPlex = playlists?.plex ?? new PlaylistPlex(settings, plexClientFor);
  const playNow = new PlayNow(async () => (await playerPlex.current())?.plex ?? null);
  const deps: AdminDeps = {
    db,
    logger,
    version,
    sessions,
    password: shared.password,
    apiToken: shared.apiToken,
    loginLimiter: shared.loginLimiter,
    settings,
    modelSettings: modelSettings(settings),
    status,
    checkPlex: options.checkPlex ?? plexChecker(version),
    webhookSecret: options.webhookSecret,
    views: shared.views,
    settingsApplyLive: options.onSettingsChanged !== undefined,
    ratings,
    playlists,
    playNow,
    schedules,
  };
  return { routers: [staticRoutes(version), ...adminRoutes(deps)], shared, settings, status, ratings, playlists, schedules };
}

async function sharedAdmin(options: AdminOptions): Promise<SharedAdmin> {
  const { db, config, logger, version } = options;
  await deleteExpiredSessions(db);
  const sessions = adminSessions(db);
  return {
    sessions,
    settings: settingsService(db, config, options.onSettingsChanged),
    password: await adminPassword(db, config.adminPassword, logger),
    apiToken: await apiToken(db, config.apiToken, logger),
    loginLimiter: new LoginLimiter(options.loginLimits),
    views: createViews(sessions, version, { cacheTemplates: config.production }),
  };
}

/** The one playlist wiring, with the models the Settings page keeps and saving to the Plex connection in effect. */
async function buildPlaylistUi(options: AdminOptions, access: PlaylistAccess, settings: SettingsService): Promise<PlaylistUi> {
  const { db, config, logger } = options;
  const llm = new PlaylistSettings(settings, config.llm);
  const plex = new PlaylistPlex(settings, plexClientFor);
  const runtime = await PlaylistRuntime.create({
    db,
    sqlite: access.sqlite,
    settings: llm,
    plex: plex.store,
    inferredTag: access.inferredTag ?? config.inferredTag,
    inferred: access.inferred,
    tuning: access.tuning,
    sonic: async (key) => {
      const current = await plex.current();
      if (!current) return null;
      const answer = await current.plex.sonicallySimilar(key, { limit: 50 });
      return { available: answer.available, keys: answer.neighbours.map((n) => n.track.ratingKey) };
    },
  });
  return playlistUi({ db, settings: llm, plex, runtime, log: (err) => logger.error({ err }, 'playlists: generation failed') });
}
