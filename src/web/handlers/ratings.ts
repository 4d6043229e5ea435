// The Ratings page: the full pass (dry run → its plan → apply, with live progress and cancel), run history
// with per-run undo, and undo all.
//   GET  /ratings              the page
//   GET  /ratings/job          the job panel alone (htmx polls it while a job runs)
//   POST /ratings/dry-run      plan without writing
//   POST /ratings/apply        a full pass that writes
//   POST /ratings/cancel       stop the running job after its batch in flight
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';
import { parseInput } from '../forms/parse.js';
import { jobPanelQuery } from '../forms/ratings.js';
import { ratingsOf, startJob } from './ratings-common.js';

export function showRatings(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const status = await deps.status.current();
    const plan = ratings.actions.plan;
    const runs = ratings.runs(25);
    // A run that changed ratings after the plan was made (an undo, an applied pass, a recover, an import) makes
    // its numbers wrong: the page says so rather than show them as current. Events' small runs are left out.
    const changedSince = plan
      ? runs.find(
          (r) => r.kind !== 'dry' && r.kind !== 'event' && r.status === 'done' && r.id > plan.runId && (r.finishedAt ?? 0) >= plan.at,
        )
      : undefined;
    await deps.views.page(ctx, 'ratings', 'Ratings', {
      job: ratings.jobs.current(),
      engineReady: ratings.access.deps() !== null,
      dryRunMode: status.mode.dryRun,
      model: status.model,
      plan: plan
        ? {
            runId: plan.runId,
            at: plan.at,
            counts: plan.counts,
            total: plan.plan.writes.length,
            driftSkipped: plan.plan.driftSkipped,
            takeovers: plan.plan.takeovers.length,
            optOuts: plan.plan.optOuts.length,
            mu: plan.plan.mu,
            epsilon: plan.plan.epsilon,
            computeMs: plan.plan.computeMs,
            staleBy: changedSince ? { runId: changedSince.id, kind: changedSince.kind } : null,
          }
        : null,
      runs,
      now: Date.now(),
    });
  };
}

export function jobPanel(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { watching } = await parseInput(ctx, jobPanelQuery, { from: 'query' });
    const job = ratings.jobs.current();
    // The job the page watched has finished: reload it, so history, plan and counts show the result.
    if (watching && job?.state !== 'running' && ctx.get('HX-Request')) ctx.set('HX-Refresh', 'true');
    deps.views.fragment(ctx, 'job', { job, watching: job?.state === 'running' });
  };
}

export function startDryRun(deps: AdminDeps) {
  return async (ctx: Context) => startJob(deps, ctx, '/ratings', () => ratingsOf(deps, ctx).actions.dryRun());
}

export function startFullPass(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    if ((await deps.status.current()).mode.dryRun)
      ctx.throw(409, 'Dry-run mode is on (Settings): Sagewire writes nothing to Plex. Turn it off to apply the plan.');
    await startJob(deps, ctx, '/ratings', () => ratings.actions.fullPass());
  };
}

export function cancelJob(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const cancelled = ratings.jobs.cancel();
    if (ctx.get('HX-Request')) return deps.views.fragment(ctx, 'job', { job: ratings.jobs.current(), watching: true });
    await deps.sessions.setFlash(ctx, {
      kind: 'info',
      text: cancelled ? 'Cancelling: the job stops after the batch in flight.' : 'No job is running.',
    });
    ctx.redirect('/ratings#job');
  };
}
