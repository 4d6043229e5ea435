// The connection when another program holds the database: SQLite's blocking wait is short, a Kysely
// statement retries on a timer (the event loop stays free) and fails with DatabaseBusyError after
// busyRetryMs; Kysely transactions begin IMMEDIATE, so a commit elsewhere between their read and their
// write cannot fail them half-way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseBusyError, isDatabaseBusy, openDatabase, type DatabaseHandle } from '../../src/db/connection.js';

describe('openDatabase with another writer', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let other: SQLite.Database;
  const setting = (key: string) => handle.db.insertInto('settings').values({ key, value: '1', updated_at: 0 }).execute();
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-busy-db-'));
    handle = await openDatabase(join(dir, 'db.sqlite'), { busyTimeoutMs: 0, busyRetryMs: 60_000 });
    other = new SQLite(join(dir, 'db.sqlite'), { timeout: 0 });
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('rollback');
    other.close();
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a statement waits for the lock without blocking the event loop, and runs once it is released', async () => {
    other.exec('begin immediate');
    const insert = setting('waited');
    // Timers still run while the statement waits: this one releases the lock.
    setImmediate(() => other.exec('rollback'));
    await insert;
    expect(await handle.db.selectFrom('settings').select('key').where('key', '=', 'waited').executeTakeFirst()).toEqual({ key: 'waited' });
  });

  it('a statement fails with DatabaseBusyError (SQLITE_BUSY) once busyRetryMs has passed', async () => {
    const short = await openDatabase(join(dir, 'db.sqlite'), { busyTimeoutMs: 0, busyRetryMs: 30, migrate: false });
    try {
      other.exec('begin immediate');
      const err = await short.db
        .insertInto('settings')
        .values({ key: 'refused', value: '1', updated_at: 0 })
        .execute()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseBusyError);
      expect(isDatabaseBusy(err)).toBe(true);
    } finally {
      await short.close();
    }
  });

  it('a transaction holds the write lock from its start: a commit elsewhere cannot slip between its read and its write', async () => {
    await handle.db.transaction().execute(async (trx) => {
      await trx.selectFrom('settings').selectAll().execute();
      // Another connection tries to write meanwhile: it is the one refused, not this transaction.
      expect(() => other.prepare("insert into settings (key, value, updated_at) values ('other', '1', 0)").run()).toThrow(/locked|busy/i);
      await trx.insertInto('settings').values({ key: 'mine', value: '1', updated_at: 0 }).execute();
    });
    expect((await handle.db.selectFrom('settings').select('key').execute()).map((r) => r.key)).toEqual(['mine']);
  });

  it('so does a better-sqlite3 transaction of this connection (read, then write)', () => {
    const readThenWrite = handle.sqlite.transaction(() => {
      handle.sqlite.prepare('select count(*) from settings').pluck().get();
      expect(() => other.prepare("insert into settings (key, value, updated_at) values ('other', '1', 0)").run()).toThrow(/locked|busy/i);
      handle.sqlite.prepare("insert into settings (key, value, updated_at) values ('mine', '1', 0)").run();
    });
    readThenWrite();
    expect(handle.sqlite.prepare('select key from settings').pluck().all()).toEqual(['mine']);
  });
});
