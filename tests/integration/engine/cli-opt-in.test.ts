// `sagewire opt-in`: lists opted-out items and re-enables the named ones, changing nothing else.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.js';
import { spawnCli } from '../../support/spawn-cli.js';

describe('sagewire opt-in', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-opt-in-'));
  beforeAll(async () => {
    const handle = await openDatabase(join(dir, 'sagewire.db'));
    const insert = handle.sqlite.prepare(
      'insert into rating_state (item_key, kind, written_value, opted_out, run_id, updated_at) values (?, ?, ?, ?, null, 1)',
    );
    insert.run('101', 'track', null, 1);
    insert.run('102', 'album', null, 1);
    insert.run('103', 'track', 7.3, 0);
    await handle.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists opted-out items', async () => {
    const cli = spawnCli(['opt-in', '--list'], { DATA_DIR: dir, LOG_LEVEL: 'silent' });
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout()).toContain('2 opted-out items');
    expect(cli.stdout()).toMatch(/^101\ttrack/m);
  });

  it('re-enables the named items and leaves inferred ones alone', async () => {
    const cli = spawnCli(['opt-in', '101', '103'], { DATA_DIR: dir, LOG_LEVEL: 'silent' });
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout()).toContain('1 item re-enabled; 1 not opted out');
    const handle = await openDatabase(join(dir, 'sagewire.db'));
    const rows = handle.sqlite.prepare('select item_key, opted_out, written_value from rating_state order by item_key').all();
    // Journaled as a run of its own, so a running engine reloads and the item's history shows it.
    const journal = handle.sqlite
      .prepare(
        "select r.kind, j.item_key, j.operation, j.note from write_journal j join engine_runs r on r.id = j.run_id where r.kind = 'opt_in'",
      )
      .all();
    await handle.close();
    expect(journal).toEqual([{ kind: 'opt_in', item_key: '101', operation: 'forget', note: 'opt-in' }]);
    expect(rows).toEqual([
      { item_key: '102', opted_out: 1, written_value: null },
      { item_key: '103', opted_out: 0, written_value: 7.3 },
    ]);
  });

  it('asks for keys when given none', async () => {
    const cli = spawnCli(['opt-in'], { DATA_DIR: dir, LOG_LEVEL: 'silent' });
    expect((await cli.exited).code).toBe(1);
    expect(cli.stderr()).toContain('name the ratingKeys');
  });
});
