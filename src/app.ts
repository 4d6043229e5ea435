// Composition root: the one place that builds the database, the Plex client, the services and the
// web app from a Config, and tears them down in order.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { randomBytes } from 'node:crypto';
import { openDatabase, type DatabaseHandle } from './db/connection.js';
import { getOrCreateSetting } from './db/settings-repo.js';
import type { Logger } from './log.js';
import { VERSION } from './version.js';
import { createWebApp } from './web/app.js';
import { healthRoutes, type PlexReachability } from './web/health.js';
import { syncedServerContext } from './webhooks/context.js';
import { webhookRoutes } from './webhooks/route.js';

export interface Sagewire {
  readonly config: Config;
  readonly database: DatabaseHandle;
  /** The secret part of the webhook URL (`/webhooks/plex/<secret>`). */
  readonly webhookSecret: string;
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting connections, finishes what is in flight, closes the database. */
  close(): Promise<void>;
}

export async function buildApp(config: Config, logger: Logger): Promise<Sagewire> {
  const database = await openDatabase(config.dbPath);
  const probePlex = async (): Promise<PlexReachability> => {
    if (!config.plex.url || !config.plex.token) return { configured: false, reachable: null };
    try {
      const res = await fetch(`${config.plex.url}/identity`, {
        headers: { Accept: 'application/json', 'X-Plex-Token': config.plex.token },
        signal: AbortSignal.timeout(3000),
      });
      if (res.status === 401) return { configured: true, reachable: false, error: 'Plex rejected PLEX_TOKEN' };
      return res.ok ? { configured: true, reachable: true } : { configured: true, reachable: false, error: `Plex answered ${res.status}` };
    } catch (err) {
      return { configured: true, reachable: false, error: `cannot reach Plex: ${(err as Error).message}` };
    }
  };
  const webhookSecret = config.webhookSecret ?? (await getOrCreateSetting(database.db, 'WEBHOOK_SECRET', () => randomBytes(24).toString('base64url')));
  const serverContext = syncedServerContext(database.db, config.webhookAccounts);
  await serverContext.refresh();
  const web = createWebApp({
    logger,
    routers: [
      healthRoutes(VERSION, probePlex),
      webhookRoutes({ db: database.db, logger, secret: () => webhookSecret, context: () => serverContext.current() }),
    ],
  });
  let server: Server | null = null;

  return {
    config,
    database,
    webhookSecret,
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
      await database.close();
      logger.info('serve: stopped');
    },
  };
}
