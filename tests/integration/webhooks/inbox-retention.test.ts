// Inbox retention: an echo or an ignored event keeps a summary row without its payload; a processed
// event loses its payload after INBOX_RETENTION_DAYS and its row after three times that; pending and
// dead-lettered events keep both; the counts the dashboard shows do not drop when rows are deleted; the
// worker prunes in small steps in its idle time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { InboxRetention, inboxRetentionPolicy } from '../../../src/db/inbox-retention-repo.js';
import { createLogger } from '../../../src/log.js';
import { inboxCounts, inboxRecorder, recordWebhook } from '../../../src/webhooks/inbox.js';
import type { Classified } from '../../../src/webhooks/payload.js';
import { InboxWorker, type EventApplier } from '../../../src/webhooks/worker.js';
import { pending } from './support/events.js';

const logger = createLogger('silent');
const DAY = 86_400_000;
const PAYLOAD = JSON.stringify({ event: 'media.rate', Metadata: { ratingKey: '1', title: 'x'.repeat(500) } });
const ignored = (reason: string): Classified => ({
  status: 'ignored',
  ignoreReason: reason,
  itemKey: null,
  itemType: null,
  rating: null,
  accountId: 1,
  serverUuid: 's',
});

/** Echo for keys starting with "echo", ignored for "foreign", a failure for "bad", applied otherwise. */
const applier: EventApplier = {
  async applyEvents(events) {
    return events.map((e) => {
      if (e.item_key!.startsWith('echo')) return { id: e.id, ok: true, outcome: { echo: true } };
      if (e.item_key!.startsWith('foreign')) return { id: e.id, ok: true, outcome: { ignored: 'other server' } };
      if (e.item_key!.startsWith('bad')) return { id: e.id, ok: false, error: 'Plex said no', permanent: true };
      return { id: e.id, ok: true, outcome: { writes: 1 } };
    });
  },
};

