// Does this server honour a several-id `userRating.value` edit exactly like `/:/rate`? Setting a value and
// clearing (`-1`) are probed separately (PLEX-API.md marks both unverified). A probe runs on two items the
// run is about to write anyway, read immediately before by the writer: both are set to one value (or both
// cleared) in one edit, journaled like any write, and read back. Honoured when both hold the value.
// Nothing is restored by guesswork: the rows are resolved by that read-back exactly as after a crash, and
// a value the server stored that is neither the one before nor the one sent (a rounded value, a 0 for a
// clear) is journaled as Sagewire's own write ('probe-stored'), so the item stays Sagewire's to correct and
// undo returns it to what it held before the probe.
import type { NewJournalEntry } from '../../db/engine-journal-repo.js';
import type { EngineStore } from '../core/engine-store.js';
import type { ItemKind, RatingWriterPort } from '../core/rating-port.js';
import { resolveRatingRows } from './reconcile.js';
import { sameRating } from '../core/values.js';

export interface ProbeCandidate {
  key: string;
  kind: ItemKind;
  /** What Plex held at the read just before the probe. */
  before: number | null;
}

export interface ProbeResult {
  honoured: boolean;
  detail: string;
  /** Per candidate: what Plex holds after the probe (undefined: the item is gone). */
  items: Array<{ key: string; before: number | null; now: number | null | undefined }>;
}

/**
 * Sends the probe edit at once (no await before the request: the caller's read is the last word on the
 * items), then reads both back. `value` null probes a several-id clear.
 */
export async function probeBulkRating(
  store: EngineStore,
  port: RatingWriterPort,
  runId: number,
  candidates: readonly ProbeCandidate[],
  value: number | null,
): Promise<ProbeResult> {
  const keys = candidates.map((c) => c.key);
  const operation = value === null ? ('clear' as const) : ('rate' as const);
  const ids = store.journal.addPending(
    runId,
    candidates.map((c) => ({ itemKey: c.key, kind: c.kind, operation, valueBefore: c.before, valueAfter: value, note: 'bulk-probe' })),
  );
  let detail = `several-id ${value === null ? 'clear' : 'userRating.value edit'} honoured`;
  let refused = false;
  try {
    await port.bulkRate(candidates[0].kind, keys, value);
  } catch (err) {
    refused = true;
    detail = `several-id ${value === null ? 'clear' : 'edit'} refused: ${err instanceof Error ? err.message : String(err)}`;
  }
  const after = await port.readCurrent(keys);
  const rows = store.journal.forRun(runId).filter((e) => ids.includes(e.id));
  resolveRatingRows(store, rows, after);
  const stored: NewJournalEntry[] = [];
  const items = candidates.map((c) => {
    const now = after.has(c.key) ? after.get(c.key)!.rating : undefined;
    if (now !== undefined && now !== null && !sameRating(now, value) && !sameRating(now, c.before)) {
      stored.push({
        itemKey: c.key,
        kind: c.kind,
        operation: 'rate' as const,
        valueBefore: c.before,
        valueAfter: now,
        note: 'probe-stored',
      });
    }
    return { key: c.key, before: c.before, now };
  });
  if (stored.length > 0) store.journal.record(runId, stored);
  const honoured = !refused && items.every((i) => i.now !== undefined && sameRating(i.now, value));
  if (!honoured && !refused)
    detail = `several-id ${value === null ? 'clear' : 'edit'} not honoured (read back ${items.map((i) => i.now ?? 'nothing').join(', ')})`;
  return { honoured, detail, items };
}
