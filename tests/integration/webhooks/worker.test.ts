// The inbox worker's queue rules, with a scripted engine side: arrival order, retry with backoff,
// dead-lettering, a bad row not blocking the rows behind it, and recovery of rows a crash left
// `processing`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { createLogger } from '../../../src/log.js';
import { recordWebhook } from '../../../src/webhooks/inbox.js';
import { InboxWorker, retryDeadEvents, type EventApplier, type InboxEvent } from '../../../src/webhooks/worker.js';

const logger = createLogger('silent');

async function enqueue(db: DatabaseHandle, key: string, now: number) {
  return recordWebhook(
    db.db,
    'media.rate',
    { status: 'pending', ignoreReason: null, itemKey: key, itemType: 'track', rating: 8, accountId: 1, serverUuid: 's' },
    '{}',
    now,
  );
}

describe('InboxWorker', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let clock: number;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-worker-'));
    handle = await openDatabase(join(dir, 'db.sqlite'));
    clock = 1_000_000;
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const statuses = async () =>
    (await handle.db.selectFrom('webhook_events').select(['item_key', 'status', 'attempts']).orderBy('id').execute()).map(
      (r) => `${r.item_key}:${r.status}:${r.attempts}`,
    );

  it('applies events in arrival order and records outcome and run', async () => {
    const seen: string[] = [];
    const applier: EventApplier = {
      async applyEvents(events: InboxEvent[]) {
        seen.push(...events.map((e) => e.item_key!));
        return events.map((e) => ({ id: e.id, ok: true, outcome: { writes: 2 }, runId: 7 }));
      },
    };
    for (const key of ['a', 'b', 'c']) await enqueue(handle, key, clock);
    const worker = new InboxWorker({ db: handle.db, applier, logger, now: () => clock });
    expect(await worker.drain()).toBe(3);
    expect(seen).toEqual(['a', 'b', 'c']);
    const row = await handle.db.selectFrom('webhook_events').selectAll().where('item_key', '=', 'b').executeTakeFirstOrThrow();
    expect([row.status, row.outcome, row.run_id]).toEqual(['done', '{"writes":2}', 7]);
  });

  it('retries a failing event with exponential backoff, then dead-letters it, without blocking others', async () => {
    const applier: EventApplier = {
      async applyEvents(events) {
        return events.map((e) => (e.item_key === 'bad' ? { id: e.id, ok: false, error: 'cannot reach Plex' } : { id: e.id, ok: true }));
      },
    };
    await enqueue(handle, 'bad', clock);
    await enqueue(handle, 'good', clock);
    const worker = new InboxWorker({ db: handle.db, applier, logger, now: () => clock, maxAttempts: 3, backoffBaseMs: 1000 });
    await worker.drain();
    expect(await statuses()).toEqual(['bad:pending:1', 'good:done:1']);
    // Not due yet: nothing happens before the backoff has passed.
    clock += 999;
    expect(await worker.drain()).toBe(0);
    clock += 1;
    await worker.drain();
    expect(await statuses()).toEqual(['bad:pending:2', 'good:done:1']);
    clock += 2000;
    await worker.drain();
    expect(await statuses()).toEqual(['bad:dead:3', 'good:done:1']);
    const dead = await handle.db.selectFrom('webhook_events').selectAll().where('status', '=', 'dead').executeTakeFirstOrThrow();
    expect(dead.last_error).toBe('cannot reach Plex');
    // Dead letters can be retried later.
    expect(await retryDeadEvents(handle.db, undefined, clock)).toBe(1);
    expect(await statuses()).toEqual(['bad:pending:0', 'good:done:1']);
  });

  it('treats an engine exception as a failure of each event in the batch', async () => {
    const applier: EventApplier = {
      async applyEvents() {
        throw new Error('boom');
      },
    };
    await enqueue(handle, 'x', clock);
    const worker = new InboxWorker({ db: handle.db, applier, logger, now: () => clock });
    await worker.drain();
    expect(await statuses()).toEqual(['x:pending:1']);
  });

  it('puts rows left processing by a crash back in the queue on start, and wakes on new events', async () => {
    const id = await enqueue(handle, 'interrupted', clock);
    await handle.db.updateTable('webhook_events').set({ status: 'processing' }).where('id', '=', id).execute();
    const applied: string[] = [];
    const applier: EventApplier = {
      async applyEvents(events) {
        applied.push(...events.map((e) => e.item_key!));
        return events.map((e) => ({ id: e.id, ok: true }));
      },
    };
    const worker = new InboxWorker({ db: handle.db, applier, logger, idlePollMs: 60_000 });
    await worker.start();
    await expect.poll(() => applied, { timeout: 2000 }).toEqual(['interrupted']);
    await enqueue(handle, 'fresh', Date.now());
    worker.wake();
    await expect.poll(() => applied, { timeout: 2000 }).toEqual(['interrupted', 'fresh']);
    await worker.stop();
  });
});
