// The front door: a worker thread with an event loop of its own that owns the public socket. It
// answers the webhook receiver (POST /webhooks/plex/:secret, with its own connection to the database)
// and GET /api/health itself, so neither waits on the engine, the live model or a page being rendered on
// the main thread; every other request is proxied, streaming, to the main thread's web app.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../db/connection.js';
import { openReceiverSpool, spoolPath } from '../db/inbox-spool.js';
import { createLogger } from '../log.js';
import { createWebApp } from '../web/app.js';
import { healthRoutes, type PlexReachability } from '../web/health.js';
import { syncedServerContext } from '../webhooks/context.js';
import { webhookRoutes } from '../webhooks/route.js';
import { applyServerLimits, serverOptions } from './limits.js';
import type { FromFront, FrontData, ToFront } from './messages.js';
import { createProxy } from './proxy.js';

const data = workerData as FrontData;
const port = parentPort!;
const post = (message: FromFront) => port.postMessage(message);

const logger = createLogger(
  data.logLevel,
  new Writable({
    write(chunk, _encoding, done) {
      post({ type: 'log', line: String(chunk) });
      done();
    },
  }),
);

// The main thread runs the Plex probe (it knows the connection saved since start); one at a time.
let probeWaiters: Array<(value: PlexReachability) => void> = [];
const probeViaMain = () =>
  new Promise<PlexReachability>((resolve) => {
    const timer = setTimeout(() => {
      probeWaiters = probeWaiters.filter((w) => w !== answer);
      resolve({ configured: null, reachable: null, error: 'the engine did not answer in time' });
    }, data.probeWaitMs);
    const answer = (value: PlexReachability) => {
      clearTimeout(timer);
      resolve(value);
    };
    probeWaiters.push(answer);
    post({ type: 'probe' });
  });

const database = data.webhooks ? await openDatabase(data.webhooks.dbPath, { busyTimeoutMs: 0, migrate: false }) : null;
// Events are committed to the spool, a file this thread alone writes to (the main thread moves them into
// the inbox): an acknowledgement never waits for the engine's writes to the database.
const spool = data.webhooks ? openReceiverSpool(spoolPath(data.webhooks.dbPath)) : null;
const routers = [healthRoutes(data.version, probeViaMain, data.healthCacheMs)];
if (data.webhooks && database) {
  const context = syncedServerContext(database.db, data.webhooks.accounts);
  await context.refresh();
  const secret = data.webhooks.secret;
  routers.push(
    webhookRoutes({
      sqlite: spool!,
      table: 'spooled_events',
      logger,
      secret: () => secret,
      context: () => context.current(),
      // Every stored event, pending or ignored: the main thread moves it into the inbox at once.
      onStored: (id) => post({ type: 'accepted', id }),
      busyWaitMs: data.webhooks.busyWaitMs,
    }),
  );
}
const front = createWebApp({ logger, routers, trustProxy: data.trustProxy }).callback();
const proxy = createProxy(data.target, data.token, (err) => logger.warn({ err: err.message }, 'front: the web app did not answer'));

// WEBHOOKS on or off, as the main thread last said (the Settings page changes it without a restart).
let webhooksEnabled = data.webhooks?.enabled === true;

/** Requests the front answers itself; everything else goes to the main thread. */
function answeredHere(req: http.IncomingMessage): boolean {
  const path = (req.url ?? '').split('?')[0];
  if (path === '/api/health' || path === '/api/health/') return true;
  return webhooksEnabled && path.startsWith('/webhooks/plex/');
}

const server = http.createServer(serverOptions(data.limits), (req, res) => {
  if (answeredHere(req)) void front(req, res);
  else proxy.handle(req, res);
});
applyServerLimits(server, data.limits);

server.once('error', (err: NodeJS.ErrnoException) => {
  post({ type: 'listen-failed', message: err.message, code: err.code });
});
server.listen(data.port, data.host, () => {
  post({ type: 'listening', port: (server.address() as AddressInfo).port });
});

port.on('message', (message: ToFront) => {
  if (message.type === 'probe-result') {
    const waiters = probeWaiters;
    probeWaiters = [];
    for (const w of waiters) w(message.value);
  } else if (message.type === 'webhooks') {
    webhooksEnabled = message.enabled && data.webhooks !== null;
  } else if (message.type === 'stop') {
    void stop();
  }
});

async function stop(): Promise<void> {
  // Stop accepting; requests in flight finish (a grace period, then their connections are closed).
  const grace = setTimeout(() => server.closeAllConnections(), data.limits.closeGraceMs);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearTimeout(grace);
  proxy.close();
  await database?.close();
  spool?.close();
  post({ type: 'stopped' });
}
