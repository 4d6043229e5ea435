// Resolves journal rows left pending (a crash, a lost response) by reading the items back from Plex:
//   Plex holds the value after  → applied (and its effect on rating_state)
//   Plex holds the value before → dropped 'not-sent': never re-sent from here; the next plan writes it anew
//   anything else               → dropped 'changed-by-person' (the next ownership check sees the change)
//   the item is gone            → dropped 'deleted'
// Tag rows: the tag is where the row meant it to be → applied, else dropped. So a write is never lost (the
// next pass plans it again) and never sent twice (a pending row is resolved, not replayed).
import type { JournalEntry } from '../db/engine-journal-repo.js';
import type { EngineStore } from './engine-store.js';
import type { CurrentItem, RatingWriterPort } from './rating-port.js';
import { sameRating } from './values.js';

export interface ReconcileOutcome {
  applied: number;
  dropped: number;
}

export type Resolution = { status: 'applied' } | { status: 'dropped'; note: string };

export function resolveEntry(entry: JournalEntry, current: CurrentItem | undefined): Resolution {
  if (!current) return { status: 'dropped', note: 'deleted' };
  switch (entry.operation) {
    case 'tag_add':
      return current.moods.includes(entry.tag ?? '') ? { status: 'applied' } : { status: 'dropped', note: 'tag-not-added' };
    case 'tag_remove':
      return current.moods.includes(entry.tag ?? '') ? { status: 'dropped', note: 'tag-not-removed' } : { status: 'applied' };
    case 'rate':
    case 'rate_manual':
    case 'clear':
      if (sameRating(current.rating, entry.valueAfter)) return { status: 'applied' };
      if (sameRating(current.rating, entry.valueBefore)) return { status: 'dropped', note: 'not-sent' };
      return { status: 'dropped', note: 'changed-by-person' };
    default:
      // State-only rows are recorded applied; a pending one can only be a bug. Apply what it says.
      return { status: 'applied' };
  }
}

/** Reconciles the given pending rows (all pending rows when omitted). Throws if Plex cannot be read. */
export async function reconcileJournal(
  store: EngineStore,
  port: RatingWriterPort,
  entries: readonly JournalEntry[] = store.journal.pending(),
  chunkSize = 200,
): Promise<ReconcileOutcome> {
  const outcome: ReconcileOutcome = { applied: 0, dropped: 0 };
  for (let i = 0; i < entries.length; i += chunkSize) {
    const chunk = entries.slice(i, i + chunkSize);
    const current = await port.readCurrent([...new Set(chunk.map((e) => e.itemKey))]);
    const applied: number[] = [];
    const dropped = new Map<string, number[]>();
    for (const entry of chunk) {
      const resolution = resolveEntry(entry, current.get(entry.itemKey));
      if (resolution.status === 'applied') applied.push(entry.id);
      else dropped.set(resolution.note, [...(dropped.get(resolution.note) ?? []), entry.id]);
    }
    store.journal.markApplied(applied);
    for (const [note, ids] of dropped) store.journal.markDropped(ids, note);
    outcome.applied += applied.length;
    outcome.dropped += chunk.length - applied.length;
  }
  return outcome;
}
