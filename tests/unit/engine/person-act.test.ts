// Which rating events are the person's act (never an echo of Sagewire's own write), table-driven.
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/db/engine-journal-repo.js';
import { latestPersonActs, personActOf } from '../../../src/engine/live/event-batch.js';
import type { InboxEvent } from '../../../src/webhooks/worker.js';

function event(id: number, rating: number | null, over: Partial<InboxEvent> = {}): InboxEvent {
  return {
    id,
    received_at: 1000 + id,
    event: 'media.rate',
    status: 'processing',
    ignore_reason: null,
    item_key: '42',
    item_type: 'track',
    rating,
    account_id: 1,
    server_uuid: null,
    payload: '{}',
    attempts: 0,
    next_attempt_at: null,
    last_error: null,
    processed_at: null,
    outcome: null,
    run_id: null,
    ...over,
  } as InboxEvent;
}

/** A journal that wrote the given values to item 42 and whose last rating change was `last`. */
function journal(written: number[], last: JournalEntry['operation'] | null) {
  return {
    wroteValue: (key: string, value: number) => key === '42' && written.some((w) => Math.abs(w - value) < 0.001),
    latestRatingChange: (key: string) => (key === '42' && last ? ({ operation: last } as JournalEntry) : null),
  };
}

describe('personActOf', () => {
  const cases: Array<[string, InboxEvent, ReturnType<typeof journal>, number | null | 'none']> = [
    ["a whole point is the person's, even one Sagewire once wrote back for them", event(1, 2), journal([2], 'rate_manual'), 2],
    ['a whole point 10', event(1, 10), journal([6.9], 'rate'), 10],
    ['a value Sagewire wrote is its echo', event(1, 6.9), journal([6.9], 'rate'), 'none'],
    ['an older value Sagewire wrote is a late echo', event(1, 6.3), journal([6.3, 6.9], 'rate'), 'none'],
    ["a value off the whole points that Sagewire never wrote is the person's (another client)", event(1, 7.5), journal([6.9], 'rate'), 7.5],
    ["a clear after Sagewire's own clear (undo) is its echo", event(1, null), journal([6.9], 'clear'), 'none'],
    ["a clear of an item Sagewire rated is the person's", event(1, null), journal([6.9], 'rate'), null],
    ["a clear of an item Sagewire never touched is the person's", event(1, null), journal([], null), null],
    ["the catch-up poll's rating counts the same", event(1, 4, { event: 'poll.rate' }), journal([], null), 4],
    ['new music is not a rating', event(1, null, { event: 'library.new' }), journal([], null), 'none'],
    ['no key, no act', event(1, 3, { item_key: null }), journal([], null), 'none'],
  ];
  it.each(cases)('%s', (_name, e, j, expected) => {
    const act = personActOf(e, j);
    if (expected === 'none') expect(act).toBeNull();
    else expect(act).toEqual({ event: e, key: '42', rating: expected });
  });
});

describe('latestPersonActs', () => {
  it("keeps the newest of the person's acts per item, skipping echoes in between", () => {
    const j = journal([6.9], 'rate');
    const events = [event(5, 3), event(9, 6.9), event(7, 8), event(8, 1, { item_key: '43' })].map((e) => ({ event: e, key: e.item_key! }));
    const acts = latestPersonActs(events, j);
    expect(acts.get('42')?.event.id).toBe(7);
    expect(acts.get('42')?.rating).toBe(8);
    expect(acts.get('43')?.rating).toBe(1);
  });
});
