// One coalesced group's writes as one journaled engine run: `engine_runs.kind = 'event'`, `event_id` = the
// group's newest event, and every event of the group records the run's id in the inbox (`run_id`), so the
// UI can undo one event (its run) and show what it did. Same writer, same ε rule, same ownership guard as
// the full pass. Whatever happens, the model re-reads the touched items from the journal's write-through.
import { modelSummary } from '../core/model-fit.js';
import type { Logger } from '../../log.js';
import type { EngineStore } from '../core/engine-store.js';
import { intentsOf } from '../pass/full-pass.js';
import type { LiveModel, ScopePlan } from './live-model.js';
import type { RatingWriter, WriteIntent, WriteOutcome } from '../writer/writer.js';

export interface GroupRun {
  runId: number | null;
  outcome: WriteOutcome | null;
  planned: number;
  driftSkipped: number;
}

export class RunCancelled extends Error {
  constructor(readonly runId: number) {
    super(`stopped before run ${runId} finished its writes; the event will be applied again`);
    this.name = 'RunCancelled';
  }
}

export interface RunContext {
  store: EngineStore;
  writer: RatingWriter;
  logger: Logger;
  dryRun: boolean;
}

/** Some of a run's writes were not taken by Plex; the run is kept (its applied writes stay journaled). */
export class WritesFailed extends Error {
  constructor(
    readonly runId: number,
    readonly count: number,
  ) {
    super(`${count} write${count === 1 ? '' : 's'} of run ${runId} did not reach Plex; the event will be applied again`);
  }
}

export function planCountsOf(scope: ScopePlan): Record<string, number> {
  return {
    recomputed: scope.recomputed,
    planned: scope.plan.writes.length,
    new: scope.plan.writes.filter((w) => w.reason === 'new').length,
    moved: scope.plan.writes.filter((w) => w.reason === 'moved').length,
    driftSkipped: scope.plan.driftSkipped,
    takeovers: scope.takeovers.length,
    optOuts: scope.optOuts.length,
    protected: scope.plan.protectedItems,
  };
}

/**
 * A person's rating Sagewire overwrote in a race, to write back before the scope's plan (journaled with
 * the note `restore-person`); `optOut`: the person had cleared an inferred value, so the item is opted out.
 */
export interface PersonRestore {
  intent: WriteIntent;
  optOut: boolean;
}

/**
 * Sends a scope's plan (writes + ownership checks) as one run linked to `eventId`, after writing back any
 * person's ratings to restore (the plan was computed as if Plex held them). No intents: no run.
 */
export async function executeScopePlan(
  ctx: RunContext,
  model: LiveModel,
  scope: ScopePlan,
  eventId: number,
  restores: readonly PersonRestore[] = [],
): Promise<GroupRun> {
  const base = { planned: scope.plan.writes.length, driftSkipped: scope.plan.driftSkipped };
  const intents = intentsOf({ writes: scope.plan.writes, takeovers: scope.takeovers, optOuts: scope.optOuts });
  if ((intents.length === 0 && restores.length === 0) || ctx.dryRun) return { runId: null, outcome: null, ...base };

  const { store } = ctx;
  const runId = store.runs.start('event', { eventId });
  store.runs.describe(runId, { mu: model.mu, epsilon: model.epsilon, model: modelSummary(model.fit) });
  const counts = { ...planCountsOf(scope), ...(restores.length > 0 ? { restores: restores.length } : {}) };
  try {
    // The restores go first and alone: the plan's ownership checks then find the person's value in Plex
    // (and take the inferred tag off), instead of Sagewire's value they replace.
    const restored =
      restores.length > 0
        ? await ctx.writer.execute(
            runId,
            restores.map((r) => r.intent),
          )
        : null;
    if (restored) recordRestoredOptOuts(store, runId, restores);
    const planned = restored?.cancelled ? restored : await ctx.writer.execute(runId, intents);
    const outcome = restored && planned !== restored ? addOutcomes(restored, planned) : planned;
    const { mode: _mode, cancelled: _cancelled, ...written } = outcome;
    store.runs.describe(runId, { writeMode: outcome.mode });
    store.runs.finish(runId, outcome.cancelled ? 'cancelled' : 'done', { ...counts, ...written });
    if (outcome.cancelled) throw new RunCancelled(runId);
    // A write Plex did not take (read back as not applied) leaves the subtree behind: fail the event so
    // the worker retries it; the retry recomputes and sends only what Plex still lacks.
    if (outcome.failed > 0) throw new WritesFailed(runId, outcome.failed);
    return { runId, outcome, ...base };
  } catch (err) {
    if (!(err instanceof RunCancelled) && !(err instanceof WritesFailed))
      store.runs.finish(runId, 'failed', counts, err instanceof Error ? err.message : String(err));
    throw err;
  } finally {
    model.refreshFromStore([...restores.map((r) => r.intent.key), ...intents.map((i) => i.key)]);
  }
}

/** A restored clear of an inferred value is the person's opt-out: recorded once Plex took the clear. */
function recordRestoredOptOuts(store: EngineStore, runId: number, restores: readonly PersonRestore[]): void {
  const optOut = new Map(restores.filter((r) => r.optOut).map((r) => [r.intent.key, r.intent]));
  if (optOut.size === 0) return;
  const cleared = store.journal.forRun(runId).filter((e) => e.status === 'applied' && e.operation === 'clear' && optOut.has(e.itemKey));
  if (cleared.length === 0) return;
  store.journal.record(
    runId,
    cleared.map((e) => ({
      itemKey: e.itemKey,
      kind: e.kind,
      operation: 'opt_out' as const,
      valueBefore: e.valueBefore,
      valueAfter: null,
      note: 'restore-person',
    })),
  );
}

function addOutcomes(a: WriteOutcome, b: WriteOutcome): WriteOutcome {
  const sum = { ...b };
  for (const key of Object.keys(a) as Array<keyof WriteOutcome>) {
    if (typeof a[key] === 'number') (sum[key] as number) = (a[key] as number) + (b[key] as number);
  }
  sum.cancelled = a.cancelled || b.cancelled;
  return sum;
}
