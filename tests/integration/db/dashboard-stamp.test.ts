// The dashboard's stamp moves with every change the live dashboard shows, made on another connection (the
// webhook receiver's thread, the CLI) as much as on this one, and stays put when nothing changed. The feed
// names each event's item from the library cache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { recentEventsBesidesEchoes, recentInboxEvents } from '../../../src/db/inbox-reads.js';
import { dashboardStamp, FEED_WINDOW, readCommitCounter, readDashboardStamp, STAMP_SQL } from '../../../src/db/dashboard-stamp.js';
import { feedItems } from '../../../src/db/feed-items.js';
import { eventFeed } from '../../../src/web/read-models/event-feed.js';

let dir: string;
let main: DatabaseHandle;
/** Another connection to the same file: the receiver's thread or the CLI. */
let other: DatabaseHandle;

const run = (text: string, ...params: unknown[]) => other.sqlite.prepare(text).run(...params);
const insertEvent = (status = 'pending', itemKey: string | null = null) =>
  Number(
    run(
      `insert into webhook_events (received_at, event, status, item_key, item_type, rating, payload, attempts)
       values (?, 'media.rate', ?, ?, 'track', 8, '', 0)`,
      Date.now(),
      status,
      itemKey,
    ).lastInsertRowid,
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sagewire-stamp-'));
  main = await openDatabase(join(dir, 'sagewire.db'));
  other = await openDatabase(join(dir, 'sagewire.db'), { migrate: false });
  run("insert into artists (rating_key, title) values ('a1', 'Nina Simone')");
  run("insert into albums (rating_key, artist_key, artist_title, title) values ('b1', 'a1', 'Nina Simone', 'Pastel Blues')");
  run(`insert into tracks (rating_key, album_key, artist_key, title, album_title, artist_title)
       values ('t1', 'b1', 'a1', 'Sinnerman', 'Pastel Blues', 'Nina Simone')`);
});

