// Needs attention: dead-lettered webhook events (retry) and opted-out items (re-enable inference).
//   GET  /ratings/attention
//   POST /ratings/dead/retry           id=… (one) or nothing (all)
//   POST /ratings/opted-out/enable     key=… (one or more)
import type { Context } from 'koa';
import { optInItems } from '../../engine/tools/opt-in.js';
import { retryDeadEvents } from '../../webhooks/worker.js';
import type { AdminDeps } from '../deps.js';
import { parseInput } from '../forms/parse.js';
import { reEnableForm, retryDeadForm } from '../forms/ratings.js';
import { deadEvents, optedOutItems } from '../read-models/attention.js';
import { ratingsOf } from './ratings-common.js';

export function showAttention(deps: AdminDeps) {
  return async (ctx: Context) => {
    ratingsOf(deps, ctx);
    const [dead, optedOut] = await Promise.all([deadEvents(deps.db), optedOutItems(deps.db)]);
    await deps.views.page(ctx, 'ratings-attention', 'Needs attention', { dead, optedOut, now: Date.now() });
  };
}

export function retryDead(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { id } = await parseInput(ctx, retryDeadForm);
    const retried = await retryDeadEvents(deps.db, id !== undefined ? [id] : undefined);
    ratings.access.wakeWorker();
    deps.logger.info({ retried }, 'admin: dead-lettered events queued again');
    await deps.sessions.setFlash(ctx, {
      kind: retried > 0 ? 'success' : 'info',
      text: retried > 0 ? `${retried} event${retried === 1 ? '' : 's'} queued again.` : 'No dead-lettered event to retry.',
    });
    ctx.redirect('/ratings/attention#dead');
  };
}

export function reEnable(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { key: keys } = await parseInput(ctx, reEnableForm, { status: 422 });
    const { changed } = optInItems(ratings.store, keys);
    ratings.model.catchUp();
    deps.logger.info({ changed }, 'admin: opted-out items re-enabled');
    await deps.sessions.setFlash(ctx, {
      kind: 'success',
      text:
        `${changed} item${changed === 1 ? '' : 's'} re-enabled: ` +
        `the next pass or event may rate ${changed === 1 ? 'it' : 'them'} again.`,
    });
    ctx.redirect('/ratings/attention#opted-out');
  };
}
