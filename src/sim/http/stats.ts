// Counts every request by method and route template (`GET /library/metadata/:ids`), whatever its outcome.
import type { Context, Next } from 'koa';
import type { Router } from '@koa/router';
import type { SimStats } from '../stats.js';

export function countRequests(stats: SimStats, router: Router) {
  const templates = new Map<string, string>();
  const templateOf = (method: string, path: string): string => {
    const cacheKey = `${method} ${path}`;
    let template = templates.get(cacheKey);
    if (template === undefined) {
      // Routes are registered most specific first, so the first route layer is the one that answers.
      const first = router.match(path, method).pathAndMethod.find((l) => l.methods.length > 0);
      template = first ? String(first.path).replace(/\\:/g, ':') : 'unmatched';
      if (templates.size < 10_000) templates.set(cacheKey, template); // paths carry ids: keep the memo bounded
    }
    return template;
  };
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
    } finally {
      stats.countRequest(ctx.method, templateOf(ctx.method, ctx.path), ctx.respond === false ? 0 : ctx.status);
    }
  };
}
