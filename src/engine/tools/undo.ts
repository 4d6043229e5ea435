// Undo (RATING-MODEL.md, "Journal, undo"): restore what Plex held before Sagewire's writes — of one run,
// of one webhook event, or of everything — but only where Plex still holds what Sagewire wrote.
//   one run / one event: per item, over the applied rating changes in scope not undone yet (newest
//     first): Plex must hold the newest change's value after; it gets the oldest change's value before back
//     (cleared when there was none). An item a later run wrote again is reported and left alone.
//   everything: per item, over its whole rating history — every applied change by any run, passes, live
//     runs, imports and undo runs alike, undone or not (newest first): Plex must hold the newest value
//     after; it gets back what it held before the oldest change of the unbroken chain ending there. The
//     chain breaks where a change's value before is not the previous change's value after: something else
//     (a person) set the item in between, and that later act is what the item returns to. So the result
//     does not depend on which passes, live runs and earlier undos came between, and a person's later
//     rating is kept (Plex then no longer holds Sagewire's value: reported, left alone).
// Anything else is reported and left alone. Undo is itself a journaled run (kind `undo`), executed by the
// same writer in the same write modes as a pass (several-id edits where the probe confirms them).
import type { JournalEntry } from '../../db/engine-journal-repo.js';
import type { EngineDeps } from '../pass/full-pass.js';
import { withWriterLease } from '../pass/full-pass.js';
import type { ItemKind } from '../core/rating-port.js';
import { reconcileJournal } from '../writer/reconcile.js';
import { sameRating } from '../core/values.js';
import { RatingWriter, type ItemResult, type WriteIntent } from '../writer/writer.js';

export type UndoScope = { runId: number } | { eventId: number } | 'all';

export interface UndoItem {
  key: string;
  kind: ItemKind;
  /** What Sagewire wrote last (Plex must still hold it). */
  wrote: number | null;
  /** What the item gets back. */
  restore: number | null;
  /** Plex's value when checked (dry run) — or null when not read. */
  current?: number | null;
  result: 'restored' | 'would-restore' | 'changed-by-person' | 'rewritten-later' | 'deleted' | 'failed' | 'unchanged';
}

export interface UndoResult {
  runId: number | null;
  dryRun: boolean;
  items: UndoItem[];
  restored: number;
  leftAlone: number;
  cancelled: boolean;
}

export interface Chain {
  key: string;
  kind: ItemKind;
  /** The newest change in scope: Plex must still hold its value after. */
  newest: JournalEntry;
  /** What the item gets back. */
  restore: number | null;
  /** A person's value is restored or replaced (an import): the write passes only the expected-value check. */
  personal: boolean;
  /** The rows marked undone once the item is restored. */
  entries: JournalEntry[];
}

export function undoChains(deps: Pick<EngineDeps, 'store'>, scope: UndoScope): Chain[] {
  return scope === 'all' ? wholeHistoryChains(deps.store) : scopedChains(deps.store, scope);
}

function scopedChains(store: EngineDeps['store'], scope: Exclude<UndoScope, 'all'>): Chain[] {
  const byItem = new Map<string, JournalEntry[]>();
  for (const entry of store.journal.undoable(scope)) byItem.set(entry.itemKey, [...(byItem.get(entry.itemKey) ?? []), entry]);
  return [...byItem.values()].map((entries) => ({
    key: entries[0].itemKey,
    kind: entries[0].kind,
    newest: entries[0],
    restore: entries[entries.length - 1].valueBefore,
    personal: entries.some((e) => e.operation === 'rate_manual'),
    entries,
  }));
}

function wholeHistoryChains(store: EngineDeps['store']): Chain[] {
  const byItem = new Map<string, JournalEntry[]>();
  for (const entry of store.journal.ratingHistory()) byItem.set(entry.itemKey, [...(byItem.get(entry.itemKey) ?? []), entry]);
  const chains: Chain[] = [];
  for (const history of byItem.values()) {
    let length = 1;
    while (length < history.length && sameRating(history[length].valueAfter, history[length - 1].valueBefore)) length += 1;
    const unbroken = history.slice(0, length);
    const restore = unbroken[length - 1].valueBefore;
    // Plex already holds what it held before (an earlier undo): nothing left to undo.
    if (sameRating(history[0].valueAfter, restore)) continue;
    chains.push({
      key: history[0].itemKey,
      kind: history[0].kind,
      newest: history[0],
      restore,
      personal: unbroken.some((e) => e.operation === 'rate_manual'),
      entries: history.filter((e) => e.undoneByRunId === null),
    });
  }
  return chains;
}

