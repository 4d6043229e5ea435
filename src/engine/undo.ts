// Undo (RATING-MODEL.md, "Journal, undo"): restore what Plex held before Sagewire's writes — of one run,
// of one webhook event, or of everything — but only where Plex still holds what Sagewire wrote.
//   per item, over the applied rating changes in scope (newest first):
//     Plex must hold the newest change's value after; it gets the oldest change's value before back
//     (cleared when there was none). Anything else is reported and left alone.
// Undo is itself a journaled run (kind `undo`), executed by the same writer (batches, guard, tags).
import type { JournalEntry } from '../db/engine-journal-repo.js';
import type { EngineDeps } from './full-pass.js';
import { withWriterLease } from './full-pass.js';
import type { ItemKind } from './rating-port.js';
import { reconcileJournal } from './reconcile.js';
import { sameRating } from './values.js';
import { RatingWriter, type ItemResult, type WriteIntent } from './writer.js';

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

interface Chain {
  key: string;
  kind: ItemKind;
  newest: JournalEntry;
  oldest: JournalEntry;
  entries: JournalEntry[];
}

export function undoChains(deps: Pick<EngineDeps, 'store'>, scope: UndoScope): Chain[] {
  const { store } = deps;
  let entries = store.journal.undoable(scope);
  if (scope === 'all') {
    // "Everything" means Sagewire's own effect on the library: undo runs are not undone again.
    const undoRuns = new Set(store.sqlite.prepare("select id from engine_runs where kind = 'undo'").pluck().all() as number[]);
    entries = entries.filter((e) => !undoRuns.has(e.runId));
  }
  const chains = new Map<string, Chain>();
  for (const entry of entries) {
    const chain = chains.get(entry.itemKey);
    if (chain) {
      chain.oldest = entry;
      chain.entries.push(entry);
    } else chains.set(entry.itemKey, { key: entry.itemKey, kind: entry.kind, newest: entry, oldest: entry, entries: [entry] });
  }
  return [...chains.values()];
}

function intentFor(chain: Chain): WriteIntent {
  const restore = chain.oldest.valueBefore;
  const personal = chain.newest.operation === 'rate_manual' || chain.oldest.operation === 'rate_manual';
  return {
    key: chain.key,
    kind: chain.kind,
    operation: restore === null ? 'clear' : personal ? 'rate_manual' : 'rate',
    value: restore,
    expected: chain.newest.valueAfter,
    authority: personal ? 'person' : 'model',
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
      const latest = store.journal.latestRatingChange(chain.key);
      const item: UndoItem = { key: chain.key, kind: chain.kind, wrote: chain.newest.valueAfter, restore: chain.oldest.valueBefore, result: 'would-restore' };
      items.set(chain.key, item);
      if (latest && latest.id !== chain.newest.id) item.result = 'rewritten-later';
      else live.push(chain);
    }
    if (dryRun) {
      for (let i = 0; i < live.length; i += deps.writer.batchSize) {
        const batch = live.slice(i, i + deps.writer.batchSize);
        const current = await port.readCurrent(batch.map((c) => c.key), options.signal);
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

    const runId = store.runs.start('undo', { undoesRunId: typeof scope === 'object' && 'runId' in scope ? scope.runId : null, eventId: null });
    const results = new Map<string, ItemResult>();
    const writer = new RatingWriter(store, port, deps.logger, {
      ...deps.writer,
      mode: deps.writer.mode === 'bulk' ? 'bulk' : 'rate',
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
        } else if (result === 'changed' || result === 'takeover' || result === 'opt_out' || result === 'protected') item.result = 'changed-by-person';
        else if (result === 'deleted') item.result = 'deleted';
        else if (result === 'unchanged') {
          item.result = 'unchanged';
          undone.push(...chain.entries.map((e) => e.id));
        } else item.result = 'failed';
      }
      store.journal.markUndone(undone, runId);
      const summary = summarise(runId, false, [...items.values()], outcome.cancelled);
      store.runs.finish(runId, outcome.cancelled ? 'cancelled' : 'done', { restored: summary.restored, leftAlone: summary.leftAlone, written: outcome.written });
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
