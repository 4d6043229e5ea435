// When a schedule runs: cron validation naming the field, next runs from a given instant in a given zone,
// the missed-run decision at start (one catch-up however many ticks passed), and the words the page shows.
import { describe, expect, it } from 'vitest';
import { ScheduleInputError, checkTimezone, cronInWords, missedRun, nextRuns } from '../../../src/playlists/schedule-timing.js';

const at = (iso: string) => new Date(iso);

describe('cron validation', () => {
  it.each(['0 7 * * 1', '*/15 * * * *', '* * * * * *', '30 8 1 * *', '0 6 * * MON-FRI'])('%s is accepted', (cron) => {
    expect(nextRuns(cron, 'UTC', at('2026-12-01T00:00:00Z'))).toHaveLength(1);
  });

  it.each([
    ['61 * * * *', /minute/],
    ['every monday', /parts|expected/],
    ['', /expected/],
    ['0 7 * *', /parts/],
    ['0 0 0 30 2 * 2020', /./],
  ])('%j is refused naming cron', (cron, message) => {
    let caught: unknown;
    try {
      nextRuns(cron, 'UTC', at('2026-12-01T00:00:00Z'));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ScheduleInputError);
    expect((caught as ScheduleInputError).field).toBe('cron');
    expect((caught as Error).message).toMatch(message);
  });

  it('refuses an unknown time zone naming timezone, and normalises a known one', () => {
    expect(() => checkTimezone('Mars/Olympus')).toThrow(expect.objectContaining({ field: 'timezone' }));
    expect(checkTimezone('Europe/Berlin')).toBe('Europe/Berlin');
  });
});

describe('next runs', () => {
  it.each([
    ['0 7 * * 1', 'UTC', '2026-12-01T00:00:00Z', ['2026-12-07T07:00:00.000Z', '2026-12-14T07:00:00.000Z']],
    ['0 7 * * 1', 'Europe/Berlin', '2026-12-01T00:00:00Z', ['2026-12-07T06:00:00.000Z', '2026-12-14T06:00:00.000Z']],
    ['0 7 * * 1', 'America/New_York', '2026-12-07T11:59:00Z', ['2026-12-07T12:00:00.000Z', '2026-12-14T12:00:00.000Z']],
    ['0 7 1 * *', 'UTC', '2026-12-01T07:00:00Z', ['2027-01-01T07:00:00.000Z', '2027-02-01T07:00:00.000Z']],
    ['* * * * * *', 'UTC', '2026-12-01T00:00:00.400Z', ['2026-12-01T00:00:01.000Z', '2026-12-01T00:00:02.000Z']],
  ])('%s in %s after %s', (cron, tz, from, expected) => {
    expect(nextRuns(cron, tz, at(from), 2).map((d) => d.toISOString())).toEqual(expected);
  });
});

describe('missed runs at start', () => {
  const now = at('2026-12-28T09:00:00Z').getTime();
  it.each([
    ['waiting for a tick three weeks ago: one catch-up', { paused: false, nextRunAt: at('2026-12-07T07:00:00Z').getTime() }, true],
    ['its tick is exactly now', { paused: false, nextRunAt: now }, true],
    ['its tick is still ahead', { paused: false, nextRunAt: now + 1000 }, false],
    ['paused (ticks while paused are not missed)', { paused: true, nextRunAt: at('2026-12-07T07:00:00Z').getTime() }, false],
    ['never armed', { paused: false, nextRunAt: null }, false],
  ])('%s', (_what, state, expected) => {
    expect(missedRun(state, now)).toBe(expected);
  });
});

describe('cron in words', () => {
  it.each([
    ['0 7 * * 1', 'every Monday at 07:00'],
    ['0 6 * * *', 'every day at 06:00'],
    ['0 7 1 * *', 'on the 1st of every month at 07:00'],
    ['30 8 22 * *', 'on the 22nd of every month at 08:30'],
    ['0 9 * * 1-5', 'every weekday at 09:00'],
    ['15 * * * *', 'every hour at minute 15'],
    ['* * * * * *', 'every second'],
    ['*/15 * * * *', null],
    ['0 7 * 6 1', null],
  ])('%s → %s', (cron, words) => {
    expect(cronInWords(cron)).toBe(words);
  });
});
