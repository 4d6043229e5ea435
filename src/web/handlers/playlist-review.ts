// Review and save one generation. The edited list lives in the review form itself (the track keys in
// order and the title), so edits need no server state: every edit posts the form and gets the list back.
// Only tracks of this generation's result are accepted.
//   GET  /playlists/history/:id              review (or why it failed)
//   POST /playlists/history/:id/edit         op = up:<key> | down:<key> | remove:<key>; the list again
//   POST /playlists/history/:id/save         mode create | replace | append (+ playlist); result + Plex link
//   POST /playlists/history/:id/regenerate   the same request again, as a new generation
import type { Context } from 'koa';
import { scheduleMarks } from '../../db/playlist-schedules-repo.js';
import type { AdminDeps } from '../deps.js';
import { filtersInWords } from '../filter-words.js';
import { parseInput } from '../forms/parse.js';
import { OP_PROBLEM, historyParams, reviewEditForm, reviewSaveForm } from '../forms/playlists.js';
import { isPlexArtPath } from '../services/playlist-plex.js';
import { describePlaylistError, type HistoryEntry, type PlaylistUi } from '../services/playlist-ui.js';
import { SaveError, type ResultTrack } from '../../playlists/index.js';
import { PROVIDER_LABELS } from '../services/playlist-llm-settings.js';
import { isHtmx, playlistsOf } from './playlist-compose.js';

export interface ReviewTrack extends ResultTrack {
  art: string | null;
}

const artOf = (t: ResultTrack): ReviewTrack => ({
  ...t,
  art: t.thumb && isPlexArtPath(t.thumb) ? `/playlists/art?path=${encodeURIComponent(t.thumb)}` : null,
});

async function entryOf(ui: PlaylistUi, ctx: Context): Promise<HistoryEntry> {
  const { id } = await parseInput(ctx, historyParams, { from: 'params', status: 404 });
  const entry = await ui.entry(id);
  if (!entry) ctx.throw(404, 'There is no such generation in the history.');
  return entry;
}

/** The submitted keys (already this result's own) as the result's tracks. */
function tracksOf(entry: HistoryEntry, keys: string[]): ReviewTrack[] {
  const byKey = new Map(entry.tracks.map((t) => [t.ratingKey, t]));
  return keys.map((k) => artOf(byKey.get(k)!));
}

async function reviewData(ui: PlaylistUi, entry: HistoryEntry) {
  let playlists: { ratingKey: string; title: string; count: number }[] = [];
  let plexProblem: string | null = null;
  try {
    playlists = await ui.plex.playlists();
    if (!(await ui.plex.current())) plexProblem = 'Saving needs a Plex connection (Setup).';
  } catch (err) {
    plexProblem = `Cannot list the playlists in Plex: ${(err as Error).message}`;
  }
  return {
    entry,
    providerLabel: PROVIDER_LABELS[entry.provider as keyof typeof PROVIDER_LABELS] ?? entry.provider,
    filterText: filtersInWords(entry.filters),
    title: entry.title,
    tracks: entry.tracks.map(artOf),
    playlists,
    plexProblem,
    focus: null as string | null,
    saved: null,
  };
}

export function showReview(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const entry = await entryOf(ui, ctx);
    // A schedule's run names its schedule.
    const scheduled = (await scheduleMarks(deps.db, [entry.id])).get(entry.id) ?? null;
    await deps.views.page(ctx, 'playlist-review', entry.title || `Generation ${entry.id}`, { ...(await reviewData(ui, entry)), scheduled });
  };
}

export function editReview(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const entry = await entryOf(ui, ctx);
    const form = await parseInput(ctx, reviewEditForm(entry));
    const { title } = form;
    const tracks = tracksOf(entry, form.keys);
    const { op = null, key = null } = form.op ?? {};
    const at = tracks.findIndex((t) => t.ratingKey === key);
    let focus: string | null = null;
    if (at >= 0 && op === 'remove') {
      tracks.splice(at, 1);
      // Focus moves to the next row's remove button (or the previous one at the end), never to the page top.
      const next = tracks[Math.min(at, tracks.length - 1)];
      focus = next ? `remove:${next.ratingKey}` : null;
    } else if (at >= 0 && (op === 'up' || op === 'down')) {
      const to = op === 'up' ? at - 1 : at + 1;
      if (to >= 0 && to < tracks.length) [tracks[at], tracks[to]] = [tracks[to], tracks[at]];
      const now = op === 'up' ? Math.max(0, at - 1) : Math.min(tracks.length - 1, at + 1);
      // Keep the focus on the button that was pressed, or its twin when the track reached an end.
      focus =
        (op === 'up' && now === 0) || (op === 'down' && now === tracks.length - 1)
          ? `${op === 'up' ? 'down' : 'up'}:${key}`
          : `${op}:${key}`;
    } else if (op) {
      ctx.throw(400, OP_PROBLEM);
    }
    const page = { ...(await reviewData(ui, entry)), title, tracks, focus };
    if (isHtmx(ctx)) return deps.views.fragment(ctx, 'playlist-tracks', page);
    await deps.views.page(ctx, 'playlist-review', title, page);
  };
}

export function saveReview(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const entry = await entryOf(ui, ctx);
    const { mode, title, keys, playlist: target, confirm_replace: confirmed } = await parseInput(ctx, reviewSaveForm(entry));
    const tracks = tracksOf(entry, keys);
    if (mode === 'replace' && !confirmed) {
      // Replacing drops the playlist's tracks for good: name it and its size, and ask once.
      const known = (await ui.plex.playlists()).find((pl) => pl.ratingKey === target);
      const confirm = {
        playlist: target,
        title: known?.title ?? null,
        count: known?.count ?? null,
        tracks: tracks.length,
        action: `/playlists/history/${entry.id}/save`,
      };
      if (isHtmx(ctx)) return deps.views.fragment(ctx, 'playlist-saved', { confirm });
      return deps.views.page(ctx, 'playlist-review', title, { ...(await reviewData(ui, entry)), title, tracks, confirm });
    }
    let saved: { ratingKey: string; title: string; added: number; skipped: number; mode: string; link: string | null } | null = null;
    let problem: string | null = null;
    try {
      const result = await ui.runtime.save(
        entry.id,
        { mode, title, ...(mode === 'create' ? {} : { playlistRatingKey: target }) },
        { title, tracks },
      );
      saved = { ...result, mode, link: await ui.plex.playlistLink(result.ratingKey) };
      deps.logger.info(
        { generation: entry.id, mode, playlist: result.ratingKey, added: result.added, skipped: result.skipped },
        'playlists: saved to Plex',
      );
    } catch (err) {
      if (!(err instanceof SaveError) && !(err instanceof Error && err.name.startsWith('Plex'))) throw err;
      problem = describePlaylistError(err);
    }
    const data = { saved, problem };
    if (isHtmx(ctx)) return deps.views.fragment(ctx, 'playlist-saved', data); // htmx swaps only 2xx answers
    const page = { ...(await reviewData(ui, entry)), title, tracks, ...data };
    await deps.views.page(ctx, 'playlist-review', title, page, problem ? 422 : 200);
  };
}

export function regenerate(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const entry = await entryOf(ui, ctx);
    const { save: _ignored, variety: _fresh, ...request } = entry.request;
    const job = ui.generate(request, `${request.count} tracks again`);
    if (isHtmx(ctx)) return deps.views.fragment(ctx, 'playlist-job', { job, now: Date.now() }, 202);
    ctx.redirect(`/playlists/jobs/${job.id}`);
  };
}
