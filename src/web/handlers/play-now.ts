// Play now from the pages (the play-now partial) and the JSON API.
//   GET  /play-now/players?id=[&fresh=1]   the player picker's <select> (htmx loads it). The pickers of one
//        page ask at once and share one look-up (the service keeps a list for a few seconds; ↻ asks anew);
//        the player last played on is preselected, so every picker agrees.
//   POST /play-now               player + keys (a generated list) | play_playlist | play_album; what happened.
//        Without JavaScript the pickers are never filled, so Play (or ↻, `look`) without a player answers
//        a page listing the players, server-rendered, carrying the target and the page to go back to.
//   GET  /api/players, POST /api/play   the API's own handlers (src/web/api/players.ts)
//
// Pages are rendered without asking Plex for its players: a page render stays as fast as the database
// makes it (the pages are measured against 100 ms), and a Plex that is slow or asleep costs the picker,
// not the page. The list comes after, from one htmx request per picker, each bounded by LIST_TIMEOUT_MS.
import type { Context, Next } from 'koa';
import { z } from 'zod';
import { PlayNowError, type PlayNow } from '../../playlists/play-now.js';
import { listPlayersHandler, playHandler, playRequestSchema, targetOf } from '../api/players.js';
import { safeNext } from '../auth/guards.js';
import type { AdminDeps } from '../deps.js';
import { getSetting, putSetting } from '../../db/settings-repo.js';
import { all, checked, maybeText, text } from '../forms/fields.js';
import { parseInput } from '../forms/parse.js';
import { isHtmx } from './playlist-compose.js';

/** The picker's id prefix: the page names it; anything else falls back to one that always works. */
const pickerId = maybeText().transform((id) => (id && /^[a-z][a-z0-9-]{0,30}$/.test(id) ? id : 'play'));

/** How long a picker waits for Plex's list: a page's pickers show "did not answer; ↻" rather than hang. */
const LIST_TIMEOUT_MS = 1500;
/**
 * How long one look-up serves the pickers of a page: they ask together, within milliseconds. Short, as a
 * player switched on since is only listed after it (or on ↻).
 */
const LIST_SHARE_MS = 2000;
/** The player last played on from the pages (one admin, so one setting: every device's pickers agree). */
const LAST_PLAYER_KEY = 'playlists.play-now.player';

const playForm = z.object({
  player: text().transform((p) => p.trim()),
  /** ↻ without JavaScript: list the players rather than play. */
  look: checked(),
  /** Where the players page goes back to after Play (the page the picker was on). */
  back: maybeText(),
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

/** The players for a picker, the remembered one selected (else the first), or what went wrong. */
async function playerList(deps: AdminDeps, playNow: PlayNow, fresh: boolean) {
  let players: Awaited<ReturnType<PlayNow['players']>> = [];
  let problem: string | null = null;
  const [listed, last] = await Promise.allSettled([
    playNow.players({ maxAgeMs: fresh ? 0 : LIST_SHARE_MS, timeoutMs: LIST_TIMEOUT_MS }),
    getSetting(deps.db, LAST_PLAYER_KEY),
  ]);
  if (listed.status === 'fulfilled') {
    players = listed.value;
    if (players.length === 0) problem = 'No Plex player is on. Open Plex or Plexamp on a device, then look again (↻).';
  } else {
    if (!(listed.reason instanceof PlayNowError)) throw listed.reason;
    problem = listed.reason.problem === 'unreachable' ? `${listed.reason.message} Look again: ↻.` : listed.reason.message;
  }
  if (last.status === 'rejected') throw last.reason;
  const selected = players.find((p) => p.id === last.value)?.id ?? players[0]?.id ?? null;
  return { players, problem, selected };
}

export function pickPlayers(deps: AdminDeps) {
  return async (ctx: Context) => {
    const playNow = playNowOf(deps, ctx);
    const { id, fresh } = await parseInput(ctx, z.object({ id: pickerId, fresh: checked() }), { from: 'query' });
    deps.views.fragment(ctx, 'play-now-players', { id, ...(await playerList(deps, playNow, fresh)) });
  };
}

/** The page a picker without JavaScript leads to: the players, server-rendered, and the target carried on. */
async function choosePlayer(deps: AdminDeps, ctx: Context, playNow: PlayNow, form: z.infer<typeof playForm>, problem: string | null) {
  const list = await playerList(deps, playNow, form.look);
  const target = form.play_playlist
    ? { playlist: form.play_playlist }
    : form.play_album
      ? { album: form.play_album }
      : { keys: form.keys.filter((k) => /^\d{1,12}$/.test(k)).slice(0, 500) };
  await deps.views.page(ctx, 'play-now', 'Play on a Plex player', {
    id: form.play_id,
    target,
    back: backTo(ctx, form.back),
    ...list,
    problem: problem ?? list.problem,
  });
}

/** The page to return to: the one given, else the Referer when it is this site, else the dashboard. */
function backTo(ctx: Context, given: string | undefined): string {
  if (given) return safeNext(given);
  try {
    const url = new URL(ctx.get('referer'));
    if (url.host === ctx.host) return safeNext(`${url.pathname}${url.search}`);
  } catch {
    // No usable Referer: the dashboard.
  }
  return '/';
}

export function playOnPlayer(deps: AdminDeps) {
  return async (ctx: Context) => {
    const playNow = playNowOf(deps, ctx);
    const form = await parseInput(ctx, playForm);
    if (!isHtmx(ctx) && (form.look || form.player === '')) return choosePlayer(deps, ctx, playNow, form, null);
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
        await putSetting(deps.db, LAST_PLAYER_KEY, result.player.id);
      } catch (err) {
        if (!(err instanceof PlayNowError)) throw err;
        problem = err.message;
      }
    }
    if (isHtmx(ctx)) return deps.views.fragment(ctx, 'play-now-result', { id: form.play_id, result, problem }); // htmx swaps only 2xx
    // Without JavaScript a failure stays on the players page, where another player can be chosen.
    if (!result) return choosePlayer(deps, ctx, playNow, form, problem);
    await deps.sessions.setFlash(ctx, { kind: 'success', text: `Playing on ${result.player.name}.` });
    ctx.redirect(backTo(ctx, form.back));
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
