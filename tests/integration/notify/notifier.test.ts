// The notifier against a real temporary database and a local receiver: the first tick sends no history,
// then one message per kind of event reaches the JSON webhook, none is sent twice, takeovers only once
// turned on, a row that commits late inside the window still counts, events while no channel is set are
// not sent later, and the timer delivers on its own between start() and stop().
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { EngineRunsRepo } from '../../../src/db/engine-runs-repo.js';
import { insertSchedule, recordScheduleRun } from '../../../src/db/playlist-schedules-repo.js';
import { getSetting, putSetting } from '../../../src/db/settings-repo.js';
import { createLogger } from '../../../src/log.js';
import { Notifier } from '../../../src/notify/notifier.js';
import { waitUntil } from '../../support/wait.js';

interface Post {
  url: string;
  body: { kind: string; title: string; count: number; text: string; items: Record<string, unknown>[] };
}

describe('notifier', () => {
  let dir = '';
  let handle: DatabaseHandle;
  let server: Server;
  let base = '';
  let posts: Post[] = [];
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    }),
  );
  const notifier = () => new Notifier({ db: handle.db, logger, intervalMs: 10, retryAfterMs: 1, timeoutMs: 5_000 });

  let eventId = 0;
  const deadEvent = async (itemKey: string, processedAt = Date.now()) => {
    eventId += 1;
    await handle.db
      .insertInto('webhook_events')
      .values({
        received_at: processedAt - 1_000,
        event: 'media.rate',
        status: 'dead',
        ignore_reason: null,
        item_key: itemKey,
        item_type: 'artist',
        rating: 8,
        account_id: 1,
        server_uuid: 'srv',
        payload: '',
        attempts: 5,
        next_attempt_at: null,
        last_error: `Plex answered 503 (#${eventId})`,
        processed_at: processedAt,
        outcome: null,
        run_id: null,
        receipt_id: null,
      })
      .execute();
  };
  const takeover = async (runId: number, itemKey: string) => {
    await handle.db
      .insertInto('write_journal')
      .values({
        run_id: runId,
        item_key: itemKey,
        kind: 'artist',
        operation: 'adopt',
        value_before: 7.3,
        value_after: 8,
        tag: null,
        status: 'applied',
        note: null,
        created_at: Date.now(),
        resolved_at: Date.now(),
        undone_by_run_id: null,
      })
      .execute();
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-notify-'));
    handle = await openDatabase(join(dir, 'sagewire.db'));
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        posts.push({ url: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await handle.db
      .insertInto('artists')
      .values({
        rating_key: '501',
        title: 'Nina Simone',
        user_rating: null,
        last_rated_at: null,
        added_at: null,
        updated_at: null,
        thumb: null,
      })
      .execute();
  });

  beforeEach(() => {
    posts = [];
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends no history on the first tick, then one message per kind, never twice', async () => {
    const runs = new EngineRunsRepo(handle.sqlite);
    await deadEvent('501', Date.now() - 5_000);
    runs.finish(runs.start('full'), 'failed', {}, 'old failure');
    await putSetting(handle.db, 'NOTIFY_WEBHOOK_URL', `${base}/hook/tok_c0ffee1234`);

    const first = await notifier().tick();
    expect(first.messages).toEqual([]);
    expect(await getSetting(handle.db, 'NOTIFY_CURSOR')).not.toBeNull();

    await deadEvent('501');
    runs.finish(runs.start('undo'), 'failed', {}, 'Plex unreachable');
    runs.start('recover');
    runs.failAbandoned();
    const fullRun = runs.start('full');
    runs.finish(fullRun, 'done', {});
    await takeover(fullRun, '501');
    const scheduleId = await insertSchedule(handle.db, {
      name: 'Mondays',
      cron: '0 7 * * 1',
      timezone: 'UTC',
      request: '{}',
      playlist_rating_key: null,
      playlist_title: null,
      created_at: Date.now(),
      next_run_at: null,
      last_run_at: null,
      last_status: null,
      last_error: null,
      last_note: null,
      last_history_id: null,
      last_skipped_at: null,
    });
    await recordScheduleRun(handle.db, scheduleId, {
      at: Date.now() - 30_000,
      status: 'done',
      error: null,
      note: null,
      historyId: 3,
      target: { ratingKey: '9000', title: 'Monday mix' },
      nextRunAt: null,
    });

    const second = await notifier().tick();
    expect(second.messages.map((m) => m.kind)).toEqual(['dead', 'runs', 'schedules']);
    expect(second.results.every((r) => r.ok)).toBe(true);
    expect(posts.map((p) => p.body.kind)).toEqual(['dead', 'runs', 'schedules']);
    expect(posts.every((p) => p.url === '/hook/tok_c0ffee1234')).toBe(true);
    const [dead, failed, schedule] = posts.map((p) => p.body);
    expect(dead.title).toBe('A webhook event was dead-lettered');
    expect(dead.text).toContain('“Nina Simone”');
    expect(failed.title).toBe('2 runs failed or were interrupted');
    expect(failed.text).toContain('Plex unreachable');
    expect(failed.text).toContain('was interrupted');
    expect(schedule.title).toBe('Scheduled playlist “Monday mix” made');

    const third = await notifier().tick();
    expect(third.messages).toEqual([]);
    expect(posts).toHaveLength(3);
    // The last delivery is kept per channel for the Settings page.
    expect(JSON.parse((await getSetting(handle.db, 'NOTIFY_LAST_WEBHOOK')) ?? '{}')).toMatchObject({ ok: true, kind: 'schedules' });
  });

  it('batches takeovers into one message once they are turned on', async () => {
    await putSetting(handle.db, 'NOTIFY_ON_TAKEOVERS', 'true');
    const runs = new EngineRunsRepo(handle.sqlite);
    const run = runs.start('event');
    await takeover(run, '501');
    await takeover(run, '777');
    runs.finish(run, 'done', {});
    const outcome = await notifier().tick();
    expect(outcome.messages.map((m) => [m.kind, m.count])).toEqual([['takeovers', 2]]);
    expect(posts).toHaveLength(1);
    expect(posts[0].body.title).toBe('You took over 2 inferred ratings');
    expect(posts[0].body.text).toContain('artist “Nina Simone”: 3.65★ → 4★');
    expect(posts[0].body.text).toContain('artist 777');
    expect((await notifier().tick()).messages).toEqual([]);
  });

  it('counts a row that commits late inside the window, once', async () => {
    await deadEvent('501', Date.now() - 20_000);
    expect((await notifier().tick()).messages.map((m) => m.count)).toEqual([1]);
    expect((await notifier().tick()).messages).toEqual([]);
  });

  it("with several sections, reads the section's events, the main database's channels, and names the section", async () => {
    const sectionDir = mkdtempSync(join(tmpdir(), 'sagewire-notify-section-'));
    const section = await openDatabase(join(sectionDir, 'section.db'));
    await putSetting(handle.db, 'NOTIFY_WEBHOOK_URL', `${base}/hook/tok_c0ffee1234`);
    try {
      const family = new Notifier({ db: section.db, settingsDb: handle.db, logger, section: () => 'Family Music', retryAfterMs: 1 });
      expect((await family.tick()).messages).toEqual([]);
      await section.db
        .insertInto('webhook_events')
        .values({
          received_at: Date.now() - 1_000,
          event: 'media.rate',
          status: 'dead',
          ignore_reason: null,
          item_key: '777',
          item_type: 'track',
          rating: 8,
          account_id: 1,
          server_uuid: 'srv',
          payload: '',
          attempts: 5,
          next_attempt_at: null,
          last_error: 'Plex answered 500',
          processed_at: Date.now(),
          outcome: null,
          run_id: null,
          receipt_id: null,
        })
        .execute();
      posts = [];
      const sent = await family.tick();
      expect(sent.messages.map((m) => m.title)).toEqual(['A webhook event was dead-lettered (Family Music)']);
      expect(posts.map((p) => p.body.title)).toEqual(['A webhook event was dead-lettered (Family Music)']);
      // Channels and their last results live in the main database; the cursor in the section's.
      expect(await getSetting(section.db, 'NOTIFY_LAST_WEBHOOK')).toBeNull();
      expect(await getSetting(section.db, 'NOTIFY_CURSOR')).not.toBeNull();
    } finally {
      await section.close();
      rmSync(sectionDir, { recursive: true, force: true });
    }
  });

  it('does not send later what happened while no channel was set', async () => {
    await putSetting(handle.db, 'NOTIFY_WEBHOOK_URL', '');
    await deadEvent('501');
    expect((await notifier().tick()).messages.map((m) => m.kind)).toEqual(['dead']);
    expect(posts).toEqual([]);
    await putSetting(handle.db, 'NOTIFY_WEBHOOK_URL', `${base}/hook/tok_c0ffee1234`);
    expect((await notifier().tick()).messages).toEqual([]);
    expect(posts).toEqual([]);
  });

  it('logs a failed delivery without the secret and keeps it for the page', async () => {
    await putSetting(handle.db, 'NOTIFY_WEBHOOK_URL', 'http://127.0.0.1:9/hook/tok_deadbeef5678');
    await deadEvent('501');
    const outcome = await notifier().tick();
    expect(outcome.results).toMatchObject([{ channel: 'webhook', ok: false, attempts: 2 }]);
    const last = (await getSetting(handle.db, 'NOTIFY_LAST_WEBHOOK')) ?? '';
    expect(last).toContain('could not connect');
    expect(lines.join('\n')).toContain('notify: a notification was not delivered');
    expect(`${lines.join('\n')}${last}`).not.toContain('tok_deadbeef5678');
    await putSetting(handle.db, 'NOTIFY_WEBHOOK_URL', `${base}/hook/tok_c0ffee1234`);
  });

  it('starts again at "now" from a cursor it cannot read, sending no history', async () => {
    await deadEvent('501');
    await putSetting(handle.db, 'NOTIFY_CURSOR', '{not json');
    expect((await notifier().tick()).messages).toEqual([]);
    expect(JSON.parse((await getSetting(handle.db, 'NOTIFY_CURSOR')) ?? '{}').dead.seen.length).toBeGreaterThan(0);
    expect((await notifier().tick()).messages).toEqual([]);
    expect(posts).toEqual([]);
  });

  it('delivers on its own between start() and stop()', async () => {
    const running = notifier();
    running.start();
    try {
      await deadEvent('501');
      await waitUntil(() => posts.find((p) => p.body.kind === 'dead'), 'the timer to deliver the dead-lettered event');
    } finally {
      await running.stop();
    }
    expect(posts.filter((p) => p.body.kind === 'dead')).toHaveLength(1);
  });
});
