// GET / — the dashboard: what the library cache holds, the webhook inbox, the model's μ and ε and
// the latest run. Until Plex is configured it sends the person to Setup.
// GET /dashboard/activity — the inbox card and recent events alone.
// GET /dashboard/events — server-sent events: the page's library, ratings and feed parts again, pushed
// within a fraction of a second of a change (src/web/live); htmx's SSE extension swaps them in.
// The feed folds a run of consecutive echoes (Sagewire's own writes coming back from Plex: one per item a
// pass or an event wrote) into one row, so the event that caused them stays in view.
import { PassThrough } from 'node:stream';
import type { Context } from 'koa';
import { FEED_WINDOW } from '../../db/dashboard-stamp.js';
import type { AdminDeps } from '../deps.js';
import { DEFAULT_LIVE_OPTIONS, type LiveOptions } from '../live/event-stream.js';
import { dashboardStream } from '../live/dashboard-live.js';
import { eventFeed, type FeedEvent } from '../read-models/event-feed.js';
import { dashboardRecoveryHint } from '../read-models/recovery-hint.js';
import { firstRunOnDashboard } from '../services/first-run.js';

const SHOWN = 10;
/**
 * Events read per view: enough that a burst of echoes does not hide the events before it. The live
 * dashboard's stamp watches the same rows.
 */
const READ = FEED_WINDOW;
/** What a client that does not read its stream may leave unsent before it is dropped (it reconnects). */
const MAX_BACKLOG_BYTES = 1 << 20;

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
  // The newest rows, and the newest events that are not echoes however many echoes followed them.
  return foldEchoes(await eventFeed(deps.db, await deps.status.recentEvents(READ, SHOWN), now));
}

/** What the page and each of its live parts read. */
async function dashboardData(deps: AdminDeps) {
  const now = Date.now();
  const [status, events] = await Promise.all([deps.status.current(), feed(deps, now)]);
  return { status, events, now };
}

export function showDashboard(deps: AdminDeps) {
  return async (ctx: Context) => {
    // The first visit of a fresh install opens the wizard (once); the steps left undone are listed here.
    const firstRun = await firstRunOnDashboard(deps);
    if (firstRun.sendTo) return ctx.redirect(firstRun.sendTo);
    const data = await dashboardData(deps);
    if (!data.status.plex.configured) return ctx.redirect('/setup');
    const recovery = await dashboardRecoveryHint(deps);
    await deps.views.page(ctx, 'dashboard', 'Dashboard', { ...data, firstRun: firstRun.steps, recovery });
  };
}

export function dashboardActivity(deps: AdminDeps) {
  return async (ctx: Context) => {
    deps.views.fragment(ctx, 'activity', await dashboardData(deps));
  };
}

export function dashboardEvents(deps: AdminDeps, options: LiveOptions = DEFAULT_LIVE_OPTIONS) {
  return (ctx: Context) => {
    const body = new PassThrough();
    const client = dashboardStream(deps, () => dashboardData(deps), options).connect(
      (text) => {
        if (body.writableLength > MAX_BACKLOG_BYTES) ctx.res.destroy();
        else body.write(text);
      },
      () => body.end(),
    );
    if (!client) {
      ctx.status = 503;
      ctx.set('Retry-After', '30');
      ctx.body = `${options.maxClients} live dashboards are open already, the most Sagewire serves at once; close one (another tab or browser) and reload.`;
      return;
    }
    // The stream stays open as long as the page does: no idle timeout, and each event leaves at once.
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.type = 'text/event-stream';
    ctx.set('Cache-Control', 'no-store');
    // A reverse proxy (nginx) in front of Sagewire passes each event on instead of buffering the response.
    ctx.set('X-Accel-Buffering', 'no');
    ctx.res.once('close', () => {
      client.close();
      body.end();
    });
    ctx.body = body;
  };
}
