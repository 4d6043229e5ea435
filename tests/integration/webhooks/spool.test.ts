// The receiver's spool: events committed there are moved into the inbox in order, exactly once, whatever
// holds either file, and a spool made anew never reuses a receipt id the inbox already has.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { openSpool, spoolMover, spoolPath } from '../../../src/db/inbox-spool.js';
import { inboxRecorder } from '../../../src/webhooks/inbox.js';
import type { Classified } from '../../../src/webhooks/payload.js';

const rated = (key: string): Classified => ({
  status: 'pending',
  ignoreReason: null,
  itemKey: key,
  itemType: 'track',
  rating: 8,
  accountId: 1,
  serverUuid: null,
});

describe('the receiver spool', () => {
  let dir: string;
  let database: DatabaseHandle;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-spool-'));
    database = await openDatabase(join(dir, 'sagewire.db'));
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const inbox = () =>
    database.sqlite.prepare('select item_key, receipt_id, status from webhook_events order by id').all() as Array<{
      item_key: string;
      receipt_id: number;
      status: string;
    }>;

  it('moves events in order, once, even when the spool could not be emptied after a move', async () => {
    const path = spoolPath(join(dir, 'sagewire.db'));
    const receiver = openSpool(path);
    const record = inboxRecorder(receiver, { table: 'spooled_events' });
    const mover = spoolMover(openSpool(path), database.sqlite);
    const ids = [await record('media.rate', rated('11'), '{}'), await record('media.rate', rated('12'), '{}')];
    // Another connection holds the spool while the rows are moved: they reach the inbox, stay spooled.
    const holder = new SQLite(path);
    holder.exec('begin immediate');
    expect(mover.drain()).toEqual({ moved: 2, pending: 2 });
    holder.exec('rollback');
    holder.close();
    expect(receiver.prepare('select count(*) from spooled_events').pluck().get()).toBe(2);
    // A restarted process moves them again: nothing twice, and the spool is emptied.
    const again = spoolMover(openSpool(path), database.sqlite);
    ids.push(await record('media.rate', rated('13'), '{}'));
    expect(again.drain()).toEqual({ moved: 3, pending: 1 });
    expect(inbox()).toEqual([
      { item_key: '11', receipt_id: ids[0], status: 'pending' },
      { item_key: '12', receipt_id: ids[1], status: 'pending' },
      { item_key: '13', receipt_id: ids[2], status: 'pending' },
    ]);
    expect(receiver.prepare('select count(*) from spooled_events').pluck().get()).toBe(0);
    receiver.close();
  });

  it('leaves events spooled while another program holds the database, and moves them after', async () => {
    const path = spoolPath(join(dir, 'sagewire.db'));
    const receiver = openSpool(path);
    const record = inboxRecorder(receiver, { table: 'spooled_events' });
    const mover = spoolMover(openSpool(path), database.sqlite);
    await record('media.rate', rated('21'), '{}');
    const holder = new SQLite(join(dir, 'sagewire.db'));
    holder.exec('begin immediate');
    expect(() => mover.drain()).toThrow(/busy|locked/i);
    holder.exec('rollback');
    holder.close();
    expect(mover.drain()).toEqual({ moved: 1, pending: 1 });
    expect(inbox().map((r) => r.item_key)).toEqual(['21']);
    receiver.close();
  });

  it('a spool made anew continues after the receipts the inbox holds', async () => {
    const path = spoolPath(join(dir, 'sagewire.db'));
    let receiver = openSpool(path);
    let mover = spoolMover(openSpool(path), database.sqlite);
    const first = await inboxRecorder(receiver, { table: 'spooled_events' })('media.rate', rated('31'), '{}');
    mover.drain();
    receiver.close();
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
    receiver = openSpool(path);
    mover = spoolMover(openSpool(path), database.sqlite);
    const second = await inboxRecorder(receiver, { table: 'spooled_events' })('media.rate', rated('32'), '{}');
    expect(second).toBeGreaterThan(first);
    expect(mover.drain()).toEqual({ moved: 1, pending: 1 });
    expect(inbox().map((r) => r.item_key)).toEqual(['31', '32']);
    receiver.close();
  });
});
