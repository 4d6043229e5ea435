// One place where errors become responses: expected ones (ctx.throw(4xx) — safe to show) keep
// their status and message; anything else is logged once and answered with a plain 500.
// Browsers get a small HTML page (styled by /static, no inline anything); /api and webhooks get JSON.
import type { Context, Next } from 'koa';
import { DATABASE_BUSY_MESSAGE, isDatabaseBusy } from '../db/connection.js';
import type { Logger } from '../log.js';

export function errorResponses(logger: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && wantsHtml(ctx)) {
        ctx.status = 404;
        ctx.type = 'html';
        ctx.body = errorPage(404, 'There is no page at this address.');
      }
    } catch (thrown) {
      // Another program holding the database is temporary and worth saying plainly (a 503, not a 500).
      const err = isDatabaseBusy(thrown)
        ? Object.assign(new Error(DATABASE_BUSY_MESSAGE, { cause: thrown }), {
            status: 503,
            expose: true,
            headers: { 'Retry-After': '1' },
          })
        : thrown;
      const e = err as { status?: number; statusCode?: number; expose?: boolean; message?: string; headers?: Record<string, string> };
      const status = e.status ?? e.statusCode ?? 500;
      if (status >= 500 || !e.expose) {
        logger.error({ err, method: ctx.method, path: ctx.path }, 'web: request failed');
      }
      ctx.status = status;
      if (e.expose && e.headers) ctx.set(e.headers);
      const message = e.expose && e.message ? e.message : status >= 500 ? 'Internal error' : 'Request rejected';
      if (!wantsHtml(ctx)) {
        ctx.body = { error: message };
      } else if (ctx.get('HX-Request')) {
        // htmx swaps nothing on an error status; sagewire.js shows this text in the page's alert area.
        ctx.type = 'text/plain';
        ctx.body = message;
      } else {
        ctx.type = 'html';
        ctx.body = errorPage(status, message);
      }
    }
  };
}

function wantsHtml(ctx: Context): boolean {
  if (ctx.path.startsWith('/api/') || ctx.path.startsWith('/webhooks/')) return false;
  return ctx.accepts('html', 'json') === 'html';
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function errorPage(status: number, message: string): string {
  const title =
    status === 403
      ? 'Not allowed'
      : status === 404
        ? 'Not found'
        : status === 429
          ? 'Too many attempts'
          : status >= 500
            ? 'Something went wrong'
            : 'Request rejected';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${status} ${title} · Sagewire</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/app.css">
</head>
<body class="bare">
<main class="narrow" id="main">
<section class="card">
<h1>${status} · ${title}</h1>
<p>${escapeHtml(message)}</p>
<p><a class="button" href="/">Back to Sagewire</a></p>
</section>
</main>
</body>
</html>
`;
}
