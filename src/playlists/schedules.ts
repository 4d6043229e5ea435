// Scheduled playlists: a saved request regenerated on a cron schedule into the same Plex playlist.
// One croner job per active schedule calls fire(); a run regenerates through the runtime (so the provider
// settings in effect apply), leaving out the previous run's tracks where the pool allows, then replaces
// the schedule's playlist (the first run creates it; one deleted in Plex is made again and recorded).
// Runs of one schedule never overlap: a tick that comes while its run still goes is skipped and counted.
// A tick missed while Sagewire was down is one catch-up run at start, not one per tick. A run never
// throws out of here: its failure is recorded on the schedule (and the generation's own history row).
// A prompt without filters is analysed once: the first successful run's filters are pinned on the schedule
// (a seed without ticked dimensions: its description), and later runs send them, so the analysis model is
// not paid again at every run. "Re-read the prompt" clears the pin; so does a pin the library no longer matches.
import { performance } from 'node:perf_hooks';
import { Cron } from 'croner';
import type { Kysely } from 'kysely';
import {
  deleteSchedule,
  getSchedule,
  insertSchedule,
  latestScheduledGeneration,
  listSchedules,
  previousRunKeys,
  recordScheduleRun,
  recordSkippedRun,
  setNextRun,
  setPaused,
  setPinned,
  type ScheduleRow,
} from '../db/playlist-schedules-repo.js';
import type { Database } from '../db/schema.js';
import type { ScheduleTrigger } from '../db/tables/playlist-schedules.js';
import type { FilterSpec, SeedDimension } from '../domain/playlist/index.js';
import type { GenerationResult } from './generation-service.js';
import type { GenerateInput } from './plan-request.js';
import { RequestError } from './request-plan.js';
import { SaveError, type SaveRequest } from './save.js';
import { checkTimezone, cronOf, missedRun, nextRuns, serverTimezone } from './schedule-timing.js';

/** What a run needs of the playlist runtime (PlaylistRuntime). */
export interface ScheduleRuntime {
  generate(input: GenerateInput): Promise<GenerationResult>;
  save(
    id: number,
    request: SaveRequest,
    result: Pick<GenerationResult, 'title' | 'tracks'>,
  ): Promise<{ ratingKey: string; title: string; added: number; skipped: number }>;
}

interface ScheduleLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SchedulerOptions {
  db: Kysely<Database>;
  runtime: ScheduleRuntime;
  log: ScheduleLog;
  /** Epoch milliseconds; tests move it. */
  now?: () => number;
  /** False: no timers are armed (tests call fire() themselves). */
  timers?: boolean;
}

/** The request a schedule repeats: the generate body without `save`. */
export type ScheduleRequest = Omit<GenerateInput, 'save' | 'excludeKeys' | 'schedule'>;

/** What a schedule adds to its request instead of asking a model again. */
export interface PinnedReading {
  /** A prompt's analysed filters. */
  filters?: FilterSpec;
  /** A seed's description. */
  keep?: SeedDimension[];
}

export interface NewScheduleInput {
  request: ScheduleRequest;
  cron: string;
  name?: string;
  timezone?: string;
  /** Already known (a history row's filters): the first run does not analyse either. */
  pinned?: PinnedReading;
}

export interface RunOutcome {
  status: 'done' | 'failed' | 'skipped';
  result?: GenerationResult;
  error?: unknown;
  /** Wall time of the two halves of a run, in milliseconds. */
  timings?: { generateMs: number; saveMs: number };
}

export interface ScheduleView {
  id: number;
  name: string;
  cron: string;
  timezone: string;
  request: ScheduleRequest;
  /** Pinned by the schedule, not given with its request; null when the next run reads the request afresh. */
  pinned: PinnedReading | null;
  /** The filters a run applies: the request's own, else the pinned ones; null when a run analyses the prompt
   *  (or, for a seed, describes the track). */
  filters: FilterSpec | null;
  paused: boolean;
  running: boolean;
  createdAt: number;
  nextRunAt: number | null;
  lastRunAt: number | null;
  lastStatus: 'done' | 'failed' | null;
  lastError: string | null;
  lastNote: string | null;
  lastHistoryId: number | null;
  target: { ratingKey: string; title: string } | null;
  skippedRuns: number;
}

export class ScheduleNotFoundError extends Error {
  constructor(id: number) {
    super(`no schedule ${id}`);
    this.name = 'ScheduleNotFoundError';
  }
}

