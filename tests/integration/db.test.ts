import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/connection.js';

describe('database', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('opens a file database in WAL mode with every table migrated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sagewire-db-'));
    dirs.push(dir);
    const handle = await openDatabase(join(dir, 'nested', 'sagewire.db'));
    expect(handle.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = handle.sqlite
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['settings', 'artists', 'albums', 'tracks', 'item_tags', 'sync_state']));
    await handle.close();
    // A second open finds the migrations applied and changes nothing.
    const again = await openDatabase(join(dir, 'nested', 'sagewire.db'));
    await again.db.insertInto('settings').values({ key: 'k', value: 'v', updated_at: 1 }).execute();
    expect(await again.db.selectFrom('settings').selectAll().execute()).toHaveLength(1);
    await again.close();
  });
});