function intentFor(chain: Chain): WriteIntent {
  return {
    key: chain.key,
    kind: chain.kind,
    operation: chain.restore === null ? 'clear' : chain.personal ? 'rate_manual' : 'rate',
    value: chain.restore,
    expected: chain.newest.valueAfter,
    authority: chain.personal ? 'person' : 'model',
  };
}

export async function undoWrites(
  deps: EngineDeps,
  scope: UndoScope,
  options: { dryRun?: boolean; signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void } = {},
): Promise<UndoResult> {
  const { store, port } = deps;
  const run = (dryRun: boolean) => async (): Promise<UndoResult> => {
    if (!dryRun) await reconcileJournal(store, port);
    const chains = undoChains(deps, scope);
    const items = new Map<string, UndoItem>();
    const live: Chain[] = [];
    for (const chain of chains) {
      const latest = scope === 'all' ? null : store.journal.latestRatingChange(chain.key);
      const item: UndoItem = {
        key: chain.key,
        kind: chain.kind,
        wrote: chain.newest.valueAfter,
        restore: chain.restore,
        result: 'would-restore',
      };
      items.set(chain.key, item);
      if (latest && latest.id !== chain.newest.id) item.result = 'rewritten-later';
      else live.push(chain);
    }
    if (dryRun) {
      for (let i = 0; i < live.length; i += deps.writer.batchSize) {
        const batch = live.slice(i, i + deps.writer.batchSize);
        const current = await port.readCurrent(
          batch.map((c) => c.key),
          options.signal,
        );
        for (const chain of batch) {
          const item = items.get(chain.key)!;
          const now = current.get(chain.key);
          item.current = now?.rating ?? null;
          if (!now) item.result = 'deleted';
          else if (!sameRating(now.rating, chain.newest.valueAfter)) item.result = 'changed-by-person';
        }
      }
      return summarise(null, true, [...items.values()], false);
    }

    const runId = store.runs.start('undo', {
      undoesRunId: typeof scope === 'object' && 'runId' in scope ? scope.runId : null,
      eventId: null,
    });
    const results = new Map<string, ItemResult>();
    const writer = new RatingWriter(store, port, deps.logger, {
      ...deps.writer,
      mode: deps.writer.mode,
      inferredTag: deps.inferredTag,
      signal: options.signal,
      onProgress: options.onProgress,
      onItem: (key, result) => results.set(key, result),
    });
    try {
      const outcome = await writer.execute(runId, live.map(intentFor));
      const undone: number[] = [];
      for (const chain of live) {
        const item = items.get(chain.key)!;
        const result = results.get(chain.key);
        if (result === 'written') {
          item.result = 'restored';
          undone.push(...chain.entries.map((e) => e.id));
        } else if (result === 'changed' || result === 'takeover' || result === 'opt_out' || result === 'protected')
          item.result = 'changed-by-person';
        else if (result === 'deleted') item.result = 'deleted';
        else if (result === 'unchanged') {
          item.result = 'unchanged';
          undone.push(...chain.entries.map((e) => e.id));
        } else item.result = 'failed';
      }
      store.journal.markUndone(undone, runId);
      const summary = summarise(runId, false, [...items.values()], outcome.cancelled);
      store.runs.finish(runId, outcome.cancelled ? 'cancelled' : 'done', {
        restored: summary.restored,
        leftAlone: summary.leftAlone,
        written: outcome.written,
      });
      return summary;
    } catch (err) {
      store.runs.finish(runId, 'failed', {}, err instanceof Error ? err.message : String(err));
      throw err;
    }
  };
  return options.dryRun ? run(true)() : withWriterLease(store, run(false));
}

function summarise(runId: number | null, dryRun: boolean, items: UndoItem[], cancelled: boolean): UndoResult {
  const restored = items.filter((i) => i.result === 'restored' || i.result === 'would-restore' || i.result === 'unchanged').length;
  return { runId, dryRun, items, restored, leftAlone: items.length - restored, cancelled };
}
