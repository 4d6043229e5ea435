// The last dry run's plan: the model it computed with, what it leaves alone by the person's choice, counts
// by reason and a filterable, sortable, paged table of its changes.
//   GET /ratings/plan        the page (htmx swaps only the table when the filter changes)
//   GET /ratings/plan.csv    every change, as CSV (points, as Plex stores them)
import type { Context } from 'koa';
import type { PassPlan } from '../../engine/pass/full-pass.js';
import { planCsv } from '../../engine/pass/plan-report.js';
import type { AdminDeps } from '../deps.js';
import { planQuery } from '../forms/browse.js';
import { parseInput } from '../forms/parse.js';
import { fitView } from '../services/model-settings.js';
import { ratingsOf } from './ratings-common.js';

export function showPlan(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const stored = ratings.actions.plan;
    const query = await parseInput(ctx, planQuery, { from: 'query' });
    const page = stored ? stored.query(query) : null;
    const data = {
      stored: stored
        ? {
            runId: stored.runId,
            at: stored.at,
            counts: stored.counts,
            total: stored.plan.writes.length,
            model: modelLine(stored.plan.fit),
            outside: stored.plan.outside,
          }
        : null,
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

/** The model a plan was computed with, in one line (the Reports page has the whole fit). */
function modelLine(fit: PassPlan['fit'] | undefined): { label: string; reason: string } | null {
  if (!fit) return null;
  const reason = fit.reason.trim();
  return { label: fitView(fit).chosenLabel, reason: /[.!?]$/.test(reason) ? reason : `${reason}.` };
}
