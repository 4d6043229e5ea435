// `GET /hubs/search?query=…&sectionId=…&limit=…`: one hub per type with items whose title contains the
// query (case- and accent-insensitive), from one section or, without `sectionId`, from all of them.
import type { Router } from '@koa/router';
import type { SimDeps } from './deps.js';
import type { ItemType, ItemRef } from '../state/state.js';
import { foldText } from '../query/fields.js';
import { renderRef } from '../render/items.js';
import { BadRequest, sendContainer } from '../render/respond.js';

const HUBS: [ItemType, string][] = [
  ['artist', 'Artists'],
  ['album', 'Albums'],
  ['track', 'Tracks'],
];

export function searchRoutes(router: Router, deps: SimDeps): void {
  const { state } = deps;
  router.get('/hubs/search', (ctx) => {
    const query = typeof ctx.query.query === 'string' ? foldText(ctx.query.query.trim()) : '';
    if (query === '') throw new BadRequest('query is required');
    const limit = ctx.query.limit === undefined ? 10 : Number(ctx.query.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new BadRequest('limit must be a positive integer');
    const sectionId = ctx.query.sectionId;
    const sections = sectionId === undefined ? state.sections : state.sections.filter((s) => String(s.id) === String(sectionId));
    const hubs = [];
    for (const [type, title] of HUBS) {
      const found: ItemRef[] = [];
      let more = false;
      search: for (const section of sections) {
        for (const ref of section.lists[type]) {
          if (!foldText(ref.item.title).includes(query)) continue;
          if (found.length === limit) {
            more = true;
            break search;
          }
          found.push(ref);
        }
      }
      if (found.length === 0) continue;
      hubs.push({
        title,
        type,
        hubIdentifier: type,
        context: `hub.${type}`,
        size: found.length,
        more,
        style: 'shelf',
        Metadata: found.map((ref) => renderRef(state, ref)),
      });
    }
    sendContainer(ctx, { size: hubs.length, Hub: hubs.length > 0 ? hubs : undefined });
  });
}
