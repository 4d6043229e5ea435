// Audio playlists: create (regular or smart), list, read, items, append (or, for a smart playlist, replace
// its query), clear, remove one item, delete.
import type { Router, RouterContext } from '@koa/router';
import type { SimDeps } from './deps.js';
import type { SimPlaylist, SimTrack } from '../library.js';
import { renderPlaylist, renderTrack } from '../render/items.js';
import { BadRequest, sendContainer, sendPage } from '../render/respond.js';
import { NotFound } from '../http/errors.js';
import { foldText } from '../query/fields.js';

export function playlistRoutes(router: Router, deps: SimDeps): void {
  const { state, playlists } = deps;
  const find = (ctx: RouterContext): SimPlaylist => {
    const playlist = playlists.get(ctx.params.id);
    if (!playlist) throw new NotFound();
    return playlist;
  };
  const render = (playlist: SimPlaylist): Record<string, unknown> => renderPlaylist(state, playlist, playlists.tracks(playlist));
  const sendOne = (ctx: RouterContext, playlist: SimPlaylist, extra: Record<string, unknown> = {}): void => {
    sendContainer(ctx, { size: 1, ...extra, Metadata: [render(playlist)] });
  };
  const uriParam = (ctx: RouterContext): string => {
    const uri = ctx.query.uri;
    if (typeof uri !== 'string' || uri === '') throw new BadRequest('uri is required');
    return uri;
  };

  router.post('/playlists', (ctx) => {
    const { type, title, smart } = ctx.query;
    if (type !== 'audio') throw new BadRequest('only audio playlists are simulated');
    if (typeof title !== 'string' || title.trim() === '') throw new BadRequest('title is required');
    if (smart !== undefined && smart !== '0' && smart !== '1') throw new BadRequest('smart must be 0 or 1');
    const playlist =
      smart === '1'
        ? playlists.createSmart(title, playlists.smartQueryFromUri(uriParam(ctx)))
        : playlists.create(title, playlists.tracksFromUri(uriParam(ctx)));
    sendOne(ctx, playlist);
  });

  router.get('/playlists', (ctx) => {
    const { playlistType, title, smart } = ctx.query;
    let list = playlists.list();
    if (playlistType !== undefined && playlistType !== 'audio') list = [];
    if (smart === '0' || smart === '1') list = list.filter((p) => (p.smartQuery !== undefined) === (smart === '1'));
    if (typeof title === 'string' && title !== '') list = list.filter((p) => foldText(p.title).includes(foldText(title)));
    sendPage(ctx, {}, list, render);
  });

  router.get('/playlists/:id', (ctx) => sendOne(ctx, find(ctx)));

  router.get('/playlists/:id/items', (ctx) => {
    const playlist = find(ctx);
    const header = render(playlist);
    // Smart playlists list their query's answer without playlistItemIDs (only regular items can be removed).
    const items: { playlistItemID?: number; track: SimTrack }[] =
      playlist.smartQuery === undefined ? playlists.liveItems(playlist) : playlists.tracks(playlist).map((track) => ({ track }));
    sendPage(
      ctx,
      {
        composite: header.composite,
        duration: header.duration,
        leafCount: header.leafCount,
        playlistType: 'audio',
        ratingKey: playlist.ratingKey,
        smart: header.smart,
        title: playlist.title,
      },
      items,
      ({ playlistItemID, track }) => ({ ...renderTrack(state, track), playlistItemID }),
    );
  });

  router.put('/playlists/:id/items', (ctx) => {
    const playlist = find(ctx);
    if (playlist.smartQuery !== undefined) {
      playlists.replaceSmartQuery(playlist, playlists.smartQueryFromUri(uriParam(ctx)));
      sendOne(ctx, playlist);
      return;
    }
    const keys = playlists.tracksFromUri(uriParam(ctx));
    playlists.append(playlist, keys);
    sendOne(ctx, playlist, { leafCountAdded: keys.length, leafCountRequested: keys.length });
  });

  router.delete('/playlists/:id/items', (ctx) => {
    const playlist = find(ctx);
    playlists.clear(playlist);
    sendOne(ctx, playlist);
  });

  router.delete('/playlists/:id/items/:itemId', (ctx) => {
    const playlist = find(ctx);
    if (!/^\d+$/.test(ctx.params.itemId)) throw new BadRequest('bad playlistItemID');
    if (!playlists.removeItem(playlist, Number(ctx.params.itemId))) throw new NotFound();
    sendOne(ctx, playlist);
  });

  router.delete('/playlists/:id', (ctx) => {
    if (!playlists.delete(ctx.params.id)) throw new NotFound();
    ctx.status = 200;
    ctx.body = '';
  });
}
