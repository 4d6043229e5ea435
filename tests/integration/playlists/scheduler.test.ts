// The scheduler's own decisions on a temporary database, with a clock the test moves and a runtime that
// holds a run as long as the test wants: a tick during a run is skipped and counted (and "run now" is
// refused), ticks missed while down are one catch-up run at start, a failure is recorded and thrown
// nowhere, a stopped scheduler waits for its run in flight.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { getSchedule } from '../../../src/db/playlist-schedules-repo.js';
import type { GenerateInput, GenerationResult } from '../../../src/playlists/index.js';
import { ScheduleBusyError, Scheduler, type ScheduleRuntime } from '../../../src/playlists/schedules.js';
import { waitUntil } from '../../support/wait.js';

const quiet = { info() {}, warn() {}, error() {} };
const MONDAY_0700 = '0 7 * * 1';
const T0 = Date.parse('2026-12-01T12:00:00Z');

/** A runtime whose generations wait until released; it remembers what it was asked. */
function heldRuntime() {
  const asked: GenerateInput[] = [];
  const releases: (() => void)[] = [];
  let fail: string | null = null;
  let n = 0;
  const runtime: ScheduleRuntime = {
    async generate(input) {
      asked.push(input);
      await new Promise<void>((resolve) => releases.push(resolve));
      if (fail) throw new Error(fail);
      n += 1;
      return {
        id: 1000 + n,
        title: 't',
        description: '',
        tracks: [],
        usage: { calls: [], totalCost: 0 },
        warnings: [],
      } as unknown as GenerationResult;
    },
    async save(_id, request) {
      return { ratingKey: request.playlistRatingKey ?? '777', title: 'Mix', added: 0, skipped: 0 };
    },
  };
  return {
    runtime,
    asked,
    release: () => releases.shift()?.(),
    waiting: () => releases.length,
    failWith: (message: string) => {
      fail = message;
    },
  };
}

let dir: string;
let handle: DatabaseHandle;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sagewire-scheduler-'));
  handle = await openDatabase(join(dir, 'db.sqlite'));
});
afterEach(async () => {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scheduler', () => {
  it('skips and counts a tick that comes while its run goes; run now is refused meanwhile', async () => {
    const held = heldRuntime();
    const scheduler = new Scheduler({ db: handle.db, runtime: held.runtime, log: quiet, now: () => T0, timers: false });
    const { id } = await scheduler.create({ request: { prompt: 'x', count: 10 }, cron: MONDAY_0700, timezone: 'UTC' });
    const first = scheduler.fire(id, 'tick');
    await waitUntil(() => held.waiting() === 1, 'the first run to reach the generation');
    expect(await scheduler.fire(id, 'tick')).toEqual({ status: 'skipped' });
    await expect(scheduler.startNow(id)).rejects.toBeInstanceOf(ScheduleBusyError);
    expect(held.asked).toHaveLength(1);
    held.release();
    expect((await first).status).toBe('done');
    const row = (await getSchedule(handle.db, id))!;
    expect(row).toMatchObject({
      skipped_runs: 1,
      last_skipped_at: T0,
      last_status: 'done',
      playlist_rating_key: '777',
      last_history_id: 1001,
    });
    // The next run may go again, and it is told the schedule and why it runs.
    const again = scheduler.fire(id, 'manual');
    await waitUntil(() => held.waiting() === 1, 'the second run');
    held.release();
    expect((await again).status).toBe('done');
    expect(held.asked[1].schedule).toEqual({ id, trigger: 'manual' });
  });

  it('runs a schedule once at start when ticks were missed while down, however many', async () => {
    const held = heldRuntime();
    let now = T0;
    const before = new Scheduler({ db: handle.db, runtime: held.runtime, log: quiet, now: () => now, timers: false });
    const { id, nextRunAt } = await before.create({ request: { prompt: 'x', count: 10 }, cron: MONDAY_0700, timezone: 'UTC' });
    const { id: pausedId } = await before.create({ request: { prompt: 'y', count: 10 }, cron: MONDAY_0700, timezone: 'UTC' });
    await before.setPaused(pausedId, true);
    const { id: laterId } = await before.create({ request: { prompt: 'z', count: 10 }, cron: '0 7 1 6 *', timezone: 'UTC' });
    await before.stop();
    expect(nextRunAt).toBe(Date.parse('2026-12-07T07:00:00Z'));

    now = Date.parse('2026-12-28T09:00:00Z'); // three Mondays later
    const after = new Scheduler({ db: handle.db, runtime: held.runtime, log: quiet, now: () => now, timers: false });
    let ready!: () => void;
    await after.start(new Promise<void>((resolve) => (ready = resolve)));
    expect(held.asked).toHaveLength(0); // the catch-up waits for the library
    ready();
    await waitUntil(() => held.waiting() === 1, 'the catch-up run');
    held.release();
    await waitUntil(async () => (await getSchedule(handle.db, id))?.last_status === 'done', 'the catch-up run recorded');
    expect(held.asked.map((a) => a.schedule)).toEqual([{ id, trigger: 'missed' }]);
    expect((await getSchedule(handle.db, id))?.next_run_at).toBe(Date.parse('2027-01-04T07:00:00Z'));
    expect((await getSchedule(handle.db, pausedId))?.last_run_at).toBeNull();
    expect((await getSchedule(handle.db, laterId))?.last_run_at).toBeNull();
    await after.stop();
  });

  it('records a failed run with its message and carries on', async () => {
    const held = heldRuntime();
    held.failWith('the provider is down');
    const scheduler = new Scheduler({ db: handle.db, runtime: held.runtime, log: quiet, now: () => T0, timers: false });
    const { id } = await scheduler.create({ request: { prompt: 'x', count: 10 }, cron: MONDAY_0700, timezone: 'UTC' });
    const run = scheduler.fire(id, 'tick');
    await waitUntil(() => held.waiting() === 1, 'the run');
    held.release();
    const outcome = await run;
    expect(outcome.status).toBe('failed');
    expect(await getSchedule(handle.db, id)).toMatchObject({
      last_status: 'failed',
      last_error: 'the provider is down',
      next_run_at: Date.parse('2026-12-07T07:00:00Z'),
    });
  });

  it('stop waits for the run in flight, and arms nothing after', async () => {
    const held = heldRuntime();
    const scheduler = new Scheduler({ db: handle.db, runtime: held.runtime, log: quiet, now: () => T0 });
    await scheduler.start();
    const { id } = await scheduler.create({ request: { prompt: 'x', count: 10 }, cron: MONDAY_0700, timezone: 'UTC' });
    const run = scheduler.fire(id, 'manual');
    await waitUntil(() => held.waiting() === 1, 'the run');
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    held.release();
    await stopping;
    expect((await run).status).toBe('done');
    expect((await getSchedule(handle.db, id))?.last_status).toBe('done');
  });
});
