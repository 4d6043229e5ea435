// Composition root: the one place that builds the database, the Plex client, the services and the
// web app from a Config, and tears them down in order.
//
// Two event loops: the front door (a worker thread, src/front) owns the public socket, answers webhooks
// and /api/health itself and proxies everything else to the web app, which listens on 127.0.0.1 (a port
// of its own) in this thread, next to the engine, the live model and the pages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { randomBytes } from 'node:crypto';
import { openDatabase, type DatabaseHandle } from './db/connection.js';
import { openSpool, spoolMover, spoolPath } from './db/inbox-spool.js';
import { LiveEngine, type LiveEngineOptions } from './engine/live/live-engine.js';
import { getOrCreateSetting } from './db/settings-repo.js';
import { loadRatingParams } from './engine/runtime.js';
import { viewOfLiveModel } from './web/read-models/ui-model.js';
import type { Logger } from './log.js';
import { VERSION } from './version.js';
import { createAdminUi } from './web/admin.js';
import { createWebApp } from './web/app.js';
import type { PlexReachability } from './web/health.js';
import { FrontDoor } from './front/front-door.js';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from './front/limits.js';

export interface Sagewire {
  readonly config: Config;
  readonly database: DatabaseHandle;
  /** The secret part of the webhook URL (`/webhooks/plex/<secret>`). */
  readonly webhookSecret: string;
  /** Live propagation (worker, incremental engine, catch-up); null when Plex is not configured. */
  readonly live: LiveEngine | null;
  /**
   * Moves what the receiver has committed to its spool into the inbox now (it happens on its own within a
   * turn of each event, and once a second); the rows keep the spool's id, the one Plex's answer named, as
   * `receipt_id`.
   */
  moveReceived(): void;
  /** Starts listening (and live propagation); resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting connections, finishes what is in flight, closes the database. */
  close(): Promise<void>;
  /** Rejects if the front door (the receiver's thread) dies for good; the process should then stop. */
  readonly failed: Promise<never>;
  /** The front door, once listening (tests stop its thread to see it restart). */
  readonly front: FrontDoor | null;
}

export interface BuildOptions {
  /** Knobs of live propagation for tests and benchmarks (worker backoff, catch-up interval, Plex retries). */
  live?: Omit<Partial<LiveEngineOptions>, 'config' | 'database' | 'logger'>;
  /** Limits of the public server (tests use short timeouts). */
  server?: Partial<ServerLimits>;
  /** How long a webhook waits for a database another program holds before a 503 (default 1 s). */
  busyWaitMs?: number;
}

/**
 * This thread's wait for the write lock blocks the event loop, so it is short: long enough for the
 * receiver's own commits (well under a millisecond, more on a starved CPU), no longer. Kysely statements
 * then retry without blocking for up to a second; the engine's statements fail and its batch is retried.
 */
const MAIN_BUSY_TIMEOUT_MS = 50;

