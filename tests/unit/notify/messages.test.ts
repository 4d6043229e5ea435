// Message formatting: titles and lines per kind, singular and plural, long lists cut, errors flattened.
import { describe, expect, it } from 'vitest';
import {
  deadMessage,
  MAX_LINES,
  oneLine,
  plainText,
  runsMessage,
  schedulesMessage,
  stars,
  takeoversMessage,
  testMessage,
  type DeadEvent,
  type Takeover,
} from '../../../src/notify/messages.js';

const dead = (id: number, over: Partial<DeadEvent> = {}): DeadEvent => ({
  id,
  event: 'media.rate',
  itemType: 'track',
  itemKey: String(100 + id),
  title: `Artist – Song ${id}`,
  attempts: 5,
  error: 'Plex answered 503',
  at: 1_000 + id,
  ...over,
});

const takeover = (id: number): Takeover => ({
  itemKey: String(id),
  kind: 'album',
  title: `Album ${id}`,
  written: 7.3,
  rated: 8,
  at: 500 + id,
});

describe('message formatting', () => {
  it.each([
    {
      name: 'one dead event',
      message: deadMessage([dead(1)]),
      title: 'A webhook event was dead-lettered',
      line: 'media.rate for “Artist – Song 1” gave up after 5 attempts: Plex answered 503',
      urgent: true,
    },
    {
      name: 'dead event without a title',
      message: deadMessage([dead(2, { title: null, attempts: 1, error: null })]),
      title: 'A webhook event was dead-lettered',
      line: 'media.rate for track 102 gave up after 1 attempt',
      urgent: true,
    },
    {
      name: 'two dead events',
      message: deadMessage([dead(1), dead(2)]),
      title: '2 webhook events were dead-lettered',
      line: 'media.rate for “Artist – Song 1” gave up after 5 attempts: Plex answered 503',
      urgent: true,
    },
    {
      name: 'a failed full pass',
      message: runsMessage([{ id: 7, kind: 'full', error: 'Plex unreachable', at: 1 }]),
      title: 'Full pass failed',
      line: 'Run 7 (Full pass) failed: Plex unreachable',
      urgent: true,
    },
    {
      name: 'an interrupted undo',
      message: runsMessage([{ id: 8, kind: 'undo', error: 'interrupted', at: 1 }]),
      title: 'Undo was interrupted',
      line: 'Run 8 (Undo) was interrupted by a stop or a crash',
      urgent: true,
    },
    {
      name: 'several runs',
      message: runsMessage([
        { id: 1, kind: 'recover', error: null, at: 1 },
        { id: 2, kind: 'import', error: 'bad', at: 2 },
      ]),
      title: '2 runs failed or were interrupted',
      line: 'Run 1 (Recover) failed',
      urgent: true,
    },
    {
      name: 'one takeover',
      message: takeoversMessage([takeover(1)]),
      title: 'You took over an inferred rating',
      line: 'album “Album 1”: 3.65★ → 4★',
      urgent: false,
    },
    {
      name: 'takeovers',
      message: takeoversMessage([takeover(1), takeover(2), takeover(3)]),
      title: 'You took over 3 inferred ratings',
      line: 'album “Album 1”: 3.65★ → 4★',
      urgent: false,
    },
    {
      name: 'a scheduled playlist made',
      message: schedulesMessage([{ scheduleId: 1, name: 'Mondays', status: 'done', playlistTitle: 'Monday mix', error: null, at: 5 }]),
      title: 'Scheduled playlist “Monday mix” made',
      line: 'Mondays: saved to “Monday mix”',
      urgent: false,
    },
    {
      name: 'a scheduled playlist failed',
      message: schedulesMessage([
        { scheduleId: 1, name: 'Mondays', status: 'failed', playlistTitle: null, error: 'no tracks\nmatched', at: 5 },
      ]),
      title: 'Scheduled playlist “Mondays” failed',
      line: 'Mondays: failed: no tracks matched',
      urgent: true,
    },
    {
      name: 'schedules, one failed',
      message: schedulesMessage([
        { scheduleId: 1, name: 'A', status: 'done', playlistTitle: 'A', error: null, at: 5 },
        { scheduleId: 2, name: 'B', status: 'failed', playlistTitle: null, error: null, at: 6 },
      ]),
      title: '2 scheduled playlists ran, 1 failed',
      line: 'A: saved to “A”',
      urgent: true,
    },
    {
      name: 'a test',
      message: testMessage('ntfy', 9),
      title: 'Sagewire test notification',
      line: 'This is a test sent from Settings → Notifications through ntfy. If you can read it, the channel works.',
      urgent: false,
    },
  ])('$name', ({ message, title, line, urgent }) => {
    expect(message.title).toBe(title);
    expect(message.lines[0]).toBe(line);
    expect(message.urgent).toBe(urgent);
    expect(plainText(message).split('\n')[0]).toBe(title);
  });

  it('counts, dates by the latest event, and carries the events for the webhook', () => {
    const message = deadMessage([dead(3), dead(1)]);
    expect(message.count).toBe(2);
    expect(message.at).toBe(1_003);
    expect(message.items).toHaveLength(2);
  });

  it(`cuts a list after ${MAX_LINES} lines`, () => {
    const many = Array.from({ length: 14 }, (_, i) => takeover(i));
    const message = takeoversMessage(many);
    expect(message.lines).toHaveLength(MAX_LINES + 2);
    expect(message.lines[MAX_LINES]).toBe('…and 4 more');
    expect(message.count).toBe(14);
  });

  it.each([
    ['a\n\tb   c', 200, 'a b c'],
    ['x'.repeat(10), 5, 'xxxx…'],
    ['  trimmed  ', 200, 'trimmed'],
  ])('flattens %j to one line', (text, max, expected) => {
    expect(oneLine(text, max)).toBe(expected);
  });

  it.each([
    [null, 'no rating'],
    [8, '4★'],
    [7.3, '3.65★'],
  ])('shows %j points as %s', (points, text) => {
    expect(stars(points)).toBe(text);
  });
});
