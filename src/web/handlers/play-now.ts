// Play now from the pages (the play-now partial) and the JSON API.
//   GET  /play-now/players?id=   the player picker's <select>, listed fresh from Plex (htmx loads it)
//   POST /play-now               player + keys (a generated list) | play_playlist | play_album; what happened
//   GET  /api/players, POST /api/play   the API's own handlers (src/web/api/players.ts)
import type { Context, Next } from 'koa';
import { z } from 'zod';
import { PlayNowError, type PlayNow } from '../../playlists/play-now.js';
import { listPlayersHandler, playHandler, playRequestSchema, targetOf } from '../api/players.js';
import { safeNext } from '../auth/guards.js';
import type { AdminDeps } from '../deps.js';
import { all, maybeText, text } from '../forms/fields.js';
import { parseInput } from '../forms/parse.js';
import { isHtmx } from './playlist-compose.js';

/** The picker's id prefix: the page names it; anything else falls back to one that always works. */
const pickerId = maybeText().transform((id) => (id && /^[a-z][a-z0-9-]{0,30}$/.test(id) ? id : 'play'));

const playForm = z.object({
  player: text().transform((p) => p.trim()),
  keys: all(),
  // Prefixed: the review form the picker may sit in has its own `playlist` (where to save).
  play_playlist: maybeText(),
  play_album: maybeText(),
  play_id: pickerId,
});

function playNowOf(deps: AdminDeps, ctx: Context): PlayNow {
  if (!deps.playNow) ctx.throw(503, 'Playing on a Plex player is not available in this process');
  return deps.playNow;
}

export function pickPlayers(deps: AdminDeps) {
  return async (ctx: Context) => {
    const playNow = playNowOf(deps, ctx);
    const { id } = await parseInput(ctx, z.object({ id: pickerId }), { from: 'query' });
    let players: Awaited<ReturnType<PlayNow['players']>> = [];
    let problem: string | null = null;
    try {
      players = await playNow.players(AbortSignal.timeout(5000));
      if (players.length === 0) problem = 'No Plex player is on. Open Plex or Plexamp on a device, then look again.';
    } catch (err) {
      if (!(err instanceof PlayNowError)) throw err;
      problem = err.message;
    }
    deps.views.fragment(ctx, 'play-now-players', { id, players, problem });
  };
}

export function playOnPlayer(deps: AdminDeps) {
  return async (ctx: Context) => {
    const playNow = playNowOf(deps, ctx);
    const form = await parseInput(ctx, playForm);
    const request = playRequestSchema.safeParse({
      player: form.player || undefined,
      ratingKeys: form.keys.length > 0 ? form.keys : undefined,
      playlistRatingKey: form.play_playlist || undefined,
      albumRatingKey: form.play_album || undefined,
    });
    let result: Awaited<ReturnType<PlayNow['play']>> | null = null;
    let problem: string | null = null;
    if (!request.success) {
      const issue = request.error.issues[0];
      problem = issue.path[0] === 'player' ? 'Choose a player first.' : `Nothing to play: ${issue.message}.`;
    } else {
      try {
        result = await playNow.play(request.data.player, targetOf(request.data));
        deps.logger.info({ player: result.player.id, playQueue: result.playQueueID, tracks: result.size }, 'play now: playing');
      } catch (err) {
        if (!(err instanceof PlayNowError)) throw err;
        problem = err.message;
      }
    }
    if (isHtmx(ctx)) return deps.views.fragment(ctx, 'play-now-result', { id: form.play_id, result, problem }); // htmx swaps only 2xx
    await deps.sessions.setFlash(
      ctx,
      result ? { kind: 'success', text: `Playing on ${result.player.name}.` } : { kind: 'error', text: problem! },
    );
    const referer = ctx.get('referer');
    let back = '/';
    try {
      const url = new URL(referer);
      if (url.host === ctx.host) back = safeNext(`${url.pathname}${url.search}`);
    } catch {
      // No usable Referer: the dashboard.
    }
    ctx.redirect(back);
  };
}

/** The API's handlers behind the API token; 503 where this process has no play-now service. */
export function apiPlayers(deps: AdminDeps) {
  const handler = deps.playNow ? listPlayersHandler({ playNow: deps.playNow }) : null;
  return async (ctx: Context, _next: Next) => {
    if (!handler) ctx.throw(503, 'Playing on a Plex player is not available in this process');
    await handler(ctx);
  };
}

export function apiPlay(deps: AdminDeps) {
  const handler = deps.playNow ? playHandler({ playNow: deps.playNow }) : null;
  return async (ctx: Context, _next: Next) => {
    if (!handler) ctx.throw(503, 'Playing on a Plex player is not available in this process');
    await handler(ctx);
  };
}
