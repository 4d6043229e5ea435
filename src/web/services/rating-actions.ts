// The rating tools of the admin pages as background jobs: each is one engine service (full pass, undo,
// verify, recover, import) run one at a time through the job runner, with a one-sentence summary for the page. The dry run's
// plan is kept (StoredPlan) so the page can show it, filter it and download it before it is applied.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importRatingsCsv } from '../../engine/tools/csv-ratings.js';
import { runFullPass, type EngineDeps } from '../../engine/pass/full-pass.js';
import { recoverState } from '../../engine/tools/recover.js';
import { JobRefused, type JobOutcome, type JobProgress, type JobRunner, type JobSnapshot } from '../jobs.js';
import { StoredPlan } from '../read-models/plan.js';
import { undoChains, undoWrites, type UndoScope } from '../../engine/tools/undo.js';
import { verifyState } from '../../engine/tools/verify.js';

export type RatingJobKind = 'dry-run' | 'full-pass' | 'undo' | 'verify' | 'recover' | 'import';

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export interface RecoverRequest {
  fromTags: boolean;
  fromFractional: boolean;
  /** The text of an uploaded plex_state.json. */
  stateFile: Buffer | null;
  dryRun: boolean;
}

export class RatingActions {
  /** The last dry run's plan (in this process; a restart forgets it). */
  plan: StoredPlan | null = null;

  constructor(
    readonly jobs: JobRunner,
    private readonly engine: () => EngineDeps | null,
  ) {}

  /** Starts one tool; refused while another runs (the runner says so) or while the engine is not up. */
  private run(
    kind: RatingJobKind,
    label: string,
    body: (deps: EngineDeps, signal: AbortSignal, progress: (p: JobProgress) => void) => Promise<JobOutcome>,
  ): JobSnapshot {
    const deps = this.engine();
    if (!deps && !this.jobs.busy())
      throw new JobRefused('The rating engine is not running yet (Plex not configured, or still starting); try again in a moment', 503);
    return this.jobs.start(kind, label, (signal, progress) => body(deps!, signal, progress));
  }

  dryRun(): JobSnapshot {
    return this.run('dry-run', 'Dry run', async (deps) => {
      const result = await runFullPass(deps, { dryRun: true });
      this.plan = new StoredPlan(result.runId, Date.now(), result.plan);
      const p = result.plan;
      return {
        runId: result.runId,
        summary:
          `The plan has ${plural(p.writes.length, 'change')} (${plural(p.driftSkipped, 'item')} within ε left alone, ` +
          `${plural(p.takeovers.length, 'takeover')}, ${plural(p.optOuts.length, 'opt-out')}). Nothing was written.`,
      };
    });
  }

  fullPass(): JobSnapshot {
    return this.run('full-pass', 'Full pass', async (deps, signal, progress) => {
      const result = await runFullPass(deps, { signal, onProgress: (p) => progress({ done: p.done, total: p.total, written: p.written }) });
      const o = result.outcome;
      return {
        runId: result.runId,
        cancelled: result.status === 'cancelled',
        summary:
          `Run ${result.runId}: ${plural(o?.written ?? 0, 'rating')} written of ${plural(result.plan.writes.length, 'planned change')}` +
          `${result.status === 'cancelled' ? ' before it was cancelled' : ''}; ` +
          `${plural(o?.takeovers ?? 0, 'takeover')} and ${plural(o?.optOuts ?? 0, 'opt-out')} recorded.`,
      };
    });
  }

  /** How many items an undo would touch (journal only, no Plex request). */
  undoSize(deps: EngineDeps, scope: UndoScope): number {
    return undoChains(deps, scope).length;
  }

  undo(scope: UndoScope, label: string): JobSnapshot {
    return this.run('undo', label, async (deps, signal, progress) => {
      const result = await undoWrites(deps, scope, { signal, onProgress: (p) => progress({ done: p.done, total: p.total }) });
      return {
        runId: result.runId,
        cancelled: result.cancelled,
        result: { items: result.items.filter((i) => i.result !== 'restored' && i.result !== 'unchanged').slice(0, 200) },
        summary:
          `${plural(result.restored, 'item')} got their previous value back; ` +
          `${plural(result.leftAlone, 'item')} left alone (changed by you since, rewritten later, or deleted).`,
      };
    });
  }

  verify(fix: boolean): JobSnapshot {
    return this.run('verify', fix ? 'Verify and fix' : 'Verify', async (deps, signal, progress) => {
      const report = await verifyState(deps, { fix, signal, onProgress: progress });
      const problems = report.problems.length;
      return {
        runId: report.fixRunId,
        result: {
          ...report,
          problems: report.problems.slice(0, 200),
          targetMoved: report.targetMoved.slice(0, 50),
          problemCount: problems,
        },
        summary:
          `Checked ${plural(report.checked, 'item')}: ${plural(report.counts.in_sync, 'item')} in sync, ` +
          `${plural(problems, 'problem')}${fix ? `, ${report.fixed.toLocaleString('en-US')} fixed` : ''}; ` +
          `${plural(report.counts.target_moved, 'target')} moved by ε or more.`,
      };
    });
  }

  recover(request: RecoverRequest): JobSnapshot {
    return this.run('recover', request.dryRun ? 'Recover (preview)' : 'Recover', async (deps, signal) => {
      let dir: string | null = null;
      let stateFile: string | undefined;
      if (request.stateFile) {
        dir = mkdtempSync(join(tmpdir(), 'sagewire-recover-'));
        stateFile = join(dir, 'plex_state.json');
        writeFileSync(stateFile, request.stateFile);
      }
      try {
        const report = await recoverState(
          deps,
          { fromTags: request.fromTags, fromFractional: request.fromFractional, stateFile },
          { dryRun: request.dryRun, signal },
        );
        const skipped = Object.values(report.skipped).reduce((a, b) => a + b, 0);
        return {
          runId: report.runId,
          result: { ...report, claimed: report.claimed.slice(0, 200), claimedCount: report.claimed.length },
          summary:
            `${plural(report.candidates, 'candidate')}: ${plural(report.claimed.length, 'item')} ` +
            `${request.dryRun ? 'would be' : 'were'} claimed as Sagewire's, ${plural(skipped, 'item')} skipped.`,
        };
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  importCsv(text: string, applyValid: boolean): JobSnapshot {
    return this.run('import', 'CSV import', async (deps, signal) => {
      const result = await importRatingsCsv(deps, text, { applyValid, signal });
      return {
        runId: result.runId,
        result: { ...result, skipped: result.skipped.slice(0, 200) },
        summary: result.applied
          ? `${plural(result.written, 'rating')} written, ${plural(result.unchanged, 'row')} already as asked, ` +
            `${plural(result.skipped.length, 'row')} skipped` +
            `${result.problems.length ? `, ${plural(result.problems.length, 'invalid row')} not applied` : ''}.`
          : `Nothing applied: ${plural(result.problems.length, 'invalid row')}.`,
      };
    });
  }
}
