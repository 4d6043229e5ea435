// Undo, always behind a confirmation: one run, one webhook event (its run), or everything (typed).
//   GET  /ratings/runs/:id/undo      what undoing run :id would touch, and the button
//   POST /ratings/runs/:id/undo
//   GET  /ratings/events/:id/undo    the same for the run of one webhook event
//   POST /ratings/events/:id/undo
//   POST /ratings/undo-all           needs the words UNDO ALL typed in `confirm`
import type { Context } from 'koa';
import type { UndoScope } from '../../engine/tools/undo.js';
import type { AdminDeps } from '../deps.js';
import { parseInput } from '../forms/parse.js';
import { undoAllForm, undoParams } from '../forms/ratings.js';
import { ratingsOf, startJob } from './ratings-common.js';

async function scopeOf(ctx: Context, what: 'run' | 'event'): Promise<{ scope: UndoScope; label: string; action: string }> {
  const { id } = await parseInput(ctx, undoParams, { from: 'params', status: 404 });
  return what === 'run'
    ? { scope: { runId: id }, label: `Undo run ${id}`, action: `/ratings/runs/${id}/undo` }
    : { scope: { eventId: id }, label: `Undo event ${id}`, action: `/ratings/events/${id}/undo` };
}

export function confirmUndo(deps: AdminDeps, what: 'run' | 'event') {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { scope, label, action } = await scopeOf(ctx, what);
    const engine = ratings.access.deps();
    const run = what === 'run' ? ratings.store.runs.get((scope as { runId: number }).runId) : null;
    if (what === 'run' && !run) ctx.throw(404, 'There is no such run.');
    const items = engine ? ratings.actions.undoSize(engine, scope) : null;
    await deps.views.page(ctx, 'undo-confirm', label, {
      label,
      action,
      what,
      run,
      items,
      engineReady: engine !== null,
      busy: ratings.jobs.busy(),
    });
  };
}

export function undoOne(deps: AdminDeps, what: 'run' | 'event') {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { scope, label } = await scopeOf(ctx, what);
    await startJob(deps, ctx, '/ratings', () => ratings.actions.undo(scope, label));
  };
}

export function undoAll(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    await parseInput(ctx, undoAllForm, { status: 422 });
    await startJob(deps, ctx, '/ratings', () => ratings.actions.undo('all', 'Undo everything'));
  };
}
