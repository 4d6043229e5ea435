// Table-driven rules of the journal's read-back resolution, the write guard, and the writer lease.
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/db/engine-journal-repo.js';
import { LeaseHeldError } from '../../../src/db/engine-lease-repo.js';
import { resolveEntry } from '../../../src/engine/writer/reconcile.js';
import { assertWritable, OwnershipViolation } from '../../../src/engine/writer/write-guard.js';
import { FakePlex } from './support/fake-plex.js';
import { openTestEngine, type TestEngine } from './support/engine.js';

const entry = (over: Partial<JournalEntry>): JournalEntry => ({
  id: 1,
  runId: 1,
  itemKey: 'k',
  kind: 'track',
  operation: 'rate',
  valueBefore: null,
  valueAfter: 6.9,
  tag: null,
  status: 'pending',
  note: null,
  createdAt: 0,
  resolvedAt: null,
  undoneByRunId: null,
  ...over,
});
const item = (rating: number | null, moods: string[] = []) => ({ kind: 'track' as const, rating, moods });

describe('resolveEntry (pending journal rows, read back)', () => {
  it.each([
    ['Plex holds the value after', entry({}), item(6.9), 'applied'],
    ['…within 0.05 (rounded storage)', entry({ valueAfter: 6.93 }), item(6.9), 'applied'],
    ['…as a float32', entry({}), item(Math.fround(6.9)), 'applied'],
    ['Plex holds the value before (never sent)', entry({ valueBefore: 5.1 }), item(5.1), 'not-sent'],
    ['unrated before, still unrated', entry({}), item(null), 'not-sent'],
    ['the person changed it', entry({ valueBefore: 5.1 }), item(8), 'changed-by-person'],
    ['the item is gone', entry({}), undefined, 'deleted'],
    ['a clear that happened', entry({ operation: 'clear', valueBefore: 6.9, valueAfter: null }), item(null), 'applied'],
    ['a clear that did not', entry({ operation: 'clear', valueBefore: 6.9, valueAfter: null }), item(6.9), 'not-sent'],
    ['tag added', entry({ operation: 'tag_add', tag: 'T' }), item(6.9, ['T']), 'applied'],
    ['tag not added', entry({ operation: 'tag_add', tag: 'T' }), item(6.9), 'tag-not-added'],
    ['tag removed', entry({ operation: 'tag_remove', tag: 'T' }), item(6.9, ['X']), 'applied'],
    ['tag not removed', entry({ operation: 'tag_remove', tag: 'T' }), item(6.9, ['T']), 'tag-not-removed'],
  ] as const)('%s', (_name, e, current, expected) => {
    const r = resolveEntry(e, current);
    expect(r.status === 'applied' ? 'applied' : r.note).toBe(expected);
  });
});

describe('assertWritable (the last-moment guard)', () => {
  it.each([
    ['unrated, no claim', null, null, true],
    ['inferred, Plex holds the written value', { kind: 'track', writtenValue: 6.9, optedOut: false }, 6.9, true],
    ['inferred, rounded storage', { kind: 'track', writtenValue: 6.93, optedOut: false }, 6.9, true],
    ['manual (no claim, rated)', null, 8, false],
    ['taken over', { kind: 'track', writtenValue: 6.9, optedOut: false }, 8, false],
    ['opted out', { kind: 'track', writtenValue: null, optedOut: true }, null, false],
  ] as const)('%s', (_name, claim, current, ok) => {
    const check = () => assertWritable(claim as never, current);
    if (ok) expect(check).not.toThrow();
    else expect(check).toThrow(OwnershipViolation);
  });
});

describe('writer lease', () => {
  const engines: TestEngine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
  });

  it('one writer at a time; a stale or dead holder is replaced', async () => {
    const engine = await openTestEngine(new FakePlex());
    engines.push(engine);
    const { lease } = engine.deps.store;
    lease.acquire('writer', 'a', 1_000);
    lease.acquire('writer', 'a', 2_000); // re-entrant
    expect(() => lease.acquire('writer', 'elsewhere:1:b', 3_000)).toThrow(LeaseHeldError);
    lease.acquire('writer', 'elsewhere:1:b', 1_000 + 200_000); // heartbeat too old
    lease.release('writer', 'elsewhere:1:b');
    lease.acquire('writer', 'c', 5_000);
  });
});