export class ScheduleBusyError extends Error {
  constructor(id: number) {
    super(`schedule ${id} is running; try again when its run has finished`);
    this.name = 'ScheduleBusyError';
  }
}

export class Scheduler {
  private readonly jobs = new Map<number, Cron>();
  private readonly running = new Map<number, Promise<RunOutcome>>();
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {}

  /** Arms every active schedule; once `ready` (the library cache is there), runs the missed ones once each. */
  async start(ready: Promise<unknown> = Promise.resolve()): Promise<void> {
    this.stopped = false;
    const rows = await listSchedules(this.options.db);
    const missed = rows.filter((r) => missedRun({ paused: r.paused === 1, nextRunAt: r.next_run_at }, this.now()));
    for (const row of rows) if (row.paused === 0) await this.arm(row);
    if (missed.length > 0)
      this.options.log.info(
        { schedules: missed.map((r) => r.id) },
        'schedules: runs were missed while Sagewire was down; running each once',
      );
    void ready
      .then(async () => {
        for (const row of missed) if (!this.stopped) await this.fire(row.id, 'missed');
      })
      .catch((err) => this.options.log.error({ err }, 'schedules: catch-up runs failed'));
  }

  /** Stops every timer, then waits for the runs in flight (they are recorded before the database closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
    // A catch-up still waiting for the library starts nothing more; only runs already going are awaited.
    await Promise.allSettled(this.running.values());
  }

  async create(input: NewScheduleInput): Promise<{ id: number; nextRunAt: number }> {
    const timezone = checkTimezone(input.timezone ?? serverTimezone());
    const [next] = nextRuns(input.cron, timezone, new Date(this.now()));
    const name = (input.name ?? defaultName(input.request)).slice(0, 100);
    const id = await insertSchedule(this.options.db, {
      name,
      cron: input.cron,
      timezone,
      request: JSON.stringify(input.request),
      pinned: input.pinned ? JSON.stringify(pinnable(input.request, input.pinned)) : null,
      playlist_rating_key: null,
      playlist_title: null,
      created_at: this.now(),
      next_run_at: next.getTime(),
      last_run_at: null,
      last_status: null,
      last_error: null,
      last_note: null,
      last_history_id: null,
      last_skipped_at: null,
    });
    const row = await getSchedule(this.options.db, id);
    if (row && !this.stopped) await this.arm(row);
    this.options.log.info({ schedule: id, cron: input.cron, timezone }, 'schedules: created');
    return { id, nextRunAt: next.getTime() };
  }

  async list(): Promise<ScheduleView[]> {
    return (await listSchedules(this.options.db)).map((r) => this.view(r));
  }

  async get(id: number): Promise<ScheduleView | null> {
    const row = await getSchedule(this.options.db, id);
    return row ? this.view(row) : null;
  }

  /** Runs the schedule now, as its tick would; refused while its run goes. The failure is thrown after it is recorded. */
  async runNow(id: number): Promise<GenerationResult> {
    if (!(await getSchedule(this.options.db, id))) throw new ScheduleNotFoundError(id);
    const outcome = await this.startNow(id);
    if (outcome.status === 'failed') throw outcome.error;
    return outcome.result!;
  }

  /** Starts a run now (it counts as running from this call on); refused while its run goes. */
  startNow(id: number): Promise<RunOutcome> {
    if (this.running.has(id)) return Promise.reject(new ScheduleBusyError(id));
    return this.fire(id, 'manual');
  }

  isRunning(id: number): boolean {
    return this.running.has(id);
  }

  async setPaused(id: number, paused: boolean): Promise<ScheduleView> {
    const row = await getSchedule(this.options.db, id);
    if (!row) throw new ScheduleNotFoundError(id);
    this.disarm(id);
    // Resuming waits for the next tick from now: ticks that passed while paused are not missed runs.
    const next = paused ? null : nextRuns(row.cron, row.timezone, new Date(this.now()))[0].getTime();
    await setPaused(this.options.db, id, paused, next);
    const updated = (await getSchedule(this.options.db, id))!;
    if (!paused && !this.stopped) await this.arm(updated);
    this.options.log.info({ schedule: id, paused }, paused ? 'schedules: paused' : 'schedules: resumed');
    return this.view(updated);
  }

