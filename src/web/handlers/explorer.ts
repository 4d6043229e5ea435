// The item explorer: typo-tolerant search over artists, albums and tracks, and one item's page — its
// rating, who owns it, its history, and how its value is computed, in stars.
//   GET /explorer?q=&kind=     search (htmx swaps only the results while typing)
//   GET /explorer/item/:key    one item
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';
import { explorerQuery, itemParams } from '../forms/browse.js';
import { parseInput } from '../forms/parse.js';
import { ratingsOf } from './ratings-common.js';

export function showExplorer(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { q, kind } = await parseInput(ctx, explorerQuery, { from: 'query' });
    const started = performance.now();
    const hits = q ? (await ratings.search()).search(q, 40, kind) : [];
    const model = q ? ratings.model.get() : null;
    const results = hits.map((hit) => ({ ...hit, rating: model!.current.get(hit.key) ?? null, ownership: model!.ownershipOf(hit.key) }));
    const data = { q, kind: kind ?? '', results, ms: Math.round(performance.now() - started) };
    if (ctx.get('HX-Request') && ctx.get('HX-Target') === 'search-results') return deps.views.fragment(ctx, 'search-results', data);
    await deps.views.page(ctx, 'explorer', 'Explorer', data);
  };
}

export function showItem(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { key } = await parseInput(ctx, itemParams, { from: 'params', status: 404 });
    const view = ratings.item(key);
    if (!view) ctx.throw(404, 'There is no artist, album or track with this key in the library cache.');
    await deps.views.page(ctx, 'item', view.item.title, { view, now: Date.now() });
  };
}
