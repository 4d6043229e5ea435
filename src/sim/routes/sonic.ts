// `GET /library/metadata/{key}/nearest?limit=&maxDistance=&excludeParentID=&excludeGrandparentID=`:
// sonically similar items of the seed's type, nearest first, each the full element Plex renders plus
// `distance`. Defaults are the server's: limit 50, maxDistance 0.25. Plex Web sends `excludeParentID=-1`
// (exclude nothing); a real id leaves out the seed's album (or, for albums, its artist's) items.
// Without sonic analysis the answer follows `noSonicAnswer` (see config.ts).
import type { Router } from '@koa/router';
import type { SimDeps } from './deps.js';
import { libraryAttrs } from './deps.js';
import type { ItemRef } from '../state/state.js';
import { renderRef } from '../render/items.js';
import { BadRequest, sendContainer } from '../render/respond.js';
import { NotFound } from '../http/errors.js';
import { nearest } from '../query/sonic.js';

function numberParam(raw: unknown, name: string, fallback: number, check: (n: number) => boolean): number {
  if (raw === undefined) return fallback;
  const text = Array.isArray(raw) ? String(raw[0]) : String(raw);
  const n = Number(text);
  if (text === '' || !Number.isFinite(n) || !check(n)) throw new BadRequest(`bad ${name}: ${text}`);
  return n;
}

function parentKeys(state: SimDeps['state'], ref: ItemRef): [string | undefined, string | undefined] {
  if (ref.type === 'track') {
    const album = state.albumOf(ref.item);
    return [album.ratingKey, album.artistKey];
  }
  if (ref.type === 'album') return [ref.item.artistKey, undefined];
  return [undefined, undefined];
}

export function sonicRoutes(router: Router, deps: SimDeps): void {
  const { state, config } = deps;
  router.get('/library/metadata/:key/nearest', (ctx) => {
    const key = ctx.params.key;
    if (!/^\d+$/.test(key)) throw new BadRequest(`bad ratingKey ${key}`);
    const seed = state.get(key);
    if (!seed) throw new NotFound();
    const limit = numberParam(ctx.query.limit, 'limit', 50, (n) => Number.isInteger(n) && n >= 1);
    const maxDistance = numberParam(ctx.query.maxDistance, 'maxDistance', 0.25, (n) => n >= 0 && n <= 1);
    const excludeParent = numberParam(ctx.query.excludeParentID, 'excludeParentID', -1, Number.isInteger);
    const excludeGrandparent = numberParam(ctx.query.excludeGrandparentID, 'excludeGrandparentID', -1, Number.isInteger);
    const attrs = { ...libraryAttrs(state.sectionOf(key)), key: `/library/metadata/${key}/nearest` };

    if (!config.sonicAnalysis) {
      if (config.noSonicAnswer === 'notFound') throw new NotFound();
      sendContainer(ctx, { size: 0, ...attrs });
      return;
    }
    const wanted = (ref: ItemRef): boolean => {
      const [parent, grandparent] = parentKeys(state, ref);
      return (
        (excludeParent < 0 || parent !== String(excludeParent)) && (excludeGrandparent < 0 || grandparent !== String(excludeGrandparent))
      );
    };
    // Filter before the limit so an exclusion does not shorten the list below what was asked for.
    const found = nearest(state, seed, maxDistance)
      .filter((n) => wanted(n.ref))
      .slice(0, limit);
    sendContainer(ctx, {
      size: found.length,
      ...attrs,
      Metadata: found.length > 0 ? found.map((n) => ({ ...renderRef(state, n.ref), distance: n.distance })) : undefined,
    });
  });
}
