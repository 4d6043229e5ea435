// The music section: listing with paging/filters/sorts and the Meta block, bulk edits, tag values,
// and (empty) collections.
import type { Router, RouterContext } from '@koa/router';
import type { SimDeps } from './deps.js';
import { libraryAttrs } from './deps.js';
import { TYPE_BY_CODE, TYPE_CODES, type ItemType } from '../state/state.js';
import { rawPairs } from '../query/filters.js';
import { metaBlock } from '../query/meta.js';
import { renderRef } from '../render/items.js';
import { BadRequest, sendPage } from '../render/respond.js';
import { applyEdit } from '../state/edits.js';
import { NotFound } from '../http/errors.js';
import type { RegistryKind } from '../state/tag-registry.js';

const TITLES: Record<ItemType, string> = { artist: 'All Artists', album: 'All Albums', track: 'All Tracks' };
const TAG_ENDPOINTS = new Set(['genre', 'mood', 'style', 'subformat']);

function itemType(raw: unknown, fallback: ItemType | undefined): ItemType {
  if (raw === undefined) {
    if (fallback) return fallback;
    throw new BadRequest('type is required');
  }
  const type = TYPE_BY_CODE[String(raw)];
  if (!type) throw new BadRequest(`unsupported type ${String(raw)} for a music section`);
  return type;
}

export function sectionRoutes(router: Router, deps: SimDeps): void {
  const { state } = deps;
  const checkSection = (ctx: RouterContext): void => {
    if (ctx.params.id !== String(state.sectionId)) throw new NotFound();
  };

  router.get('/library/sections/:id/all', (ctx) => {
    checkSection(ctx);
    const type = itemType(ctx.query.type, 'artist');
    const items = deps.queries.run(state, type, rawPairs(ctx.querystring));
    const meta = ctx.query.includeMeta === '1' ? metaBlock(state.sectionId, type) : undefined;
    sendPage(
      ctx,
      {
        ...libraryAttrs(deps),
        art: '/:/resources/artist-fanart.jpg',
        thumb: '/:/resources/artist.png',
        title1: state.library.section.title,
        title2: TITLES[type],
        viewGroup: type,
        Meta: meta,
      },
      items,
      (ref) => renderRef(state, ref),
    );
  });

  router.put('/library/sections/:id/all', (ctx) => {
    checkSection(ctx);
    const type = itemType(ctx.query.type, undefined);
    const rawIds = ctx.query.id;
    let ids: string[] | null = null;
    if (rawIds === undefined) {
      state.stats.editWithoutId++; // real Plex edits EVERY item of the type; a client must never do this
    } else {
      ids = String(rawIds)
        .split(',')
        .filter((s) => s !== '');
      if (ids.length === 0 || ids.some((id) => !/^\d+$/.test(id))) throw new BadRequest('id must be a comma-separated list of ratingKeys');
    }
    applyEdit(state, { type, ids, params: rawPairs(ctx.querystring) });
    ctx.status = 200;
    ctx.body = '';
  });

  router.get('/library/sections/:id/collections', (ctx) => {
    checkSection(ctx);
    sendPage(ctx, { ...libraryAttrs(deps), title1: state.library.section.title, title2: 'Collections' }, [], () => ({}));
  });

  const tagValueCache = new Map<string, { version: number; rows: Record<string, unknown>[] }>();
  router.get('/library/sections/:id/:tag', (ctx, next) => {
    if (!TAG_ENDPOINTS.has(ctx.params.tag)) return next();
    checkSection(ctx);
    const kind = ctx.params.tag as RegistryKind;
    const type = itemType(ctx.query.type, 'artist');
    const cacheKey = `${kind}:${type}`;
    let cached = tagValueCache.get(cacheKey);
    if (!cached || cached.version !== state.version) {
      const names = new Map<string, string>();
      const listName = kind === 'genre' ? 'genres' : kind === 'mood' ? 'moods' : kind === 'style' ? 'styles' : 'subformats';
      for (const ref of state.lists[type]) {
        const list = (ref.item as unknown as Record<string, string[] | undefined>)[listName];
        if (list) for (const name of list) names.set(name.toLowerCase(), name);
      }
      const rows = [...names.values()]
        .sort((a, b) => a.localeCompare(b))
        .map((name) => {
          const entry = state.tags.ensure(kind, name);
          return {
            fastKey: `/library/sections/${state.sectionId}/all?type=${TYPE_CODES[type]}&${kind}=${entry.id}`,
            key: String(entry.id),
            title: entry.name,
            type: kind,
          };
        });
      cached = { version: state.version, rows };
      tagValueCache.set(cacheKey, cached);
    }
    sendPage(
      ctx,
      { allowSync: false, content: 'secondary', title1: state.library.section.title, title2: `By ${kind}`, viewGroup: 'secondary' },
      cached.rows,
      (row) => row,
      'Directory',
    );
  });
}
