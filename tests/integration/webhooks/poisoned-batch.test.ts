// One event that can never be applied must not fail the events beside it. The scripted engine side
// behaves like the real one with an item Plex refuses: the batch's shared multi-id read fails, so every
// event of a batch holding the poisoned key gets the same error. The worker isolates it by halving.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { createLogger } from '../../../src/log.js';
import { recordWebhook } from '../../../src/webhooks/inbox.js';
import { InboxWorker, type EventApplier, type InboxEvent } from '../../../src/webhooks/worker.js';

const logger = createLogger('silent');
const POISON = '666';

describe('a poisoned event in a batch', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let clock: number;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-poison-'));
    handle = await openDatabase(join(dir, 'db.sqlite'));
    clock = 1_000_000;
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const enqueue = async (keys: string[]) => {
    for (const key of keys) {
      await recordWebhook(
        handle.db,
        'media.rate',
        { status: 'pending', ignoreReason: null, itemKey: key, itemType: 'track', rating: 8, accountId: 1, serverUuid: 's' },
        '{}',
        clock,
      );
    }
  };
  const byStatus = async () => {
    const rows = await handle.db.selectFrom('webhook_events').select(['item_key', 'status', 'attempts']).execute();
    return {
      done: rows.filter((r) => r.status === 'done').map((r) => r.item_key),
      dead: rows.filter((r) => r.status === 'dead').map((r) => r.item_key),
      pending: rows.filter((r) => r.status === 'pending').map((r) => r.item_key),
      attemptsOfDone: [...new Set(rows.filter((r) => r.status === 'done').map((r) => r.attempts))],
    };
  };

  /** Fails the whole batch when it holds one of `poisoned` (or when `down` says Plex is unreachable). */
  function engine(poisoned: Set<string>, down = () => false) {
    const calls: number[] = [];
    const applier: EventApplier = {
      async applyEvents(events: InboxEvent[]) {
        calls.push(events.length);
        if (down()) return events.map((e) => ({ id: e.id, ok: false, error: 'apply: fetch failed' }));
        const bad = events.find((e) => poisoned.has(e.item_key!));
        if (bad) throw new Error(`plex: GET /library/metadata/${events.map((e) => e.item_key).join(',')} answered 500`);
        return events.map((e) => ({ id: e.id, ok: true, outcome: { writes: 1 } }));
      },
    };
    return { applier, calls };
  }

  it('200 valid events and one poisoned: every valid one is done at once, the poisoned one alone is retried and dead-lettered', async () => {
    const valid = Array.from({ length: 200 }, (_, i) => String(1000 + i));
    await enqueue([...valid.slice(0, 137), POISON, ...valid.slice(137)]);
    const { applier, calls } = engine(new Set([POISON]));
    const worker = new InboxWorker({
      db: handle.db,
      applier,
      logger,
      now: () => clock,
      batchSize: 250,
      maxAttempts: 8,
      backoffBaseMs: 1000,
    });
    await worker.drain();
    let state = await byStatus();
    expect(state.done.sort()).toEqual([...valid].sort());
    expect(state.attemptsOfDone).toEqual([1]);
    expect(state.pending).toEqual([POISON]);
    // Halving finds it in about 2·log2(201) applies, not one per event.
    expect(calls.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(201)));

    for (let attempt = 2; attempt <= 8; attempt++) {
      clock += 10 * 60_000;
      await worker.drain();
    }
    state = await byStatus();
    expect(state.dead).toEqual([POISON]);
    expect(state.done).toHaveLength(200);
    const poisoned = await handle.db
      .selectFrom('webhook_events')
      .select(['attempts', 'last_error'])
      .where('item_key', '=', POISON)
      .executeTakeFirstOrThrow();
    expect(poisoned.attempts).toBe(8);
    expect(poisoned.last_error).toContain('answered 500');
  });

  it('two poisoned events in different halves are both isolated', async () => {
    const valid = Array.from({ length: 100 }, (_, i) => String(2000 + i));
    await enqueue([...valid.slice(0, 10), '901', ...valid.slice(10, 90), '902', ...valid.slice(90)]);
    const { applier } = engine(new Set(['901', '902']));
    const worker = new InboxWorker({ db: handle.db, applier, logger, now: () => clock, batchSize: 200 });
    await worker.drain();
    const state = await byStatus();
    expect(state.done).toHaveLength(100);
    expect(state.pending.sort()).toEqual(['901', '902']);
  });

  it('when Plex is down for the whole batch, halving stops after a couple of levels and every event waits for a retry', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => String(3000 + i));
    await enqueue(keys);
    const { applier, calls } = engine(new Set(), () => true);
    const worker = new InboxWorker({ db: handle.db, applier, logger, now: () => clock, batchSize: 200 });
    await worker.drain();
    expect(calls).toEqual([200, 100, 100, 50, 50, 50, 50]);
    const rows = await handle.db.selectFrom('webhook_events').select(['status', 'attempts']).execute();
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 1)).toBe(true);
  });
});