  /** Clears the pinned reading: the next run analyses the prompt (or describes the seed) again, and pins that. */
  async rereadPrompt(id: number): Promise<ScheduleView> {
    if (!(await getSchedule(this.options.db, id))) throw new ScheduleNotFoundError(id);
    await setPinned(this.options.db, id, null);
    this.options.log.info({ schedule: id }, 'schedules: pinned filters cleared; the next run reads the prompt again');
    return this.view((await getSchedule(this.options.db, id))!);
  }

  /** Deletes the schedule (its Plex playlist and history stay). A run in flight finishes. */
  async remove(id: number): Promise<void> {
    this.disarm(id);
    if (!(await deleteSchedule(this.options.db, id))) throw new ScheduleNotFoundError(id);
    this.options.log.info({ schedule: id }, 'schedules: deleted');
  }

  /** One run of the schedule, unless its previous run still goes (then the tick is skipped and counted). */
  fire(id: number, trigger: ScheduleTrigger): Promise<RunOutcome> {
    const going = this.running.get(id);
    if (going) {
      const skipped = recordSkippedRun(this.options.db, id, this.now())
        .catch((err) => this.options.log.error({ err, schedule: id }, 'schedules: skipped run not recorded'))
        .then((): RunOutcome => ({ status: 'skipped' }));
      this.options.log.warn({ schedule: id, trigger }, 'schedules: previous run still going; this run is skipped');
      return skipped;
    }
    const run = this.execute(id, trigger).finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  private async execute(id: number, trigger: ScheduleTrigger): Promise<RunOutcome> {
    const startedAt = this.now();
    let result: GenerationResult | undefined;
    let row: ScheduleRow | undefined;
    try {
      row = await getSchedule(this.options.db, id);
      if (!row) return { status: 'failed', error: new ScheduleNotFoundError(id) };
      const request = JSON.parse(row.request) as ScheduleRequest;
      const pinned = pinnedOf(row);
      const excludeKeys = await previousRunKeys(this.options.db, id);
      const t0 = performance.now();
      // The prompt stays in the request: it is still the generation model's request text.
      result = await this.options.runtime.generate({ ...request, ...pinned, excludeKeys, schedule: { id, trigger } });
      const t1 = performance.now();
      if (!pinned) await this.pinReading(id, request, result);
      const { saved, note } = await this.saveRun(row, result);
      const t2 = performance.now();
      result = { ...result, playlist: saved };
      await recordScheduleRun(this.options.db, id, {
        at: startedAt,
        status: 'done',
        error: null,
        note,
        historyId: result.id,
        target: { ratingKey: saved.ratingKey, title: saved.title },
        nextRunAt: this.nextRunOf(id, row),
      });
      this.options.log.info(
        { schedule: id, trigger, generation: result.id, playlist: saved.ratingKey, tracks: result.tracks.length },
        'schedules: run done',
      );
      return { status: 'done', result, timings: { generateMs: t1 - t0, saveMs: t2 - t1 } };
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      // Pinned filters the library no longer has (a genre gone) would fail every run: the next reads afresh.
      const stale = row && pinnedOf(row)?.filters && err instanceof RequestError && err.field.startsWith('filters.');
      try {
        if (stale) await setPinned(this.options.db, id, null);
        await recordScheduleRun(this.options.db, id, {
          at: startedAt,
          status: 'failed',
          error: message,
          note: stale ? 'the pinned filters no longer match the library; the next run reads the prompt again' : null,
          historyId: result?.id ?? (await latestScheduledGeneration(this.options.db, id, startedAt)),
          target: null,
          nextRunAt: row ? this.nextRunOf(id, row) : null,
        });
      } catch (recordErr) {
        this.options.log.error({ err: recordErr, schedule: id }, 'schedules: failed run not recorded');
      }
      this.options.log.warn({ schedule: id, trigger, err: message }, 'schedules: run failed');
      return { status: 'failed', error: err };
    }
  }

  /** Pins what the run's analysis (or seed description) produced, unless the request gave it or the call
   *  failed (an offline fallback is not worth keeping). */
  private async pinReading(id: number, request: ScheduleRequest, result: GenerationResult): Promise<void> {
    const failed = result.usage?.calls?.some((c) => (c.role === 'analysis' || c.role === 'seed') && c.error);
    if (failed) return;
    const reading = pinnable(request, { filters: result.filters, keep: result.seedDimensions ?? undefined });
    if (!reading) return;
    await setPinned(this.options.db, id, JSON.stringify(reading));
    this.options.log.info({ schedule: id }, 'schedules: the first run’s reading of the request is pinned');
  }

  /** Replaces the schedule's playlist; the first run (or one whose playlist was deleted in Plex) creates it. */
  private async saveRun(row: ScheduleRow, result: GenerationResult) {
    const { runtime } = this.options;
    let note: string | null = null;
    if (row.playlist_rating_key) {
      try {
        const saved = await runtime.save(result.id, { mode: 'replace', playlistRatingKey: row.playlist_rating_key }, result);
        return { saved, note };
      } catch (err) {
        if (!(err instanceof SaveError && err.field === 'save.playlistRatingKey')) throw err;
        note = `the playlist “${row.playlist_title ?? row.playlist_rating_key}” was no longer in Plex; a new one was created`;
      }
    }
    const saved = await runtime.save(result.id, { mode: 'create', title: row.playlist_title ?? row.name }, result);
    return { saved, note };
  }

  private async arm(row: ScheduleRow): Promise<void> {
    this.disarm(row.id);
    try {
      // The tick it waits for now; a missed one stays recorded until its catch-up run records the next.
      const next = cronOf(row.cron, row.timezone).nextRun(new Date(this.now()))?.getTime() ?? null;
      if (!missedRun({ paused: false, nextRunAt: row.next_run_at }, this.now()) && next !== row.next_run_at)
        await setNextRun(this.options.db, row.id, next);
      if (this.options.timers === false) return;
      // Unreferenced: the server keeps the process alive, a timer alone never does.
      const job = new Cron(row.cron, { timezone: row.timezone, mode: '5-or-6-parts', unref: true }, () => {
        void this.fire(row.id, 'tick');
      });
      this.jobs.set(row.id, job);
    } catch (err) {
      this.options.log.error({ err, schedule: row.id }, 'schedules: cannot arm this schedule');
    }
  }

  private disarm(id: number): void {
    this.jobs.get(id)?.stop();
    this.jobs.delete(id);
  }

  private nextRunOf(id: number, row: ScheduleRow): number | null {
    if (this.jobs.has(id)) return this.jobs.get(id)!.nextRun(new Date(this.now()))?.getTime() ?? null;
    if (row.paused === 1) return null;
    return nextRuns(row.cron, row.timezone, new Date(this.now()))[0]?.getTime() ?? null;
  }

  private view(r: ScheduleRow): ScheduleView {
    const request = JSON.parse(r.request) as ScheduleRequest;
    const pinned = pinnedOf(r);
    return {
      id: r.id,
      name: r.name,
      cron: r.cron,
      timezone: r.timezone,
      request,
      pinned,
      filters: request.filters ?? pinned?.filters ?? null,
      paused: r.paused === 1,
      running: this.running.has(r.id),
      createdAt: r.created_at,
      nextRunAt: r.paused === 1 ? null : (this.jobs.get(r.id)?.nextRun(new Date(this.now()))?.getTime() ?? r.next_run_at),
      lastRunAt: r.last_run_at,
      lastStatus: r.last_status,
      lastError: r.last_error,
      lastNote: r.last_note,
      lastHistoryId: r.last_history_id,
      target: r.playlist_rating_key ? { ratingKey: r.playlist_rating_key, title: r.playlist_title ?? '' } : null,
      skippedRuns: r.skipped_runs,
    };
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

function pinnedOf(row: ScheduleRow): PinnedReading | null {
  return row.pinned ? (JSON.parse(row.pinned) as PinnedReading) : null;
}

/** The part of a reading worth pinning for this request: filters for a prompt without its own, the
 *  description for a seed without ticked dimensions (a seed keeps its seed: its filters come from it). */
function pinnable(request: ScheduleRequest, reading: PinnedReading): PinnedReading | null {
  if (request.seedRatingKey !== undefined) return !request.keep && reading.keep?.length ? { keep: reading.keep } : null;
  if (request.filters || !reading.filters) return null;
  const { excludeKeys: _internal, ...filters } = reading.filters;
  return { filters };
}

function defaultName(request: ScheduleRequest): string {
  const prompt = request.prompt?.trim();
  return prompt ? `Scheduled: ${prompt.slice(0, 60)}` : 'Scheduled mix';
}
