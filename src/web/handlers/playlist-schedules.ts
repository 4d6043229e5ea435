// Scheduled playlists in the admin UI.
//   GET  /playlists/schedules               every schedule: cron in words and its next runs, last run and
//                                           result (linked to its history row), target playlist, actions
//   POST /playlists/schedules               "Make this a schedule" from a history entry: name + cron
//   POST /playlists/schedules/:id/run       runs it now in the background (409 while a run goes)
//   POST /playlists/schedules/:id/pause|resume
//   POST /playlists/schedules/:id/delete    after the page's confirmation step; the Plex playlist stays
//   POST /playlists/schedules/:id/reread    clears the pinned filters: the next run analyses the prompt again
import type { Context } from 'koa';
import { ScheduleInputError, cronInWords, nextRuns } from '../../playlists/schedule-timing.js';
import { ScheduleBusyError, ScheduleNotFoundError, type ScheduleView, type Scheduler } from '../../playlists/schedules.js';
import type { AdminDeps } from '../deps.js';
import { filtersInWords } from '../filter-words.js';
import { parseInput } from '../forms/parse.js';
import { newScheduleForm, scheduleParams } from '../forms/playlist-schedules.js';
import { playlistsOf } from './playlist-compose.js';

function schedulerOf(deps: AdminDeps, ctx: Context): Scheduler {
  if (!deps.schedules) ctx.throw(503, 'Schedules are not available in this process');
  return deps.schedules;
}

/** A schedule as the page shows it: the expression in words where that is easy, and its next three runs. */
function pageView(s: ScheduleView, now: number) {
  let upcoming: number[] = [];
  try {
    upcoming = s.paused ? [] : nextRuns(s.cron, s.timezone, new Date(now), 3).map((d) => d.getTime());
  } catch {
    upcoming = [];
  }
  return { ...s, words: cronInWords(s.cron), upcoming, filterText: s.filters ? filtersInWords(s.filters) : null };
}

export function showSchedules(deps: AdminDeps) {
  return async (ctx: Context) => {
    const scheduler = schedulerOf(deps, ctx);
    const plex = playlistsOf(deps, ctx).plex;
    const now = Date.now();
    const schedules = (await scheduler.list()).map((s) => pageView(s, now));
    const links = new Map<string, string | null>();
    for (const s of schedules) {
      if (!s.target || links.has(s.target.ratingKey)) continue;
      links.set(s.target.ratingKey, await plex.playlistLink(s.target.ratingKey).catch(() => null));
    }
    await deps.views.page(ctx, 'playlist-schedules', 'Scheduled playlists', {
      schedules: schedules.map((s) => ({ ...s, link: s.target ? (links.get(s.target.ratingKey) ?? null) : null })),
      running: schedules.some((s) => s.running),
    });
  };
}

export function createSchedule(deps: AdminDeps) {
  return async (ctx: Context) => {
    const scheduler = schedulerOf(deps, ctx);
    const ui = playlistsOf(deps, ctx);
    const form = await parseInput(ctx, newScheduleForm);
    const entry = await ui.entry(form.generation);
    if (!entry) ctx.throw(404, 'There is no such generation in the history.');
    // The same request as the entry's (its variety aside: each run picks anew).
    const { save: _save, variety: _variety, ...request } = entry.request;
    try {
      // A done entry's filters are pinned: its prompt was analysed once already, its runs need not pay again.
      const pinned = entry.status === 'done' ? { filters: entry.filters } : undefined;
      const created = await scheduler.create({ request, cron: form.cron, name: form.name, pinned });
      await deps.sessions.setFlash(ctx, {
        kind: 'success',
        text: `Schedule “${form.name}” created; it first runs ${new Date(created.nextRunAt).toUTCString()}.`,
      });
      ctx.redirect('/playlists/schedules');
    } catch (err) {
      if (!(err instanceof ScheduleInputError)) throw err;
      ctx.throw(400, err.message);
    }
  };
}

/** The schedule actions: each answers with the list again and a flash message saying what happened. */
export function scheduleAction(deps: AdminDeps, action: 'run' | 'pause' | 'resume' | 'delete' | 'reread') {
  return async (ctx: Context) => {
    const scheduler = schedulerOf(deps, ctx);
    const { id } = await parseInput(ctx, scheduleParams, { from: 'params', status: 404 });
    const schedule = await scheduler.get(id);
    if (!schedule) ctx.throw(404, 'There is no such schedule.');
    let text: string;
    try {
      if (action === 'run') {
        // In the background: the list shows it running and refreshes until it is done.
        if (scheduler.isRunning(id)) throw new ScheduleBusyError(id);
        void scheduler.startNow(id).catch(() => {});
        text = `“${schedule.name}” is running now.`;
      } else if (action === 'reread') {
        await scheduler.rereadPrompt(id);
        text = `“${schedule.name}” reads its prompt again at its next run, and keeps the filters that run finds.`;
      } else if (action === 'delete') {
        await scheduler.remove(id);
        text = `Schedule “${schedule.name}” deleted. Its Plex playlist and its history stay.`;
      } else {
        await scheduler.setPaused(id, action === 'pause');
        text = action === 'pause' ? `“${schedule.name}” is paused.` : `“${schedule.name}” runs again on its schedule.`;
      }
    } catch (err) {
      if (err instanceof ScheduleBusyError) {
        await deps.sessions.setFlash(ctx, { kind: 'error', text: `“${schedule.name}” is already running; wait for its run to finish.` });
        return ctx.redirect('/playlists/schedules');
      }
      if (err instanceof ScheduleNotFoundError) ctx.throw(404, 'There is no such schedule.');
      throw err;
    }
    await deps.sessions.setFlash(ctx, { kind: 'success', text });
    ctx.redirect('/playlists/schedules');
  };
}
