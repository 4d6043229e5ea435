// Playlist history and the art proxy.
//   GET /playlists/history        every generation: request, filters, provider, model, tokens per call, cost
//   GET /playlists/art?path=      album art fetched from Plex server-side (the token stays here); only
//                                 `/library/metadata/<id>/thumb|art[/<ts>]` paths, anything else is a 400
import type { Context } from 'koa';
import { scheduleMarks } from '../../db/playlist-schedules-repo.js';
import type { AdminDeps } from '../deps.js';
import { artQuery } from '../forms/playlists.js';
import { parseInput } from '../forms/parse.js';
import { PROVIDER_LABELS } from '../services/playlist-llm-settings.js';
import { playlistsOf } from './playlist-compose.js';

export function showHistory(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const entries = await ui.history(100);
    // A schedule's runs are marked with the schedule (and a catch-up run says so).
    const scheduled = await scheduleMarks(
      deps.db,
      entries.map((e) => e.id),
    );
    await deps.views.page(ctx, 'playlist-history', 'Playlist history', { entries, labels: PROVIDER_LABELS, scheduled });
  };
}

export function playlistArt(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const { path } = await parseInput(ctx, artQuery, { from: 'query' });
    let image = null;
    try {
      image = await ui.plex.art(path);
    } catch (err) {
      deps.logger.debug({ err: (err as Error).message }, 'playlists: album art not fetched');
    }
    if (!image) {
      ctx.status = 404;
      ctx.set('Cache-Control', 'private, max-age=300');
      ctx.body = 'no artwork';
      return;
    }
    ctx.type = image.type;
    // Plex puts a timestamp in thumb paths, so the same path is the same picture: cache it for a day.
    ctx.set('Cache-Control', 'private, max-age=86400');
    ctx.body = image.body;
  };
}
