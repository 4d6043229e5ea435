// The queries of the pages that only read: explorer search, one item, reports, the dry run's plan. A link
// with an unknown value shows the page with the default rather than an error.
import { z } from 'zod';
import { PLAN_SORTS, type PlanQuery } from '../read-models/plan.js';
import { choice, maybeText, searchText, text } from './fields.js';

/** GET /explorer?q=&kind= */
export const explorerQuery = z.object({
  q: searchText(),
  kind: choice(['artist', 'album', 'track', ''], '').transform((kind) => kind || undefined),
});

/** GET /explorer/item/:key: a key that cannot be one is an item that does not exist. */
export const itemParams = z.object({
  key: text().refine((key) => key.length > 0 && key.length < 64, 'There is no artist, album or track with this key in the library cache.'),
});

/** GET /reports?kind= */
export const reportsQuery = z.object({ kind: choice(['track', 'artist', 'album'], 'track') });

/** GET /ratings/plan?kind=&reason=&q=&sort=&dir=&page= */
export const planQuery: z.ZodType<PlanQuery, Record<string, unknown>> = z.object({
  kind: choice(['artist', 'album', 'track', ''], ''),
  reason: choice(['new', 'moved', ''], ''),
  q: text().transform((q) => q.slice(0, 200)),
  sort: choice(PLAN_SORTS, 'artist'),
  dir: choice(['asc', 'desc'], 'asc'),
  page: maybeText().transform((value) => {
    const page = Number.parseInt(value ?? '', 10);
    return Number.isFinite(page) && page > 0 ? page : 1;
  }),
});
