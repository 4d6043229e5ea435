// The composition root: the one place that builds Sagewire's pieces from a Config, for the server
// (buildApp) and for the CLI's commands (openRatingTools, openLibrarySync, openStateDatabase). Everything
// below receives what it works with: nothing else reads the configuration, opens the database (the front
// door's thread opens its own connection, to the path given here) or makes a Plex client (the Setup
// page's one-off connection check aside). Helpers in src/app/ are this file's.
//
// buildApp builds, in this order:
//   1. the database (migrated) and the webhook secret (the environment's, or one made once and kept);
//   2. the admin UI (src/app/web.ts): settings, status, the rating pages over the engine access below,
//      the one playlist wiring (pool index, vocabulary, a service per provider) and the routers; the
//      settings come first because the Plex connection in effect is theirs (environment or Setup page);
//   3. the spool drain (src/app/spool.ts): what the receiver committed before the last stop moves into the
//      inbox now, in the order it arrived, before the worker can start and take its first batch;
//   4. the Plex client and live propagation (src/app/live.ts): the live engine boots on listen() and,
//      once Plex named the section, assembles the incremental engine, the inbox worker and catch-up;
//   5. the web app on a loopback port, and on listen() the front door (src/front) on the public port.
// listen() starts the web app, then the front door, then live propagation (in the background: Plex may be
// down). close() runs the other way: the public socket, the web app, the jobs started from the pages, the
// last received events into the inbox, live propagation after its batch in flight, the database last.
//
// Two event loops: the front door (a worker thread, src/front) owns the public socket, answers webhooks
// and /api/health itself and proxies everything else to the web app, which listens on 127.0.0.1 (a port
// of its own) in this thread, next to the engine, the live model and the pages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { reloadConfig, type Config } from './config.js';
import { randomBytes } from 'node:crypto';
import { openDatabase, type DatabaseHandle } from './db/connection.js';
import type { LiveEngine, PlexConnection } from './engine/live/live-engine.js';
import { savedSettingsWithPrefix } from './db/saved-settings.js';
import { LiveRuntime } from './app/live-runtime.js';
import type { SectionRuntimes } from './app/section-runtimes.js';
import { getOrCreateSetting } from './db/settings-repo.js';
import type { Logger } from './log.js';
import { VERSION } from './version.js';
import type { FrontDoor } from './front/front-door.js';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from './front/limits.js';
import type { LiveKnobs } from './app/live.js';
import { probePlex } from './app/plex.js';
import { drainSpool } from './app/spool.js';

export { openLibrarySync, openRatingTools, openStateDatabase } from './app/engine.js';

/** The server's own parts, loaded when a server is built: a CLI command loads only what it runs on. */
const serverParts = async () => ({
  ...(await import('./notify/notifier.js')),
  ...(await import('./app/section-runtimes.js')),
  ...(await import('./web/sections.js')),
  ...(await import('./app/web.js')),
  ...(await import('./web/app.js')),
  ...(await import('./web/read-models/ui-model.js')),
  ...(await import('./front/front-door.js')),
});

