// GET / — the dashboard: what the library cache holds, the webhook inbox, the model's μ and ε and
// the latest run. Until Plex is configured it sends the person to Setup.
// GET /dashboard/activity — the inbox card and recent events alone, polled by htmx.
// The feed folds a run of consecutive echoes (Sagewire's own writes coming back from Plex: one per item a
// pass or an event wrote) into one row, so the event that caused them stays in view.
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';
import { eventFeed, type FeedEvent } from '../read-models/event-feed.js';

const SHOWN = 10;
/** Events read per view: enough that a burst of echoes does not hide the events before it. */
const READ = 200;

export type FeedRow = FeedEvent & { echoes?: number; oldestAt?: number };

export function foldEchoes(events: FeedEvent[], shown = SHOWN): FeedRow[] {
  const rows: FeedRow[] = [];
  for (const event of events) {
    const echo = event.status === 'done' && event.did.startsWith('echo');
    const last = rows[rows.length - 1];
    if (echo && last?.echoes) {
      last.echoes += 1;
      last.oldestAt = event.receivedAt;
      last.did = `${last.echoes} echoes of ratings Sagewire wrote: nothing to do`;
      continue;
    }
    if (rows.length === shown) break;
    rows.push(echo ? { ...event, echoes: 1, oldestAt: event.receivedAt } : event);
  }
  return rows;
}

async function feed(deps: AdminDeps, now: number): Promise<FeedRow[]> {
  return foldEchoes(await eventFeed(deps.db, await deps.status.recentEvents(READ), now));
}

export function showDashboard(deps: AdminDeps) {
  return async (ctx: Context) => {
    const status = await deps.status.current();
    if (!status.plex.configured) return ctx.redirect('/setup');
    const now = Date.now();
    await deps.views.page(ctx, 'dashboard', 'Dashboard', { status, events: await feed(deps, now), now });
  };
}

export function dashboardActivity(deps: AdminDeps) {
  return async (ctx: Context) => {
    const now = Date.now();
    const [status, events] = await Promise.all([deps.status.current(), feed(deps, now)]);
    deps.views.fragment(ctx, 'activity', { status, events, now });
  };
}
