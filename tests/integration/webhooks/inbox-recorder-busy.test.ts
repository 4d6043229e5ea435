// The receiver's recorder when another connection holds the write lock: its rows wait on a timer (the
// event loop stays free) and are stored once the lock is released; a row still waiting after busyWaitMs
// is refused with DatabaseBusyError; other failures still fail only their own row.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseBusyError, openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { inboxRecorder } from '../../../src/webhooks/inbox.js';
import { pending } from './support/events.js';

describe('inboxRecorder with the database held by another connection', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let holder: SQLite.Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-inbox-busy-'));
    await (await openDatabase(join(dir, 'db.sqlite'))).close();
    // The receiver's own connection: no blocking wait at all.
    handle = await openDatabase(join(dir, 'db.sqlite'), { busyTimeoutMs: 0, migrate: false });
    holder = new SQLite(join(dir, 'db.sqlite'));
  });
  afterEach(async () => {
    if (holder.inTransaction) holder.exec('rollback');
    holder.close();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const keys = () => handle.sqlite.prepare('select item_key from webhook_events order by id').pluck().all();
  /** A recorder, and a promise of its first try that found the database busy. */
  const recorder = (busyWaitMs: number) => {
    let found!: () => void;
    const busy = new Promise<void>((resolve) => (found = resolve));
    return { record: inboxRecorder(handle.sqlite, { busyWaitMs, onBusy: () => found() }), busy };
  };

  it('keeps the rows waiting while the lock is held and stores them, in order, once it is released', async () => {
    const { record, busy: tried } = recorder(60_000);
    holder.exec('begin immediate');
    const ids = Promise.all(['a', 'b', 'c'].map((k) => record('media.rate', pending(k), '{}')));
    let settled = false;
    void ids.finally(() => (settled = true));
    await tried;
    // A row that comes while the others wait joins them.
    const late = record('media.rate', pending('d'), '{}');
    expect(settled).toBe(false);
    holder.exec('rollback');
    const stored = [...(await ids), await late];
    expect(new Set(stored).size).toBe(4);
    expect(keys()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses the rows with DatabaseBusyError when the lock outlasts busyWaitMs; the next rows are stored', async () => {
    const { record } = recorder(30);
    holder.exec('begin immediate');
    const results = await Promise.allSettled([record('media.rate', pending('a'), '{}'), record('media.rate', pending('b'), '{}')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DatabaseBusyError);
    holder.exec('rollback');
    expect(await record('media.rate', pending('c'), '{}')).toBeGreaterThan(0);
    expect(keys()).toEqual(['c']);
  });

  it('a row that cannot be stored still fails alone after a busy wait', async () => {
    const { record, busy: tried } = recorder(60_000);
    holder.exec('begin immediate');
    const results = Promise.allSettled([
      record('media.rate', pending('a'), '{}'),
      record('media.rate', pending('bad'), null as unknown as string),
      record('media.rate', pending('c'), '{}'),
    ]);
    await tried;
    holder.exec('rollback');
    expect((await results).map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(keys()).toEqual(['a', 'c']);
  });
});
