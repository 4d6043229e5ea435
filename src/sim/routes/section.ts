// A music section by id (any of the server's; an unknown id is a 404): listing with paging/filters/sorts
// and the Meta block, bulk edits, tag values, and (empty) collections.
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
import type { SimSection } from '../state/section.js';

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
  const sectionOf = (ctx: RouterContext): SimSection => {
    const section = /^\d+$/.test(ctx.params.id) ? state.section(ctx.params.id) : undefined;
    if (!section) throw new NotFound();
    return section;
  };

  router.get('/library/sections/:id/all', (ctx) => {
    const section = sectionOf(ctx);
    const type = itemType(ctx.query.type, 'artist');
    const items = deps.queries.run(state, section, type, rawPairs(ctx.querystring));
    const meta = ctx.query.includeMeta === '1' ? metaBlock(section.id, type) : undefined;
    sendPage(
      ctx,
      {
        ...libraryAttrs(section),
        art: '/:/resources/artist-fanart.jpg',
        thumb: '/:/resources/artist.png',
        title1: section.title,
        title2: TITLES[type],
        viewGroup: type,
        Meta: meta,
      },
      items,
      (ref) => renderRef(state, ref),
    );
  });

  router.put('/library/sections/:id/all', (ctx) => {
    const section = sectionOf(ctx);
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
    applyEdit(state, { section, type, ids, params: rawPairs(ctx.querystring) });
    ctx.status = 200;
    ctx.body = '';
  });

  router.get('/library/sections/:id/collections', (ctx) => {
    const section = sectionOf(ctx);
    sendPage(ctx, { ...libraryAttrs(section), title1: section.title, title2: 'Collections' }, [], () => ({}));
  });

  const tagValueCache = new Map<string, { version: number; rows: Record<string, unknown>[] }>();
  router.get('/library/sections/:id/:tag', (ctx, next) => {
    if (!TAG_ENDPOINTS.has(ctx.params.tag)) return next();
    const section = sectionOf(ctx);
    const kind = ctx.params.tag as RegistryKind;
    const type = itemType(ctx.query.type, 'artist');
    const cacheKey = `${section.id}:${kind}:${type}`;
    let cached = tagValueCache.get(cacheKey);
    if (!cached || cached.version !== state.version) {
      const names = new Map<string, string>();
      const listName = kind === 'genre' ? 'genres' : kind === 'mood' ? 'moods' : kind === 'style' ? 'styles' : 'subformats';
      for (const ref of section.lists[type]) {
        const list = (ref.item as unknown as Record<string, string[] | undefined>)[listName];
        if (list) for (const name of list) names.set(name.toLowerCase(), name);
      }
      const rows = [...names.values()]
        .sort((a, b) => a.localeCompare(b))
        .map((name) => {
          const entry = state.tags.ensure(kind, name);
          return {
            fastKey: `/library/sections/${section.id}/all?type=${TYPE_CODES[type]}&${kind}=${entry.id}`,
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
      { allowSync: false, content: 'secondary', title1: section.title, title2: `By ${kind}`, viewGroup: 'secondary' },
      cached.rows,
      (row) => row,
      'Directory',
    );
  });
}
