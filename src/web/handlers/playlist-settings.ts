// Playlist settings (their own section of the Settings page) and the JSON API.
//   POST /settings/playlists          provider, keys (write-only), base URLs, models per provider, prices
//   POST /api/playlists/generate      the pipeline's own handler, behind the API token (routes.ts)
import type { Context, Next } from 'koa';
import type { AdminDeps } from '../deps.js';
import { readForm } from '../form-body.js';
import { generatePlaylistHandler } from '../../playlists/index.js';
import { isHtmx, playlistsOf } from './playlist-compose.js';
import { settingsPage } from './settings.js';

export function savePlaylistSettings(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const result = await ui.settings.save(await readForm(ctx));
    if (!result.ok) {
      if (isHtmx(ctx)) return deps.views.fragment(ctx, 'playlist-settings', { playlists: result.view }); // htmx swaps only 2xx
      return deps.views.page(ctx, 'settings', 'Settings', await settingsPage(deps, { playlists: result.view }), 422);
    }
    await ui.runtime.reload();
    deps.logger.info('admin: playlist settings saved');
    if (isHtmx(ctx)) {
      const view = await ui.settings.view();
      view.saved = true;
      return deps.views.fragment(ctx, 'playlist-settings', { playlists: view });
    }
    await deps.sessions.setFlash(ctx, { kind: 'success', text: 'Playlist settings saved.' });
    ctx.redirect('/settings#playlists');
  };
}

export function apiGeneratePlaylist(deps: AdminDeps) {
  const handler = deps.playlists ? generatePlaylistHandler({ service: deps.playlists.runtime }) : null;
  return async (ctx: Context, _next: Next) => {
    if (!handler) ctx.throw(503, 'Playlists are not available in this process');
    await handler(ctx);
  };
}
