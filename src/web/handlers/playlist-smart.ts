// Plex smart playlists that use the ratings, on the page and in the JSON API.
//   GET  /playlists/smart             each definition: its filter (Plex syntax and in words), tracks matching
//                                     now, whether it is in Plex (with a link), Create / Update
//   POST /playlists/smart/:id         creates or updates it; back to the page with what happened
//   GET  /api/playlists/smart         the same as JSON
//   POST /api/playlists/smart/:id     → {ratingKey, title, filter}; 404 unknown, 503 Plex not set up, 502 Plex refused
import type { Context } from 'koa';
import { z } from 'zod';
import type { AdminDeps } from '../deps.js';
import { text } from '../forms/fields.js';
import { parseInput } from '../forms/parse.js';
import { SmartPlaylistError, type SmartPlaylists } from '../services/smart-playlists.js';
import { playlistsOf } from './playlist-compose.js';

const smartParams = z.object({
  id: text().refine((id) => /^[a-z][a-z-]{0,39}$/.test(id), 'There is no such smart playlist.'),
});

function smartOf(deps: AdminDeps, ctx: Context): SmartPlaylists {
  return playlistsOf(deps, ctx).smart;
}

export function showSmartPlaylists(deps: AdminDeps) {
  return async (ctx: Context) => {
    const overview = await smartOf(deps, ctx).overview();
    await deps.views.page(ctx, 'playlist-smart', 'Smart playlists', overview);
  };
}

export function saveSmartPlaylist(deps: AdminDeps) {
  return async (ctx: Context) => {
    const smart = smartOf(deps, ctx);
    const { id } = await parseInput(ctx, smartParams, { from: 'params' });
    try {
      const saved = await smart.save(id);
      deps.logger.info({ id, ratingKey: saved.ratingKey, created: saved.created }, 'playlists: smart playlist saved');
      await deps.sessions.setFlash(ctx, {
        kind: 'success',
        text: `${saved.created ? 'Created' : 'Updated'} “${saved.title}” in Plex: ${saved.filter}`,
      });
    } catch (err) {
      if (!(err instanceof SmartPlaylistError)) throw err;
      if (err.status === 404) ctx.throw(404, err.message);
      await deps.sessions.setFlash(ctx, { kind: 'error', text: err.message });
    }
    ctx.redirect('/playlists/smart');
  };
}

export function apiSmartPlaylists(deps: AdminDeps) {
  return async (ctx: Context) => {
    const { connected, problem, items } = await smartOf(deps, ctx).overview();
    ctx.body = {
      connected,
      ...(problem ? { problem } : {}),
      playlists: items.map(({ playlist, ...item }) => ({
        ...item,
        playlist: playlist ? { ratingKey: playlist.ratingKey, title: playlist.title, tracks: playlist.tracks } : null,
      })),
    };
  };
}

export function apiSaveSmartPlaylist(deps: AdminDeps) {
  return async (ctx: Context) => {
    const smart = smartOf(deps, ctx);
    const id = ctx.params.id as string;
    try {
      const { ratingKey, title, filter, created } = await smart.save(id);
      ctx.status = created ? 201 : 200;
      ctx.body = { ratingKey, title, filter };
    } catch (err) {
      if (!(err instanceof SmartPlaylistError)) throw err;
      ctx.status = err.status;
      ctx.body = { error: err.message };
    }
  };
}
