// The simulator's Koa app. Middleware reads top to bottom: count → error pages → plex.tv stand-in → token → faults/latency → routes.
import Koa from 'koa';
import { Router } from '@koa/router';
import type { SimDeps } from './routes/deps.js';
import { countRequests } from './http/stats.js';
import { errorPages } from './http/errors.js';
import { requireToken } from './http/auth.js';
import type { FaultInjector } from './http/faults.js';
import { serverRoutes } from './routes/server.js';
import { sectionRoutes } from './routes/section.js';
import { metadataRoutes } from './routes/metadata.js';
import { rateRoutes } from './routes/rate.js';
import { playlistRoutes } from './routes/playlists.js';
import { searchRoutes } from './routes/search.js';
import { controlRoutes } from './routes/control.js';
import { playerRoutes } from './routes/players.js';
import { playerControlRoutes } from './routes/player-control.js';
import { playQueueRoutes } from './routes/play-queues.js';
import { sonicRoutes } from './routes/sonic.js';
import { PlexTvStore, plexTvControlRoutes, plexTvRoutes } from './routes/plextv.js';

export function createSimApp(deps: SimDeps, faults: FaultInjector): Koa {
  const router = new Router();
  serverRoutes(router, deps);
  sectionRoutes(router, deps);
  metadataRoutes(router, deps);
  rateRoutes(router, deps);
  playlistRoutes(router, deps);
  searchRoutes(router, deps);
  sonicRoutes(router, deps);
  playQueueRoutes(router, deps);
  playerRoutes(router, deps);
  controlRoutes(router, deps);
  playerControlRoutes(router, deps);
  // plex.tv's stand-in answers without the server's token (it has its own account tokens); its controls need it.
  const plexTv = new PlexTvStore();
  const plexTvRouter = new Router();
  plexTvRoutes(plexTvRouter, deps, plexTv);
  plexTvControlRoutes(router, plexTv);

  const app = new Koa();
  app.silent = true; // errors are logged once, by errorPages
  app.use(countRequests(deps.stats, router));
  app.use(errorPages(deps.log));
  app.use(plexTvRouter.routes());
  app.use(requireToken(deps.token));
  app.use(faults.middleware());
  app.use(router.routes());
  return app;
}
