// GET /api/status — the status service as JSON (Bearer token or session).
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';

export function apiStatus(deps: AdminDeps) {
  return async (ctx: Context) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await deps.status.current();
  };
}
