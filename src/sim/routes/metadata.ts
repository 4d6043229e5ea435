// Items by ratingKey (one or a comma list), their children, all leaves, and artwork.
import type { Router, RouterContext } from '@koa/router';
import type { SimDeps } from './deps.js';
import { libraryAttrs } from './deps.js';
import type { ItemRef } from '../state/state.js';
import { renderRef } from '../render/items.js';
import { BadRequest, sendPage } from '../render/respond.js';
import { NotFound } from '../http/errors.js';
import { artworkFor } from '../jpeg.js';

export function metadataRoutes(router: Router, deps: SimDeps): void {
  const { state } = deps;
  const one = (key: string): ItemRef => {
    if (!/^\d+$/.test(key)) throw new BadRequest(`bad ratingKey ${key}`);
    const ref = state.get(key);
    if (!ref) throw new NotFound();
    return ref;
  };
  // The container names the section of the item asked about (the first one, for a list of ids).
  const attrs = (ref: ItemRef): Record<string, unknown> => libraryAttrs(state.sectionOf(ref.item.ratingKey));

  router.get('/library/metadata/:ids', (ctx) => {
    const keys = ctx.params.ids.split(',').filter((k) => k !== '');
    if (keys.length === 0 || keys.some((k) => !/^\d+$/.test(k))) throw new BadRequest('bad ratingKey list');
    // Several ids: the ones that exist (Plex skips unknown ones); a single unknown id is a 404.
    const refs = keys.map((k) => state.get(k)).filter((r): r is ItemRef => r !== undefined);
    if (refs.length === 0) throw new NotFound();
    sendPage(ctx, attrs(refs[0]), refs, (ref) => renderRef(state, ref));
  });

  router.get('/library/metadata/:key/children', (ctx) => {
    const ref = one(ctx.params.key);
    let children: ItemRef[] = [];
    if (ref.type === 'artist') children = (state.albumsByArtist.get(ref.item.ratingKey) ?? []).map((a) => state.get(a.ratingKey)!);
    else if (ref.type === 'album') children = (state.tracksByAlbum.get(ref.item.ratingKey) ?? []).map((t) => state.get(t.ratingKey)!);
    const parent =
      ref.type === 'artist'
        ? { key: ref.item.ratingKey, parentTitle: ref.item.title, title1: ref.item.title, viewGroup: 'album' }
        : { key: ref.item.ratingKey, parentTitle: ref.item.title, title1: ref.item.title, viewGroup: 'track' };
    sendPage(ctx, { ...attrs(ref), ...parent }, children, (child) => renderRef(state, child));
  });

  router.get('/library/metadata/:key/allLeaves', (ctx) => {
    const ref = one(ctx.params.key);
    const leaves =
      ref.type === 'artist'
        ? state.tracksOfArtist(ref.item.ratingKey)
        : ref.type === 'album'
          ? (state.tracksByAlbum.get(ref.item.ratingKey) ?? [])
          : [ref.item];
    sendPage(ctx, { ...attrs(ref), key: ref.item.ratingKey, title1: ref.item.title, viewGroup: 'track' }, leaves, (t) =>
      renderRef(state, state.get(t.ratingKey)!),
    );
  });

  const artwork = (ctx: RouterContext): void => {
    const ref = one(ctx.params.key);
    ctx.type = 'image/jpeg';
    ctx.set('Cache-Control', 'max-age=86400');
    ctx.body = artworkFor(ref.type === 'track' ? ref.item.albumKey : ref.item.ratingKey);
  };
  router.get('/library/metadata/:key/thumb/:ts', artwork);
  router.get('/library/metadata/:key/art/:ts', artwork);
  router.get('/library/metadata/:key/thumb', artwork);
}
