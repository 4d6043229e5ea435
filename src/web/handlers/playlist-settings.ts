// Playlist settings (their own section of the Settings page) and the JSON API.
//   POST /settings/playlists          provider, keys (write-only), base URLs, models per provider, prices
//   POST /api/playlists/generate      the pipeline's own handler, behind the API token (routes.ts)
import type { Context, Next } from 'koa';
import type { AdminDeps } from '../deps.js';
import { readForm } from '../form-body.js';
import { parseInput } from '../forms/parse.js';
import { playlistSettingsForm } from '../forms/settings.js';
import type { PlaylistSettingsView } from '../services/playlist-llm-settings.js';
import { generatePlaylistHandler } from '../api/playlists.js';
import { isHtmx, playlistsOf } from './playlist-compose.js';
import { settingsPage } from './settings.js';

export function savePlaylistSettings(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const refuse = async (view: PlaylistSettingsView) => {
      if (isHtmx(ctx)) return deps.views.fragment(ctx, 'playlist-settings', { playlists: view }); // htmx swaps only 2xx
      return deps.views.page(ctx, 'settings', 'Settings', await settingsPage(deps, { playlists: view }), 422);
    };
    const valid = await parseInput(ctx, playlistSettingsForm, {
      // The first field's problem, named as the page names its fields (the setting's name).
      invalid: async (errors) => {
        const [field, message] = Object.entries(errors)[0];
        await refuse(await ui.settings.view(await readForm(ctx), { [field.toUpperCase()]: message }));
      },
    });
    if (!valid) return;
    // The configuration judges the values as a whole (a saved value can never stop Sagewire from starting).
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
