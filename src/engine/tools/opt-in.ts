// Re-enabling inference on items the person opted out of (by clearing a rating Sagewire wrote). Only
// Sagewire's state changes — Plex is not touched — but it is journaled as a run of its own (kind `opt_in`,
// one `forget` row per item): the change shows in the run history and the item's history, and the journal
// moves the ratings version with it, so a running live engine catches up its model and the next event on
// that artist infers the items again.
import type { EngineStore } from '../core/engine-store.js';

export interface OptInResult {
  runId: number | null;
  /** Items that were opted out and are re-enabled now. */
  changed: number;
}

export function optInItems(store: EngineStore, keys: readonly string[]): OptInResult {
  const opted = [...new Set(keys)].flatMap((key) => {
    const claim = store.state.get(key);
    return claim?.optedOut ? [{ key, kind: claim.kind }] : [];
  });
  if (opted.length === 0) return { runId: null, changed: 0 };
  const runId = store.runs.start('opt_in');
  store.journal.record(
    runId,
    opted.map(({ key, kind }) => ({ itemKey: key, kind, operation: 'forget', valueBefore: null, valueAfter: null, note: 'opt-in' })),
  );
  store.runs.finish(runId, 'done', { reenabled: opted.length });
  return { runId, changed: opted.length };
}
