// GET /reports — how well the learned model predicts your ratings, coverage, rating histograms, twins,
// dissenters, top and bottom artists and albums. Everything is computed once per model version, in the
// background after a change (web/read-models/reports.ts); the fit is the model's own (made by the last full
// pass); this only picks the histogram's kind.
import type { Context } from 'koa';
import { BINS, DISSENT } from '../read-models/reports.js';
import type { AdminDeps } from '../deps.js';
import { reportsQuery } from '../forms/browse.js';
import { parseInput } from '../forms/parse.js';
import { fitView } from '../services/model-settings.js';
import { ratingsOf } from './ratings-common.js';

export function showReports(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { kind } = await parseInput(ctx, reportsQuery, { from: 'query' });
    const view = await ratings.reports();
    const fit = fitView(ratings.model.get().fit);
    await deps.views.page(ctx, 'reports', 'Reports', {
      reports: view.reports,
      fit,
      at: view.at,
      stale: view.stale,
      self: `/reports?kind=${kind}`,
      kind,
      bins: BINS,
      dissent: DISSENT,
    });
  };
}
