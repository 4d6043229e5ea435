// GET / — the dashboard: what the library cache holds, the webhook inbox, the model's μ and ε and
// the latest run. Until Plex is configured it sends the person to Setup.
// GET /dashboard/activity — the inbox card and recent events alone, polled by htmx.
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';
import { eventFeed } from '../services/event-feed.js';

export function showDashboard(deps: AdminDeps) {
  return async (ctx: Context) => {
    const status = await deps.status.current();
    if (!status.plex.configured) return ctx.redirect('/setup');
    const now = Date.now();
    const events = await eventFeed(deps.db, await deps.status.recentEvents(10), now);
    await deps.views.page(ctx, 'dashboard', 'Dashboard', { status, events, now });
  };
}

export function dashboardActivity(deps: AdminDeps) {
  return async (ctx: Context) => {
    const now = Date.now();
    const [status, recent] = await Promise.all([deps.status.current(), deps.status.recentEvents(10)]);
    deps.views.fragment(ctx, 'activity', { status, events: await eventFeed(deps.db, recent, now), now });
  };
}