export interface Sagewire {
  readonly config: Config;
  readonly database: DatabaseHandle;
  /** The secret part of the webhook URL (`/webhooks/plex/<secret>`). */
  readonly webhookSecret: string;
  /** Live propagation (worker, incremental engine, catch-up); null when Plex is not configured. */
  readonly live: LiveEngine | null;
  /** The music sections looked after besides the main one, each with its state database and live propagation. */
  readonly otherSections: ReadonlyArray<{ name: string; database: DatabaseHandle; live: LiveEngine | null }>;
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
  live?: LiveKnobs & {
    /** In place of the Plex connection in effect. */
    plex?: PlexConnection;
    /** Plex client retry knobs. */
    plexRetries?: { retries?: number; retryBaseMs?: number };
    bootRetryMs?: number;
  };
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
  const { buildAdminUi, createWebApp, composeRouters, engineAccessOf, sectionDispatch, SectionRuntimes, Notifier, FrontDoor } =
    await serverParts();
  const database = await openDatabase(config.dbPath, { busyTimeoutMs: MAIN_BUSY_TIMEOUT_MS, busyRetryMs: options.busyWaitMs ?? 1000 });
  const webhookSecret =
    config.webhookSecret ?? (await getOrCreateSetting(database.db, 'WEBHOOK_SECRET', () => randomBytes(24).toString('base64url')));
  const { plex, plexRetries, bootRetryMs, ...knobs } = options.live ?? {};
  // Live propagation as the settings in effect describe it, rebuilt when the pages save a change to them:
  // the main section's here, the other sections' (PLEX_MUSIC_LIBRARY naming several) in `sections`.
  let runtime: LiveRuntime | null = null;
  let sections: SectionRuntimes | null = null;
  const admin = await buildAdminUi({
    db: database.db,
    config,
    logger,
    version: VERSION,
    webhookSecret: () => webhookSecret,
    ...engineAccessOf(
      database,
      () => runtime,
      config,
      () => sections?.mainName ?? config.plex.musicLibrary,
    ),
    // Playlists: the pages and POST /api/playlists/generate; saving goes to the Plex connection in effect.
    playlists: { sqlite: database.sqlite },
    // A save through the pages reaches live propagation before the page answers, which then says what it did.
    onSettingsChanged: async () => {
      if (!runtime || !sections) return null;
      let next: Config;
      try {
        next = reloadConfig(config, await savedSettingsWithPrefix(database.db, ''));
      } catch (err) {
        logger.error(
          { err: (err as Error).message },
          'serve: the saved settings do not form a valid configuration; live propagation keeps the previous one',
        );
        return { at: Date.now(), text: `Live propagation keeps its previous settings: ${(err as Error).message}` };
      }
      const before = sections.names().length;
      const connection = await admin.settings.plexConnection();
      await sections.reconcile(connection?.musicLibraries ?? next.plex.musicLibraries, next);
      const applied = await runtime.apply(next);
      if (next.webhooks !== frontWebhooks) {
        frontWebhooks = next.webhooks;
        front?.setWebhooks(next.webhooks === 'on');
      }
      const count = sections.names().length;
      if (count === before) return applied;
      const text =
        `${applied?.text ?? ''} Sagewire now looks after ${count} music section${count === 1 ? '' : 's'} (${sections.names().join(', ')}), each with its own state.`.trim();
      return { at: Date.now(), text };
    },
  });
  sections = new SectionRuntimes({
    config,
    logger,
    main: database,
    shared: admin.shared,
    busyTimeoutMs: MAIN_BUSY_TIMEOUT_MS,
    busyRetryMs: options.busyWaitMs ?? 1000,
    live: { knobs, plexRetries, bootRetryMs },
    buildAdminUi,
    adminOptions: { version: VERSION, webhookSecret: () => webhookSecret },
  });
  // Notifications (Settings page): dead letters, failed runs, takeovers, scheduled playlists, read from the database.
  const notifier = new Notifier({
    db: database.db,
    logger,
    section: () => (sections && sections.names().length > 1 ? sections.mainName : null),
  });
  const startConnection = await admin.settings.plexConnection();
  await sections.reconcile(startConnection?.musicLibraries ?? config.plex.musicLibraries, config);
  const spool = drainSpool(
    config.dbPath,
    database,
    logger,
    () => {
      runtime?.engine?.wake();
      sections?.wake();
    },
    (row) => sections!.route(row),
  );
  runtime = new LiveRuntime(config, {
    database,
    logger,
    knobs,
    plexRetries,
    bootRetryMs,
    plex,
    // The main database's section, which need not be the first one chosen (src/app/sections.ts).
    connection: async () => {
      const connection = await admin.settings.plexConnection();
      return connection ? { ...connection, musicLibrary: sections!.mainName } : null;
    },
  });
  await runtime.init();
  // Whether the receiver answers webhooks now (WEBHOOKS, as saved since start).
  let frontWebhooks = config.webhooks;
  // The receiver and /api/health live in the front door; this app serves the rest, to the front only:
  // the pages of the music section the person chose (the main one's, and every shared page, by default).
  const frontToken = randomBytes(24).toString('base64url');
  const all = sections;
  const web = createWebApp({
    logger,
    trustProxy: config.trustProxy,
    front: { token: frontToken },
    routers: [],
    handle: sectionDispatch({
      main: composeRouters(admin.routers),
      mainName: () => all.mainName,
      names: () => all.names(),
      extra: (name) => all.extra(name),
    }),
  });
  let server: Server | null = null;
  let front: FrontDoor | null = null;
  let fail: (err: Error) => void = () => {};
  const failed = new Promise<never>((_resolve, reject) => (fail = reject));
  failed.catch(() => {});

  return {
    config,
    database,
    webhookSecret,
    get live() {
      return runtime?.engine ?? null;
    },
    get otherSections() {
      return (sections?.list() ?? []).map((s) => ({ name: s.name, database: s.database, live: s.runtime.engine }));
    },
    failed,
    get front() {
      return front;
    },
    moveReceived: () => spool.drain(),
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
            // WEBHOOKS=off: the receiver answers nothing; catch-up polling is the only input. A save on the
            // Settings page turns it on or off in the running thread.
            webhooks: {
              enabled: frontWebhooks === 'on',
              dbPath: config.dbPath,
              secret: webhookSecret,
              accounts: [...config.webhookAccounts],
              busyWaitMs: options.busyWaitMs ?? 1000,
            },
            limits: { ...DEFAULT_SERVER_LIMITS, ...options.server },
            healthCacheMs: 15_000,
            probeWaitMs: 5_000,
          },
          onAccepted: () => spool.soon(),
          // The connection in effect now: the environment, or what the Setup page saved since start.
          probePlex: async () => probePlex(await admin.settings.plexConnection()),
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
      runtime?.start();
      sections?.start();
      notifier.start();
      // The explorer's search index and the reports, built in the background once the model is there, so
      // the first search and the first Reports view do not wait for them (after each rebuild too).
      void runtime?.engine?.ready.then(() => admin.ratings?.warm());
      runtime?.onBuilt((engine) => void engine?.ready.then(() => admin.ratings?.warm()));
      // Scheduled playlists: armed now; a run missed while down is caught up once the library cache is there.
      await admin.schedules?.start(runtime?.engine?.ready);
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
      // No schedule fires from here on; a scheduled run in flight is recorded like a generation from the pages.
      await admin.schedules?.stop();
      // A generation in flight finishes (and is recorded in history) before the database closes.
      await admin.playlists?.jobs.settled();
      // After the receiver stopped accepting: the last events it took go into the inbox, and the worker
      // finishes its write batch in flight.
      spool.close();
      await runtime?.stop();
      await sections?.stop();
      await notifier.stop();
      await database.close();
      logger.info('serve: stopped');
    },
  };
}
