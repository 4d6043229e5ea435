// /static/*: the stylesheet and the small script beside this file (copied to dist/web/static by the
// build), and htmx and its server-sent events extension (the live dashboard) from node_modules. A fixed
// list, read once; nothing is looked up from the URL path.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Router } from '@koa/router';

interface StaticFile {
  type: string;
  body: Buffer;
}

export function staticRoutes(version: string): Router {
  const here = (name: string) => new URL(`./static/${name}`, import.meta.url);
  const fromPackage = (path: string) => readFileSync(createRequire(import.meta.url).resolve(path));
  const files = new Map<string, StaticFile>([
    ['app.css', { type: 'text/css; charset=utf-8', body: readFileSync(here('app.css')) }],
    ['sagewire.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(here('sagewire.js')) }],
    ['htmx.min.js', { type: 'text/javascript; charset=utf-8', body: fromPackage('htmx.org/dist/htmx.min.js') }],
    ['sse.min.js', { type: 'text/javascript; charset=utf-8', body: fromPackage('htmx-ext-sse/dist/sse.min.js') }],
  ]);
  const router = new Router();
  router.get('/static/:name', (ctx) => {
    const file = files.get(ctx.params.name);
    if (!file) return;
    ctx.type = file.type;
    // Pages link assets with ?v=<version>, so a day of caching never serves a stale file after an upgrade.
    ctx.set('Cache-Control', ctx.query.v === version ? 'public, max-age=86400, immutable' : 'no-cache');
    ctx.body = file.body;
  });
  return router;
}
