// Resolves journal rows left pending (a crash, a lost response, a failed request) by reading the items back
// from Plex. Rating rows:
//   Plex holds the value after  → applied (and its effect on rating_state)
//   Plex holds the value before → dropped 'not-sent': never re-sent from here; the next plan writes it anew
//   anything else               → dropped 'changed-by-person' (the next ownership check sees the change)
//   the item is gone            → dropped 'deleted'
// Tag rows follow ownership, not the row: once the chunk's rating rows are resolved, the item's ownership
// (rating_state + what Plex holds now) says whether it carries the inferred tag. Plex agrees → the row is
// applied (or dropped 'not-wanted' when ownership changed since it was journaled); Plex disagrees → the
// edit is sent again and the row applied once Plex takes it. A tag edit is never dropped for having failed:
// when the re-send fails too, the rows stay pending and TagEditsPending is thrown, so the caller's run stops
// and the next reconcile (the next batch, pass or start) tries again. So a rating write is never lost (the
// next pass plans it again) nor sent twice (a pending rating row is resolved, not replayed), and a tag edit
// is retried until Plex agrees with ownership.
import { deriveOwnership } from '../../domain/rating/index.js';
import type { JournalEntry } from '../../db/engine-journal-repo.js';
import type { EngineStore } from '../core/engine-store.js';
import type { CurrentItem, ItemKind, RatingWriterPort } from '../core/rating-port.js';
import { sameRating } from '../core/values.js';

export interface ReconcileOutcome {
  applied: number;
  dropped: number;
}

export type Resolution = { status: 'applied' } | { status: 'dropped'; note: string };

/** Tag edits Plex did not take even when sent again; their rows stay pending. */
export class TagEditsPending extends Error {
  constructor(
    readonly count: number,
    cause: unknown,
  ) {
    super(
      `${count} inferred-tag edit${count === 1 ? '' : 's'} still failing (${cause instanceof Error ? cause.message : String(cause)}); ` +
        'they stay journaled and are sent again on the next reconcile',
    );
    this.name = 'TagEditsPending';
  }
}

const isTagRow = (e: Pick<JournalEntry, 'operation'>) => e.operation === 'tag_add' || e.operation === 'tag_remove';

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

/** Whether the item should carry the inferred tag: exactly when it is `inferred` (RATING-MODEL.md). */
export function wantsInferredTag(store: EngineStore, key: string, current: CurrentItem): boolean {
  const claim = store.state.get(key);
  return (
    deriveOwnership({ written: claim?.writtenValue ?? null, optedOut: claim?.optedOut ?? false, current: current.rating }).ownership ===
    'inferred'
  );
}

/** Resolves rating (and state-only) rows against one read of their items; no request. Returns the applied count. */
export function resolveRatingRows(store: EngineStore, entries: readonly JournalEntry[], current: ReadonlyMap<string, CurrentItem>): number {
  const applied: number[] = [];
  const dropped = new Map<string, number[]>();
  for (const entry of entries) {
    if (isTagRow(entry)) continue;
    const resolution = resolveEntry(entry, current.get(entry.itemKey));
    if (resolution.status === 'applied') applied.push(entry.id);
    else dropped.set(resolution.note, [...(dropped.get(resolution.note) ?? []), entry.id]);
  }
  store.journal.markApplied(applied);
  for (const [note, ids] of dropped) store.journal.markDropped(ids, note);
  return applied.length;
}

/**
 * Settles pending tag rows against one read: applies what Plex already agrees with and re-sends the rest
 * (several-id edits per kind). Throws TagEditsPending when a re-send fails.
 */
