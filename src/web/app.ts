// The Koa application factory: returns an app whose callback() serves Sagewire's HTTP surface.
// Tests call app.callback() or listen on port 0; nothing here opens a port by itself.
import Koa from 'koa';
import type { Router } from '@koa/router';
import type { Logger } from '../log.js';
import { errorResponses } from './errors.js';

export interface WebAppOptions {
  logger: Logger;
  routers: Router[];
}

export function createWebApp(options: WebAppOptions): Koa {
  const app = new Koa({ proxy: false });
  app.silent = true;
  app.use(errorResponses(options.logger));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    await next();
  });
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
