// The receiver's group commit: rows that arrive together share one transaction, each promise resolves only
// once its row is committed, and a row that cannot be stored fails alone — the rows beside it are kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { inboxRecorder } from '../../../src/webhooks/inbox.js';
import { pending } from './support/events.js';

describe('inboxRecorder (group commit)', () => {
  let dir: string;
  let handle: DatabaseHandle;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-inbox-'));
    handle = await openDatabase(join(dir, 'db.sqlite'));
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const rows = () =>
    handle.sqlite.prepare('select id, item_key from webhook_events order by id').all() as Array<{ id: number; item_key: string }>;

  it('stores rows that arrive together and answers each with its own id, once committed', async () => {
    const record = inboxRecorder(handle.sqlite);
    const ids = await Promise.all(Array.from({ length: 100 }, (_, i) => record('media.rate', pending(String(i)), '{}')));
    expect(new Set(ids).size).toBe(100);
    const stored = rows();
    expect(stored.map((r) => r.item_key)).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    expect(ids).toEqual(stored.map((r) => r.id));
    // Nothing is visible before its promise settles: a row recorded alone is committed when it resolves.
    const id = await record('media.rate', pending('alone'), '{}');
    expect(handle.sqlite.prepare('select item_key from webhook_events where id = ?').pluck().get(id)).toBe('alone');
  });

  it('a row that cannot be stored fails alone; the rows beside it are committed', async () => {
    const record = inboxRecorder(handle.sqlite);
    const results = await Promise.allSettled([
      record('media.rate', pending('a'), '{}'),
      record(null as unknown as string, pending('bad'), '{}'), // event is NOT NULL
      record('media.rate', pending('c'), '{}'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(rows().map((r) => r.item_key)).toEqual(['a', 'c']);
  });

  it('rejects every row when the database cannot be written at all', async () => {
    const record = inboxRecorder(handle.sqlite);
    handle.sqlite.exec("create trigger refuse before insert on webhook_events begin select raise(abort, 'disk full'); end");
    const results = await Promise.allSettled([record('media.rate', pending('a'), '{}'), record('media.rate', pending('b'), '{}')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(rows()).toEqual([]);
  });
});
