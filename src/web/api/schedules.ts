// The schedules' JSON API, behind the API token like POST /api/playlists/generate (src/web/routes.ts):
//   GET    /api/playlists/schedules            every schedule: next and last run, result, target, paused, and the
//                                              filters its runs apply (`filtersPinned`: read from the prompt once)
//   POST   /api/playlists/schedules            the generate body (no `save`) + cron, name?, timezone? → 201 {id, nextRunAt}
//   POST   /api/playlists/schedules/:id/run    runs it now; answers like /api/playlists/generate
//   PATCH  /api/playlists/schedules/:id        {paused?, rereadPrompt?: true} → the schedule (rereadPrompt clears
//                                              the pinned filters: the next run analyses the prompt again)
//   DELETE /api/playlists/schedules/:id        → 204 (the Plex playlist and the history stay)
// 400 names the field · 404 unknown id · 409 a run of it is going · 413/415 body · 502 provider or Plex refused.
import type { Context } from 'koa';
import { z } from 'zod';
import { PlexError } from '../../plex/index.js';
import { ModelRejectedError, ProviderError, RequestError, SaveError } from '../../playlists/index.js';
import type { ProviderName } from '../../playlists/providers/provider.js';
import { ScheduleInputError } from '../../playlists/schedule-timing.js';
import { ScheduleBusyError, ScheduleNotFoundError, type ScheduleView, type Scheduler } from '../../playlists/schedules.js';
import { BodyError, readJsonBody } from './json-body.js';
import { firstIssue, generateRequestSchema } from './playlist-schema.js';
import { toApiResponse } from './playlists.js';

export interface ScheduleApiDeps {
  schedules: Scheduler | null;
  /** Default 64 KiB. */
  bodyLimitBytes?: number;
}

const scheduleFields = z.strictObject({
  cron: z.string().trim().min(1).max(120),
  name: z.string().trim().min(1).max(100).optional(),
  timezone: z.string().trim().min(1).max(64).optional(),
});

const patchBody = z
  .strictObject({ paused: z.boolean().optional(), rereadPrompt: z.literal(true).optional() })
  .refine((b) => b.paused !== undefined || b.rereadPrompt !== undefined, {
    message: 'give paused (true or false) or rereadPrompt (true)',
    path: ['paused'],
  });

const idParam = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

