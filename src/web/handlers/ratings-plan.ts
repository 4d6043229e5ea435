// The last dry run's plan: counts by reason and a filterable, sortable, paged table of its changes.
//   GET /ratings/plan        the page (htmx swaps only the table when the filter changes)
//   GET /ratings/plan.csv    every change, as CSV (points, as Plex stores them)
import type { Context } from 'koa';
import { planCsv } from '../../engine/pass/plan-report.js';
import type { AdminDeps } from '../deps.js';
import { planQuery } from '../forms/browse.js';
import { parseInput } from '../forms/parse.js';
import { ratingsOf } from './ratings-common.js';

export function showPlan(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const stored = ratings.actions.plan;
    const query = await parseInput(ctx, planQuery, { from: 'query' });
    const page = stored ? stored.query(query) : null;
    const data = {
      stored: stored ? { runId: stored.runId, at: stored.at, counts: stored.counts, total: stored.plan.writes.length } : null,
      query,
      page,
      now: Date.now(),
    };
    if (ctx.get('HX-Request') && ctx.get('HX-Target') === 'plan-table') return deps.views.fragment(ctx, 'plan-table', data);
    await deps.views.page(ctx, 'plan', 'Plan of the dry run', data);
  };
}

export function downloadPlan(deps: AdminDeps) {
  return async (ctx: Context) => {
    const stored = ratingsOf(deps, ctx).actions.plan;
    if (!stored) ctx.throw(404, 'There is no dry-run plan yet: run a dry run on the Ratings page first.');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="sagewire-plan-run-${stored.runId}.csv"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = planCsv(stored.plan);
  };
}