describe('inbox retention', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let clock: number;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-retention-'));
    handle = await openDatabase(join(dir, 'db.sqlite'));
    clock = 1_700_000_000_000;
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = async () =>
    (await handle.db.selectFrom('webhook_events').select(['item_key', 'status', 'ignore_reason', 'payload']).orderBy('id').execute()).map(
      (r) => `${r.item_key ?? r.ignore_reason}:${r.status}:${r.payload === '' ? 'no payload' : 'payload'}`,
    );

  it('stores an ignored event without its payload, through both insert paths; a pending one keeps it', async () => {
    const record = inboxRecorder(handle.sqlite);
    await record('media.play', ignored('unsupported event media.play'), PAYLOAD, clock);
    await recordWebhook(handle.db, 'media.rate', ignored('other account'), PAYLOAD, clock);
    await record('media.rate', pending('1'), PAYLOAD, clock);
    await recordWebhook(handle.db, 'media.rate', pending('2'), PAYLOAD, clock);
    expect(await rows()).toEqual([
      'unsupported event media.play:ignored:no payload',
      'other account:ignored:no payload',
      '1:pending:payload',
      '2:pending:payload',
    ]);
  });

  it('drops the payload of echoes and of events the engine ignores when they are settled; applied and dead events keep theirs', async () => {
    for (const key of ['echo-1', 'foreign-1', 'applied-1', 'bad-1'])
      await recordWebhook(handle.db, 'media.rate', pending(key), PAYLOAD, clock);
    const worker = new InboxWorker({ db: handle.db, applier, logger, now: () => clock });
    await worker.drain();
    expect(await rows()).toEqual([
      'echo-1:done:no payload',
      'foreign-1:ignored:no payload',
      'applied-1:done:payload',
      'bad-1:dead:payload',
    ]);
  });

  it('drops payloads after INBOX_RETENTION_DAYS and rows after three times that; the counts stay whole', async () => {
    const received = clock;
    for (const key of ['applied-1', 'echo-1', 'bad-1', 'applied-2'])
      await recordWebhook(handle.db, 'media.rate', pending(key), PAYLOAD, received);
    await recordWebhook(handle.db, 'media.play', ignored('unsupported event media.play'), PAYLOAD, received);
    await recordWebhook(handle.db, 'media.rate', ignored('other account'), PAYLOAD, received);
    const worker = new InboxWorker({ db: handle.db, applier, logger, now: () => clock, retention: inboxRetentionPolicy(30) });
    await worker.drain();
    const counts = await inboxCounts(handle.db);
    expect(counts).toMatchObject({
      done: 3,
      ignored: 2,
      dead: 1,
      ignoredByReason: { 'unsupported event media.play': 1, 'other account': 1 },
      lastReceivedAt: received,
    });

    clock = received + 29 * DAY;
    expect(await worker.prune()).toEqual({ payloadsDropped: 0, rowsDeleted: 0 });
    clock = received + 31 * DAY;
    expect(await worker.prune()).toEqual({ payloadsDropped: 2, rowsDeleted: 0 });
    expect(await rows()).toEqual([
      'applied-1:done:no payload',
      'echo-1:done:no payload',
      'bad-1:dead:payload',
      'applied-2:done:no payload',
      'unsupported event media.play:ignored:no payload',
      'other account:ignored:no payload',
    ]);

    clock = received + 91 * DAY;
    expect(await worker.prune()).toEqual({ payloadsDropped: 0, rowsDeleted: 5 });
    expect(await rows()).toEqual(['bad-1:dead:payload']);
    expect(await inboxCounts(handle.db)).toEqual(counts);

    // A later event and a second round of deletions add to the totals.
    await recordWebhook(handle.db, 'media.rate', pending('applied-3'), PAYLOAD, clock);
    await recordWebhook(handle.db, 'media.rate', ignored('other account'), PAYLOAD, clock);
    await worker.drain();
    clock += 91 * DAY;
    expect(await worker.prune()).toEqual({ payloadsDropped: 0, rowsDeleted: 2 });
    expect(await inboxCounts(handle.db)).toMatchObject({
      done: 4,
      ignored: 3,
      dead: 1,
      ignoredByReason: { 'other account': 2 },
      lastReceivedAt: clock - 91 * DAY,
    });
  });

  it('prunes in small steps of at most its window of ids', async () => {
    const insert = handle.sqlite.transaction(() => {
      for (let i = 0; i < 95; i++) {
        handle.sqlite
          .prepare(
            'insert into webhook_events (received_at, event, status, payload, attempts, processed_at, outcome) ' +
              "values (?, 'media.rate', 'done', ?, 1, ?, '{}')",
          )
          .run(clock, PAYLOAD, clock);
      }
    });
    insert();
    const retention = new InboxRetention(handle.db, inboxRetentionPolicy(30), 20);
    const steps: Array<{ payloadsDropped: number; rowsDeleted: number; more: boolean }> = [];
    for (;;) {
      const step = await retention.step(clock + 31 * DAY);
      steps.push(step);
      if (!step.more) break;
    }
    expect(steps.map((s) => s.payloadsDropped)).toEqual([20, 20, 20, 20, 15]);
    expect(steps.every((s) => s.rowsDeleted === 0)).toBe(true);
  });

  it('the running worker prunes in its idle time', async () => {
    await recordWebhook(handle.db, 'media.rate', pending('applied-1'), PAYLOAD, clock - 100 * DAY);
    await recordWebhook(handle.db, 'media.rate', pending('applied-2'), PAYLOAD, clock - 40 * DAY);
    await recordWebhook(handle.db, 'media.rate', pending('applied-3'), PAYLOAD, clock);
    const worker = new InboxWorker({ db: handle.db, applier, logger, now: () => clock, idlePollMs: 10 });
    await worker.start();
    try {
      await vi.waitFor(async () => expect(await rows()).toEqual(['applied-2:done:no payload', 'applied-3:done:payload']), {
        timeout: 10_000,
        interval: 20,
      });
      expect(await inboxCounts(handle.db)).toMatchObject({ done: 3 });
    } finally {
      await worker.stop();
    }
  });

  it('INBOX_RETENTION_DAYS defaults to 30 and refuses what is not a whole number of days from 0 to 3650', () => {
    expect(loadConfig({}).inboxRetentionDays).toBe(30);
    expect(loadConfig({ INBOX_RETENTION_DAYS: '7' }).inboxRetentionDays).toBe(7);
    for (const bad of ['-1', '2.5', 'forever', '3651']) expect(() => loadConfig({ INBOX_RETENTION_DAYS: bad })).toThrow(ConfigError);
    expect(inboxRetentionPolicy(30)).toEqual({ payloadDays: 30, rowDays: 90 });
    expect(inboxRetentionPolicy(0)).toEqual({ payloadDays: 0, rowDays: 7 });
  });
});
