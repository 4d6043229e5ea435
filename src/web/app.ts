// The Koa application factory: returns an app whose callback() serves Sagewire's HTTP surface.
// Tests call app.callback() or listen on port 0; nothing here opens a port by itself.
//
// Middleware, top to bottom: errors (JSON, text or an HTML page) → security headers (CSP on every
// response) → the routers in the order given (public ones first: health, webhook, static, login;
// then the admin pages and /api, whose routers add session → login → CSRF themselves).
import Koa from 'koa';
import type { Router } from '@koa/router';
import type { Logger } from '../log.js';
import { FRONT_PEER_HEADER, FRONT_TOKEN_HEADER } from '../front/headers.js';
import { sameSecret } from '../secrets/tokens.js';
import { errorResponses } from './errors.js';
import { securityHeaders } from './security-headers.js';

export interface WebAppOptions {
  logger: Logger;
  routers: Router[];
  /** After the routers: one middleware answering the rest (the pages of the music section chosen). */
  handle?: Koa.Middleware;
  /** Trust X-Forwarded-Proto/-For from a reverse proxy (TRUST_PROXY). Default false. */
  trustProxy?: boolean;
  /**
   * Requests come through the front door (src/front), which names the client's address in a header
   * signed with this per-process token; without the token the header is ignored.
   */
  front?: { token: string };
}

export function createWebApp(options: WebAppOptions): Koa {
  // Behind a reverse proxy only the address the proxy itself saw counts (the rightmost X-Forwarded-For
  // entry): the entries before it are whatever the client wrote, and the sign-in limits go by address.
  const app = new Koa({ proxy: options.trustProxy ?? false, maxIpsCount: 1 });
  app.silent = true;
  if (options.front) app.use(clientAddressFromFront(options.front.token));
  app.use(errorResponses(options.logger));
  app.use(securityHeaders());
  for (const router of options.routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  if (options.handle) app.use(options.handle);
  return app;
}

/**
 * Behind the front door every connection comes from the front itself: the client's address is the one
 * the front names, when the request carries the front's token. The address then plays the socket's part
 * (X-Forwarded-For still wins when TRUST_PROXY is on, as Koa does). Both headers are removed.
 */
function clientAddressFromFront(token: string) {
  return async function clientAddress(ctx: Koa.Context, next: Koa.Next): Promise<void> {
    const given = ctx.get(FRONT_TOKEN_HEADER);
    const peer = ctx.get(FRONT_PEER_HEADER);
    delete ctx.req.headers[FRONT_TOKEN_HEADER];
    delete ctx.req.headers[FRONT_PEER_HEADER];
    if (given && peer && sameSecret(given, token)) ctx.request.ip = ctx.request.ips[0] || peer;
    await next();
  };
}