export async function settleTagRows(
  store: EngineStore,
  port: RatingWriterPort,
  entries: readonly JournalEntry[],
  current: ReadonlyMap<string, CurrentItem>,
): Promise<ReconcileOutcome> {
  const outcome: ReconcileOutcome = { applied: 0, dropped: 0 };
  // Only the newest row per item and tag decides; older ones are superseded by it.
  const newest = new Map<string, JournalEntry>();
  const superseded: number[] = [];
  for (const entry of [...entries].filter(isTagRow).sort((a, b) => a.id - b.id)) {
    const id = `${entry.itemKey}\u0000${entry.tag ?? ''}`;
    const older = newest.get(id);
    if (older) superseded.push(older.id);
    newest.set(id, entry);
  }
  store.journal.markDropped(superseded, 'superseded');
  outcome.dropped += superseded.length;

  const applied: number[] = [];
  const dropped = new Map<string, number[]>();
  const drop = (note: string, id: number) => dropped.set(note, [...(dropped.get(note) ?? []), id]);
  const resend = new Map<string, { kind: ItemKind; operation: 'tag_add' | 'tag_remove'; tag: string; ids: number[]; keys: string[] }>();
  for (const entry of newest.values()) {
    const item = current.get(entry.itemKey);
    const tag = entry.tag ?? '';
    if (!item || tag === '') {
      drop(item ? 'no-tag' : 'deleted', entry.id);
      continue;
    }
    const want = wantsInferredTag(store, entry.itemKey, item);
    const has = item.moods.includes(tag);
    const meant = entry.operation === 'tag_add';
    if (want === has) {
      if (meant === want) applied.push(entry.id);
      else drop('not-wanted', entry.id);
      continue;
    }
    // Plex disagrees with ownership: send the edit ownership asks for (journaled; the old row gives way).
    let id = entry.id;
    const operation = want ? 'tag_add' : 'tag_remove';
    if (meant !== want) {
      drop('superseded', entry.id);
      [id] = store.journal.addPending(entry.runId, [
        { itemKey: entry.itemKey, kind: entry.kind, operation, valueBefore: null, valueAfter: null, tag },
      ]);
    }
    const group = `${entry.kind}\u0000${operation}\u0000${tag}`;
    const edit = resend.get(group) ?? { kind: entry.kind, operation, tag, ids: [], keys: [] };
    edit.ids.push(id);
    edit.keys.push(entry.itemKey);
    resend.set(group, edit);
  }
  store.journal.markApplied(applied);
  for (const [note, ids] of dropped) store.journal.markDropped(ids, note);
  outcome.applied += applied.length;
  for (const ids of dropped.values()) outcome.dropped += ids.length;

  for (const edit of resend.values()) {
    try {
      await port.editMoods(edit.kind, edit.keys, edit.operation === 'tag_add' ? { add: [edit.tag] } : { remove: [edit.tag] });
    } catch (err) {
      throw new TagEditsPending(edit.ids.length, err);
    }
    store.journal.markApplied(edit.ids);
    outcome.applied += edit.ids.length;
  }
  return outcome;
}

/**
 * Reconciles the given pending rows (all pending rows when omitted). Throws if Plex cannot be read, and
 * TagEditsPending if a tag edit that ownership still asks for cannot be sent.
 */
export async function reconcileJournal(
  store: EngineStore,
  port: RatingWriterPort,
  entries: readonly JournalEntry[] = store.journal.pending(),
  chunkSize = 200,
): Promise<ReconcileOutcome> {
  const outcome: ReconcileOutcome = { applied: 0, dropped: 0 };
  // An item's rows stay in one chunk, so its rating rows are resolved before its tag rows are judged.
  const byItem = new Map<string, JournalEntry[]>();
  for (const entry of entries) byItem.set(entry.itemKey, [...(byItem.get(entry.itemKey) ?? []), entry]);
  const keys = [...byItem.keys()];
  for (let i = 0; i < keys.length; i += chunkSize) {
    const chunkKeys = keys.slice(i, i + chunkSize);
    const chunk = chunkKeys.flatMap((k) => byItem.get(k)!);
    const current = await port.readCurrent(chunkKeys);
    const ratingRows = chunk.filter((e) => !isTagRow(e));
    const applied = resolveRatingRows(store, ratingRows, current);
    outcome.applied += applied;
    outcome.dropped += ratingRows.length - applied;
    const tags = await settleTagRows(store, port, chunk.filter(isTagRow), current);
    outcome.applied += tags.applied;
    outcome.dropped += tags.dropped;
  }
  return outcome;
}
