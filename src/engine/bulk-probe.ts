// Auto write mode: does this server honour a several-id `userRating.value` edit exactly like `/:/rate`?
// Probe on two items the pass is about to write anyway: set both to the first one's target in one edit
// (journaled like any write), read them back. Honoured when both hold the value. Items left at the target
// are done; the other continues from what Plex now holds. Nothing is restored by guesswork: the journal
// rows are resolved by read-back exactly as after a crash.
import type { EngineStore } from './engine-store.js';
import type { ItemKind, RatingWriterPort } from './rating-port.js';
import { reconcileJournal } from './reconcile.js';
import { sameRating } from './values.js';

export interface ProbeCandidate {
  key: string;
  kind: ItemKind;
  before: number | null;
  target: number;
}

export interface ProbeResult {
  honoured: boolean;
  detail: string;
  /** Per candidate: what Plex holds after the probe, and whether Sagewire's state now claims it. */
  items: Array<{ key: string; before: number | null; now: number | null; claimed: boolean }>;
}

export async function probeBulkRating(
  store: EngineStore,
  port: RatingWriterPort,
  runId: number,
  candidates: readonly [ProbeCandidate, ProbeCandidate] | ProbeCandidate[],
  guard: (key: string) => boolean,
): Promise<ProbeResult> {
  const [first, second] = candidates;
  const value = first.target;
  const keys = [first.key, second.key];
  if (!guard(first.key) || !guard(second.key)) {
    return { honoured: false, detail: 'probe items refused by the guard', items: candidates.map((c) => ({ key: c.key, before: c.before, now: c.before, claimed: false })) };
  }
  const ids = store.journal.addPending(
    runId,
    candidates.map((c) => ({ itemKey: c.key, kind: c.kind, operation: 'rate' as const, valueBefore: c.before, valueAfter: value, note: 'bulk-probe' })),
  );
  let detail = 'several-id userRating.value edit honoured';
  try {
    await port.bulkRate(first.kind, keys, value);
  } catch (err) {
    detail = `several-id edit refused: ${err instanceof Error ? err.message : String(err)}`;
  }
  const rows = store.journal.forRun(runId).filter((e) => ids.includes(e.id));
  await reconcileJournal(store, port, rows);
  const after = await port.readCurrent(keys);
  const items = candidates.map((c) => {
    const now = after.get(c.key)?.rating ?? null;
    return { key: c.key, before: c.before, now, claimed: sameRating(now, value) };
  });
  const honoured = items.every((i) => i.claimed);
  if (!honoured && detail.endsWith('honoured')) detail = `several-id edit not honoured (read back ${items.map((i) => i.now).join(', ')})`;
  return { honoured, detail, items };
}
