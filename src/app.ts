// Composition root: the one place that builds the database, the Plex client, the services and the
// web app from a Config, and tears them down in order.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { randomBytes } from 'node:crypto';
import { openDatabase, type DatabaseHandle } from './db/connection.js';
import { LiveEngine, type LiveEngineOptions } from './engine/live-engine.js';
import { getOrCreateSetting } from './db/settings-repo.js';
import { loadRatingParams } from './engine/runtime.js';
import { viewOfLiveModel } from './engine/ui-model.js';
import type { Logger } from './log.js';
import { VERSION } from './version.js';
import { createAdminUi } from './web/admin.js';
import { createWebApp } from './web/app.js';
import { healthRoutes, type PlexReachability } from './web/health.js';
import { syncedServerContext } from './webhooks/context.js';
import { webhookRoutes } from './webhooks/route.js';

export interface Sagewire {
  readonly config: Config;
  readonly database: DatabaseHandle;
  /** The secret part of the webhook URL (`/webhooks/plex/<secret>`). */
  readonly webhookSecret: string;
  /** Live propagation (worker, incremental engine, catch-up); null when Plex is not configured. */
  readonly live: LiveEngine | null;
  /** Starts listening (and live propagation); resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting connections, finishes what is in flight, closes the database. */
  close(): Promise<void>;
}

export interface BuildOptions {
  /** Knobs of live propagation for tests and benchmarks (worker backoff, catch-up interval, Plex retries). */
  live?: Omit<Partial<LiveEngineOptions>, 'config' | 'database' | 'logger'>;
}

export async function buildApp(config: Config, logger: Logger, options: BuildOptions = {}): Promise<Sagewire> {
  const database = await openDatabase(config.dbPath);
  const webhookSecret = config.webhookSecret ?? (await getOrCreateSetting(database.db, 'WEBHOOK_SECRET', () => randomBytes(24).toString('base64url')));
  let live: LiveEngine | null = null;
  const admin = await createAdminUi({
    db: database.db, config, logger, version: VERSION, webhookSecret: () => webhookSecret,
    statusSources: {
      ownership: async () => live?.ownership() ?? null,
      live: async () => (live ? { ...live.status() } : null),
    },
    engine: {
      sqlite: database.sqlite,
      deps: () => live?.deps ?? null,
      params: () => live?.deps?.params ?? loadRatingParams(config.ratingOverrides),
      wakeWorker: () => live?.wake(),
      liveModel: () => {
        const engine = live?.engine;
        return engine ? viewOfLiveModel(engine.viewModel()) : null;
      },
    },
    // Playlists: the pages and POST /api/playlists/generate; saving goes to the Plex connection in effect.
    playlists: { sqlite: database.sqlite },
  });
  const plexConnection = options.live?.plex ?? (await admin.settings.plexConnection());
  if (plexConnection) live = new LiveEngine({ config, database, logger, ...options.live, plex: plexConnection });
  else logger.warn('serve: Plex is not configured; live propagation starts once PLEX_URL and PLEX_TOKEN are set (restart after setup)');
  const probePlex = async (): Promise<PlexReachability> => {
    // The connection in effect now: the environment, or what the Setup page saved since start.
    const plex = await admin.settings.plexConnection();
    if (!plex) return { configured: false, reachable: null };
    try {
      const res = await fetch(`${plex.url}/identity`, {
        headers: { Accept: 'application/json', 'X-Plex-Token': plex.token },
        signal: AbortSignal.timeout(3000),
      });
      if (res.status === 401) return { configured: true, reachable: false, error: 'Plex rejected PLEX_TOKEN' };
      return res.ok ? { configured: true, reachable: true } : { configured: true, reachable: false, error: `Plex answered ${res.status}` };
    } catch (err) {
      return { configured: true, reachable: false, error: `cannot reach Plex: ${(err as Error).message}` };
    }
  };
  const serverContext = syncedServerContext(database.db, config.webhookAccounts);
  await serverContext.refresh();
  const web = createWebApp({
    logger,
    trustProxy: config.trustProxy,
    routers: [
      healthRoutes(VERSION, probePlex),
      // WEBHOOKS=off: no receiver; catch-up polling is the only input.
      ...(config.webhooks === 'on'
        ? [webhookRoutes({ sqlite: database.sqlite, logger, secret: () => webhookSecret, context: () => serverContext.current(), onAccepted: () => live?.wake() })]
        : []),
      ...admin.routers,
    ],
  });
  let server: Server | null = null;

  return {
    config,
    database,
    webhookSecret,
    live,
    async listen() {
      server = createServer(web.callback());
      server.keepAliveTimeout = 5000;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(config.port, config.host, () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      logger.info({ url, version: VERSION }, 'serve: listening');
      live?.start();
      // The explorer's search index and the reports, built in the background once the model is there, so
      // the first search and the first Reports view do not wait for them.
      void live?.ready.then(() => admin.ratings?.warm());
      return url;
    },
    async close() {
      if (server) {
        const s = server;
        server = null;
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeIdleConnections();
        });
      }
      // A job started from the Ratings page stops after its batch in flight, like the worker.
      admin.ratings?.jobs.cancel();
      await admin.ratings?.jobs.settled();
      // A generation in flight finishes (and is recorded in history) before the database closes.
      await admin.playlists?.jobs.settled();
      // After the receiver stopped accepting: the worker finishes its write batch in flight.
      await live?.stop();
      await database.close();
      logger.info('serve: stopped');
    },
  };
}
