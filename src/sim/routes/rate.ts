// `PUT /:/rate?key=…&identifier=com.plexapp.plugins.library&rating=…`: decimals accepted, -1 clears;
// sets lastRatedAt (not updatedAt); answers an empty 200. Echoed as `media.rate` when echoes are on.
import type { Router } from '@koa/router';
import type { SimDeps } from './deps.js';
import { BadRequest } from '../render/respond.js';
import { NotFound } from '../http/errors.js';

export function rateRoutes(router: Router, deps: SimDeps): void {
  router.put('/\\:/rate', (ctx) => {
    const key = String(ctx.query.key ?? '');
    const identifier = ctx.query.identifier;
    const raw = String(ctx.query.rating ?? '');
    if (!/^\d+$/.test(key)) throw new BadRequest('key is required');
    if (identifier !== undefined && identifier !== 'com.plexapp.plugins.library') throw new BadRequest('unknown identifier');
    const rating = Number(raw);
    if (raw === '' || !Number.isFinite(rating) || (rating !== -1 && (rating < 0 || rating > 10)))
      throw new BadRequest('rating must be 0–10 or -1');
    if (!deps.state.get(key)) throw new NotFound();
    deps.stats.rateCalls++;
    deps.state.apiRate(key, rating === -1 ? null : rating);
    ctx.status = 200;
    ctx.body = '';
  });
}