export async function buildApp(config: Config, logger: Logger, options: BuildOptions = {}): Promise<Sagewire> {
  const database = await openDatabase(config.dbPath, { busyTimeoutMs: MAIN_BUSY_TIMEOUT_MS, busyRetryMs: options.busyWaitMs ?? 1000 });
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
  // The receiver's spool (its thread commits each webhook there): moved into the inbox here, in order, as
  // the receiver reports events, once a second for anything it did not report (ignored events), and at
  // start for what a crash left behind.
  const spool = openSpool(spoolPath(config.dbPath));
  const mover = spoolMover(spool, database.sqlite);
  let drainQueued = false;
  let drainFailing = false;
  const drainSpool = () => {
    drainQueued = false;
    try {
      if (mover.drain().pending > 0) live?.wake();
      if (drainFailing) logger.info('serve: received events are moving into the inbox again');
      drainFailing = false;
    } catch (err) {
      // Busy (another program holds the database) or failing: the rows stay spooled for the next drain.
      // Said once while it lasts, not once a second.
      if (!drainFailing) logger.warn({ err: (err as Error).message }, 'serve: could not move received events into the inbox yet; they wait in the spool');
      drainFailing = true;
    }
  };
  drainSpool();
  const drainTimer = setInterval(drainSpool, 1000);
  drainTimer.unref();
  const plexConnection = options.live?.plex ?? (await admin.settings.plexConnection());
  if (plexConnection) live = new LiveEngine({ config, database, logger, ...options.live, plex: plexConnection });
  else logger.warn('serve: Plex is not configured; live propagation starts once PLEX_URL and PLEX_TOKEN are set (restart after setup)');
  const probePlex = async (): Promise<PlexReachability> => {
    // The connection in effect now: the environment, or what the Setup page saved since start.
    const plex = await admin.settings.plexConnection();
    if (!plex) return { configured: false, reachable: null };
    try {
      // An endpoint that needs the token: /identity answers anyone, so it cannot tell a rejected token.
      const res = await fetch(`${plex.url}/library/sections`, {
        headers: { Accept: 'application/json', 'X-Plex-Token': plex.token },
        // Never followed: the token header would go with a redirect to another host.
        redirect: 'manual',
        signal: AbortSignal.timeout(3000),
      });
      if (res.status === 401) return { configured: true, reachable: false, error: 'Plex rejected PLEX_TOKEN' };
      return res.ok ? { configured: true, reachable: true } : { configured: true, reachable: false, error: `Plex answered ${res.status}` };
    } catch (err) {
      return { configured: true, reachable: false, error: `cannot reach Plex: ${(err as Error).message}` };
    }
  };
  // The receiver and /api/health live in the front door; this app serves the rest, to the front only.
  const frontToken = randomBytes(24).toString('base64url');
  const web = createWebApp({ logger, trustProxy: config.trustProxy, front: { token: frontToken }, routers: admin.routers });
  let server: Server | null = null;
  let front: FrontDoor | null = null;
  let fail: (err: Error) => void = () => {};
  const failed = new Promise<never>((_resolve, reject) => (fail = reject));
  failed.catch(() => {});

  return {
    config,
    database,
    webhookSecret,
    live,
    failed,
    get front() {
      return front;
    },
    moveReceived: drainSpool,
    async listen() {
      server = createServer(web.callback());
      // Only the front connects, over keep-alive: idle connections stay open longer than its pool keeps them.
      server.keepAliveTimeout = 65_000;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(0, '127.0.0.1', () => resolve());
      });
      const internal = server.address() as AddressInfo;
      try {
        front = await FrontDoor.start({
          logger,
          data: {
            host: config.host,
            port: config.port,
            target: { host: '127.0.0.1', port: internal.port },
            token: frontToken,
            version: VERSION,
            logLevel: logger.level,
            trustProxy: config.trustProxy,
            // WEBHOOKS=off: no receiver; catch-up polling is the only input.
            webhooks:
              config.webhooks === 'on'
                ? { dbPath: config.dbPath, secret: webhookSecret, accounts: [...config.webhookAccounts], busyWaitMs: options.busyWaitMs ?? 1000 }
                : null,
            limits: { ...DEFAULT_SERVER_LIMITS, ...options.server },
            healthCacheMs: 15_000,
            probeWaitMs: 5_000,
          },
          onAccepted: () => {
            if (drainQueued) return;
            drainQueued = true;
            setImmediate(drainSpool); // one move for the events reported in the same turn
          },
          probePlex,
          onFatal: (err) => {
            logger.fatal({ err }, 'serve: the webhook receiver cannot run; stopping');
            fail(err);
          },
        });
      } catch (err) {
        const s = server;
        server = null;
        await new Promise<void>((resolve) => s.close(() => resolve()));
        throw err;
      }
      const port = front.port;
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
      // The public socket first: nothing new comes in; requests in flight finish through the web app.
      if (front) {
        const f = front;
        front = null;
        await f.close();
      }
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
      // After the receiver stopped accepting: the last events it took go into the inbox, and the worker
      // finishes its write batch in flight.
      clearInterval(drainTimer);
      drainSpool();
      spool.close();
      await live?.stop();
      await database.close();
      logger.info('serve: stopped');
    },
  };
}