function fail(ctx: Context, status: number, error: string, field?: string): void {
  ctx.status = status;
  ctx.body = field ? { error, field } : { error };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toApiSchedule(s: ScheduleView) {
  return {
    id: s.id,
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    paused: s.paused,
    running: s.running,
    request: s.request,
    // What the runs apply: the request's own filters or those pinned after the first run's analysis.
    filters: s.filters,
    filtersPinned: s.pinned?.filters !== undefined,
    createdAt: iso(s.createdAt),
    nextRunAt: iso(s.nextRunAt),
    lastRunAt: iso(s.lastRunAt),
    lastStatus: s.lastStatus,
    lastError: s.lastError,
    lastNote: s.lastNote,
    lastHistoryId: s.lastHistoryId,
    target: s.target,
    skippedRuns: s.skippedRuns,
  };
}

/** The body, read with its size limit; null when the answer (413/415/400) has been given. */
async function bodyOf(ctx: Context, deps: ScheduleApiDeps): Promise<unknown | null> {
  try {
    return await readJsonBody(ctx, deps.bodyLimitBytes ?? 64 * 1024);
  } catch (err) {
    if (err instanceof BodyError) {
      fail(ctx, err.status, err.message);
      return null;
    }
    throw err;
  }
}

/** The :id of the path, or null when the 404 has been given. */
function idOf(ctx: Context): number | null {
  const parsed = idParam.safeParse(ctx.params.id);
  if (parsed.success) return parsed.data;
  fail(ctx, 404, `no schedule ${String(ctx.params.id).slice(0, 20)}`);
  return null;
}

function schedulerOf(ctx: Context, deps: ScheduleApiDeps): Scheduler {
  if (!deps.schedules) ctx.throw(503, 'Schedules are not available in this process');
  return deps.schedules;
}

/** Errors every handler answers the same way; anything else goes up to the app's error handler. */
function answerError(ctx: Context, err: unknown, model: string | undefined): void {
  const answer = knownError(err, model);
  if (!answer) throw err;
  fail(ctx, answer.status, (err as Error).message, answer.field);
}

function knownError(err: unknown, model: string | undefined): { status: number; field?: string } | null {
  if (err instanceof ScheduleNotFoundError) return { status: 404 };
  if (err instanceof ScheduleBusyError) return { status: 409 };
  if (err instanceof ScheduleInputError) return { status: 400, field: err.field };
  if (err instanceof RequestError) return { status: err.field === 'seedRatingKey' ? 404 : 400, field: err.field };
  if (err instanceof SaveError) return { status: err.status, field: err.field ?? undefined };
  if (err instanceof ModelRejectedError && model !== undefined) return { status: 400, field: 'model' };
  if (err instanceof ProviderError || err instanceof PlexError) return { status: 502 };
  return null;
}

export function listSchedulesApi(deps: ScheduleApiDeps) {
  return async (ctx: Context) => {
    ctx.body = { schedules: (await schedulerOf(ctx, deps).list()).map(toApiSchedule) };
  };
}

export function createScheduleApi(deps: ScheduleApiDeps) {
  return async (ctx: Context) => {
    const scheduler = schedulerOf(ctx, deps);
    const raw = await bodyOf(ctx, deps);
    if (raw === null) return;
    if (typeof raw !== 'object' || Array.isArray(raw)) return fail(ctx, 400, 'body: expected a JSON object', 'body');
    // The schedule's own fields, then the rest exactly as POST /api/playlists/generate takes it.
    const { cron, name, timezone, save, ...request } = raw as Record<string, unknown>;
    if (save !== undefined) return fail(ctx, 400, 'save: a schedule saves into its own playlist; leave save out', 'save');
    const own = scheduleFields.safeParse({ cron, name, timezone });
    if (!own.success) {
      const { field, message } = firstIssue(own.error);
      return fail(ctx, 400, `${field}: ${message}`, field);
    }
    const parsed = generateRequestSchema.safeParse(request);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return fail(ctx, 400, `${field}: ${message}`, field);
    }
    try {
      const created = await scheduler.create({
        ...own.data,
        request: { ...parsed.data, provider: parsed.data.provider as ProviderName | undefined },
      });
      ctx.status = 201;
      ctx.body = { id: created.id, nextRunAt: iso(created.nextRunAt) };
    } catch (err) {
      answerError(ctx, err, undefined);
    }
  };
}

export function runScheduleApi(deps: ScheduleApiDeps) {
  return async (ctx: Context) => {
    const scheduler = schedulerOf(ctx, deps);
    const id = idOf(ctx);
    if (id === null) return;
    const schedule = await scheduler.get(id);
    try {
      ctx.body = toApiResponse(await scheduler.runNow(id));
    } catch (err) {
      answerError(ctx, err, schedule?.request.model);
    }
  };
}

export function pauseScheduleApi(deps: ScheduleApiDeps) {
  return async (ctx: Context) => {
    const scheduler = schedulerOf(ctx, deps);
    const id = idOf(ctx);
    if (id === null) return;
    const raw = await bodyOf(ctx, deps);
    if (raw === null) return;
    const parsed = patchBody.safeParse(raw);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      return fail(ctx, 400, `${field}: ${message}`, field);
    }
    try {
      const { paused, rereadPrompt } = parsed.data;
      // Checked before either change, so a bad id changes nothing.
      if (!(await scheduler.get(id))) throw new ScheduleNotFoundError(id);
      let schedule = rereadPrompt ? await scheduler.rereadPrompt(id) : null;
      if (paused !== undefined) schedule = await scheduler.setPaused(id, paused);
      ctx.body = toApiSchedule(schedule!);
    } catch (err) {
      answerError(ctx, err, undefined);
    }
  };
}

export function deleteScheduleApi(deps: ScheduleApiDeps) {
  return async (ctx: Context) => {
    const scheduler = schedulerOf(ctx, deps);
    const id = idOf(ctx);
    if (id === null) return;
    try {
      await scheduler.remove(id);
      ctx.status = 204;
    } catch (err) {
      answerError(ctx, err, undefined);
    }
  };
}
