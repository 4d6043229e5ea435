// Verify (RATING-MODEL.md, "Journal, undo, verify, recover"): compare Sagewire's state with Plex, item by item.
//   state wrote s:   gone → deleted · c absent → cleared · |c − s| ≥ 0.05 → taken over · else in sync
//                    (in sync without the inferred tag → tag missing)
//   state opted out: c present → rated after opt-out · gone → deleted
//   no state, tagged → stray tag
//   and, from the plan over the cache, inferred items whose target moved by ε or more.
// --fix hands every finding to the writer as an ownership check (run kind `verify-fix`): takeovers are
// adopted, clears become opt-outs, deleted items are forgotten, tags follow ownership. Moved targets are
// left to `infer` (that is a write, not a repair).
import type { EngineDeps } from '../pass/full-pass.js';
import { planFullPass, withWriterLease } from '../pass/full-pass.js';
import { cachedKindsOf, moodTaggedKeys } from '../../db/library-snapshot-reads.js';
import type { ItemKind } from '../core/rating-port.js';
import { reconcileJournal } from '../writer/reconcile.js';
import { sameRating } from '../core/values.js';
import { RatingWriter, type WriteIntent } from '../writer/writer.js';

export type VerifyFinding =
  | 'in_sync'
  | 'taken_over'
  | 'cleared'
  | 'deleted'
  | 'tag_missing'
  | 'tag_stray'
  | 'rated_after_opt_out'
  | 'opted_out';

export interface VerifyItem {
  key: string;
  kind: ItemKind;
  finding: VerifyFinding;
  written: number | null;
  current: number | null;
}

export interface VerifyReport {
  checked: number;
  counts: Record<VerifyFinding | 'target_moved', number>;
  /** Every finding other than in sync / opted out. */
  problems: VerifyItem[];
  targetMoved: Array<{ key: string; kind: ItemKind; current: number | null; target: number }>;
  fixRunId: number | null;
  fixed: number;
}

export async function verifyState(
  deps: EngineDeps,
  options: { fix?: boolean; signal?: AbortSignal; onProgress?: (p: { done: number; total: number }) => void } = {},
): Promise<VerifyReport> {
  const { store, port, inferredTag } = deps;
  const claims = store.state.loadAll();
  const tagged = inferredTag ? moodTaggedKeys(store.sqlite, inferredTag) : [];
  const cachedKinds = cachedKindsOf(
    store.sqlite,
    tagged.filter((key) => !claims.has(key)),
  );
  const keys = [...new Set([...claims.keys(), ...tagged])];
  const counts: VerifyReport['counts'] = {
    in_sync: 0,
    taken_over: 0,
    cleared: 0,
    deleted: 0,
    tag_missing: 0,
    tag_stray: 0,
    rated_after_opt_out: 0,
    opted_out: 0,
    target_moved: 0,
  };
  const problems: VerifyItem[] = [];
  const batch = deps.writer.batchSize;
  for (let i = 0; i < keys.length; i += batch) {
    const chunk = keys.slice(i, i + batch);
    const current = await port.readCurrent(chunk, options.signal);
    for (const key of chunk) {
      const claim = claims.get(key);
      const now = current.get(key);
      const kind = claim?.kind ?? now?.kind ?? cachedKinds.get(key) ?? 'track';
      const rating = now?.rating ?? null;
      const hasTag = inferredTag !== '' && (now?.moods.includes(inferredTag) ?? false);
      let finding: VerifyFinding;
      if (!now) finding = 'deleted';
      else if (!claim) finding = hasTag ? 'tag_stray' : 'in_sync';
      else if (claim.optedOut) finding = rating !== null ? 'rated_after_opt_out' : hasTag ? 'tag_stray' : 'opted_out';
      else if (rating === null) finding = 'cleared';
      else if (!sameRating(rating, claim.writtenValue)) finding = 'taken_over';
      else finding = inferredTag && !hasTag ? 'tag_missing' : 'in_sync';
      counts[finding] += 1;
      if (finding !== 'in_sync' && finding !== 'opted_out')
        problems.push({ key, kind, finding, written: claim?.writtenValue ?? null, current: rating });
    }
    options.onProgress?.({ done: Math.min(i + batch, keys.length), total: keys.length });
  }

  const plan = planFullPass(store, deps.params, '');
  const targetMoved = plan.writes
    .filter((w) => w.reason === 'moved' && claims.get(w.key)?.writtenValue != null)
    .map((w) => ({ key: w.key, kind: w.kind, current: w.previous, target: w.value }));
  counts.target_moved = targetMoved.length;

  let fixRunId: number | null = null;
  let fixed = 0;
  if (options.fix && problems.length > 0) {
    await withWriterLease(store, async () => {
      await reconcileJournal(store, port);
      fixRunId = store.runs.start('verify-fix');
      const writer = new RatingWriter(store, port, deps.logger, { ...deps.writer, mode: 'rate', inferredTag, signal: options.signal });
      const intents: WriteIntent[] = problems.map((p) => ({
        key: p.key,
        kind: p.kind,
        operation: 'check',
        value: null,
        expected: p.current,
        authority: 'model',
      }));
      try {
        const outcome = await writer.execute(fixRunId, intents);
        fixed =
          outcome.takeovers + outcome.optOuts + outcome.deleted + outcome.tagsAdded + outcome.tagsRemoved + counts.rated_after_opt_out;
        store.runs.finish(fixRunId, outcome.cancelled ? 'cancelled' : 'done', {
          fixed,
          takeovers: outcome.takeovers,
          optOuts: outcome.optOuts,
          deleted: outcome.deleted,
          tagsAdded: outcome.tagsAdded,
          tagsRemoved: outcome.tagsRemoved,
        });
      } catch (err) {
        store.runs.finish(fixRunId, 'failed', {}, err instanceof Error ? err.message : String(err));
        throw err;
      }
    });
  }
  return { checked: keys.length, counts, problems, targetMoved, fixRunId, fixed };
}
