// The Koa application factory: returns an app whose callback() serves Sagewire's HTTP surface.
// Tests call app.callback() or listen on port 0; nothing here opens a port by itself.
//
// Middleware, top to bottom: errors (JSON, text or an HTML page) → security headers (CSP on every
// response) → the routers in the order given (public ones first: health, webhook, static, login;
// then the admin pages and /api, whose routers add session → login → CSRF themselves).
import Koa from 'koa';
import type { Router } from '@koa/router';
import type { Logger } from '../log.js';
import { errorResponses } from './errors.js';
import { securityHeaders } from './security-headers.js';

export interface WebAppOptions {
  logger: Logger;
  routers: Router[];
  /** Trust X-Forwarded-Proto/-For from a reverse proxy (TRUST_PROXY). Default false. */
  trustProxy?: boolean;
}

export function createWebApp(options: WebAppOptions): Koa {
  const app = new Koa({ proxy: options.trustProxy ?? false });
  app.silent = true;
  app.use(errorResponses(options.logger));
  app.use(securityHeaders());
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
