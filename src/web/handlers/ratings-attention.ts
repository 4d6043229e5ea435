// Needs attention: dead-lettered webhook events (retry) and opted-out items (re-enable inference).
//   GET  /ratings/attention
//   POST /ratings/dead/retry           id=… (one) or nothing (all)
//   POST /ratings/opted-out/enable     key=… (one or more)
import type { Context } from 'koa';
import { optInItems } from '../../engine/tools/opt-in.js';
import { retryDeadEvents } from '../../webhooks/worker.js';
import type { AdminDeps } from '../deps.js';
import { readForm } from '../form-body.js';
import { deadEvents, optedOutItems } from '../read-models/attention.js';
import { ratingsOf } from './ratings-common.js';

export function showAttention(deps: AdminDeps) {
  return async (ctx: Context) => {
    const { sqlite } = ratingsOf(deps, ctx).access;
    await deps.views.page(ctx, 'ratings-attention', 'Needs attention', { dead: deadEvents(sqlite), optedOut: optedOutItems(sqlite), now: Date.now() });
  };
}

export function retryDead(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const id = Number((await readForm(ctx)).get('id') ?? '');
    const retried = await retryDeadEvents(deps.db, Number.isSafeInteger(id) && id > 0 ? [id] : undefined);
    ratings.access.wakeWorker();
    deps.logger.info({ retried }, 'admin: dead-lettered events queued again');
    await deps.sessions.setFlash(ctx, { kind: retried > 0 ? 'success' : 'info', text: retried > 0 ? `${retried} event${retried === 1 ? '' : 's'} queued again.` : 'No dead-lettered event to retry.' });
    ctx.redirect('/ratings/attention#dead');
  };
}

export function reEnable(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const keys = (await readForm(ctx)).getAll('key').filter((k) => k.length > 0 && k.length < 64).slice(0, 1000);
    if (keys.length === 0) ctx.throw(422, 'Choose at least one item to re-enable.');
    const { changed } = optInItems(ratings.store, keys);
    ratings.model.invalidate();
    deps.logger.info({ changed }, 'admin: opted-out items re-enabled');
    await deps.sessions.setFlash(ctx, { kind: 'success', text: `${changed} item${changed === 1 ? '' : 's'} re-enabled: the next pass or event may rate ${changed === 1 ? 'it' : 'them'} again.` });
    ctx.redirect('/ratings/attention#opted-out');
  };
}