afterAll(async () => {
  await other?.close();
  await main?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard stamp', () => {
  let oldDead = 0;
  let recent = 0;
  let runId = 0;
  const changes: Array<[string, () => void]> = [
    [
      'a webhook arrives',
      () => {
        recent = insertEvent();
      },
    ],
    ['the worker claims it', () => void run("update webhook_events set status = 'processing' where id = ?", recent)],
    ['it is applied', () => void run("update webhook_events set status = 'done', processed_at = ? where id = ?", Date.now(), recent)],
    [
      'an event fails and waits for a retry',
      () => void run("update webhook_events set status = 'pending', attempts = 1 where id = ?", recent),
    ],
    ['the ratings change', () => void run("update data_versions set version = version + 1 where name = 'ratings'")],
    ['the library changes', () => void run("update data_versions set version = version + 1 where name = 'library'")],
    [
      'a sync finishes without changes',
      () =>
        void run(
          'insert into sync_state (section_id, last_sync_at) values (1, ?) on conflict (section_id) do update set last_sync_at = excluded.last_sync_at',
          Date.now(),
        ),
    ],
    [
      'a run starts',
      () => {
        runId = Number(run("insert into engine_runs (kind, status, started_at) values ('full', 'running', ?)", Date.now()).lastInsertRowid);
      },
    ],
    ['the run finishes', () => void run("update engine_runs set status = 'done', finished_at = ? where id = ?", Date.now(), runId)],
    [
      'more events arrive than the feed shows',
      () => {
        oldDead = insertEvent('pending');
        for (let i = 0; i < FEED_WINDOW + 5; i++) insertEvent('done');
      },
    ],
    [
      'an event older than the feed shows is dead-lettered',
      () => void run("update webhook_events set status = 'dead', attempts = 5 where id = ?", oldDead),
    ],
    [
      'that dead letter is retried from Ratings',
      () => void run("update webhook_events set status = 'pending', attempts = 0 where id = ?", oldDead),
    ],
  ];

  it.each(changes)('moves when %s (on another connection)', async (_what, change) => {
    const before = await readDashboardStamp(main.db);
    change();
    expect(await readDashboardStamp(main.db)).not.toBe(before);
  });

  it('reads no table from end to end (it is read a few times a second while a dashboard is open)', () => {
    const plan = (main.sqlite.prepare(`explain query plan ${STAMP_SQL}`).all() as Array<{ detail: string }>).map((p) => p.detail);
    // The only scans: the newest rows by rowid, each under a LIMIT; the queued and dead rows are counted
    // through the status index.
    expect(plan.filter((d) => /^SCAN (?!\(subquery|CONSTANT)/.test(d))).toEqual(['SCAN webhook_events', 'SCAN engine_runs']);
    expect(plan.filter((d) => /^SEARCH webhook_events USING COVERING INDEX webhook_events_status/.test(d))).toHaveLength(2);
    expect(STAMP_SQL.match(/order by id desc limit \d+/g)).toHaveLength(2);
  });

  it('stays put when nothing changed, and on writes the dashboard does not show', async () => {
    const before = await readDashboardStamp(main.db);
    expect(await readDashboardStamp(main.db)).toBe(before);
    run("insert into settings (key, value, updated_at) values ('SOMETHING', 'x', 0)");
    expect(await readDashboardStamp(main.db)).toBe(before);
  });
});

describe('commit counter and the stamp read through it', () => {
  it.each([
    ['another connection', () => other.sqlite],
    ['this connection', () => main.sqlite],
  ])('moves on a commit by %s, and is still without one', async (_who, connection) => {
    const stamp = dashboardStamp(main.db);
    const counter = await readCommitCounter(main.db);
    const before = await stamp();
    expect(await readCommitCounter(main.db)).toBe(counter);
    expect(await stamp()).toBe(before);
    connection()
      .prepare("insert into webhook_events (received_at, event, status, payload, attempts) values (0, 'media.rate', 'pending', '', 0)")
      .run();
    expect(await readCommitCounter(main.db)).not.toBe(counter);
    const after = await stamp();
    expect(after).not.toBe(before);
    expect(after).toBe(await readDashboardStamp(main.db));
  });
});

describe('feed rows', () => {
  it('name the item: a track with its artist and album, an album with its artist, an artist; unknown keys unnamed', async () => {
    const ids = [
      insertEvent('done', 't1'),
      insertEvent('done', 'b1'),
      insertEvent('done', 'a1'),
      insertEvent('done', 'gone'),
      insertEvent('done'),
    ];
    const byId = new Map((await feedItems(main.db, ids)).map((r) => [r.id, r]));
    expect(ids.map((id) => byId.get(id))).toEqual([
      { id: ids[0], item_key: 't1', title: 'Sinnerman', context: 'Nina Simone — Pastel Blues' },
      { id: ids[1], item_key: 'b1', title: 'Pastel Blues', context: 'Nina Simone' },
      { id: ids[2], item_key: 'a1', title: 'Nina Simone', context: null },
      { id: ids[3], item_key: 'gone', title: null, context: null },
      { id: ids[4], item_key: null, title: null, context: null },
    ]);
    expect(await feedItems(main.db, [])).toEqual([]);
  });

  it('carry the name into the feed the dashboard renders', async () => {
    const id = insertEvent('done', 't1');
    const base = {
      receivedAt: Date.now(),
      event: 'media.rate',
      ignoreReason: null,
      itemType: 'track',
      rating: 8,
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
    };
    const [row] = await eventFeed(main.db, [{ id, status: 'done', ...base }]);
    expect(row).toMatchObject({ itemKey: 't1', title: 'Sinnerman', itemContext: 'Nina Simone — Pastel Blues' });
  });
});

describe('the events a burst of echoes follows', () => {
  it('stay in the feed however many echoes came after them, within the rows looked at', async () => {
    const person = insertEvent('done', 't1');
    other.sqlite.transaction(() => {
      for (let i = 0; i < 500; i++)
        run(
          `insert into webhook_events (received_at, event, status, item_key, item_type, rating, payload, attempts, outcome)
           values (?, 'media.rate', 'done', 't1', 'track', 8, '', 1, '{"echo":true}')`,
          Date.now(),
        );
    })();
    const newest = await recentInboxEvents(main.db, FEED_WINDOW);
    expect(newest.some((e) => e.id === person)).toBe(false);
    const besides = await recentEventsBesidesEchoes(main.db, 10, 20_000);
    expect(besides[0].id).toBe(person);
    expect(besides.every((e) => e.status !== 'done' || e.id <= person)).toBe(true);
    // Past the rows looked at, it is no longer found (the read stays bounded).
    expect((await recentEventsBesidesEchoes(main.db, 10, 100)).some((e) => e.id === person)).toBe(false);
  });
});
