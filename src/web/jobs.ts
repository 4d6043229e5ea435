// Background rating work started from the admin pages (full pass, undo, verify, recover, import): one job
// at a time, in this process, with live progress for the page to poll and a cancel button. The writer's
// lease still decides who may write to Plex; the live worker waits for it and retries its events.
// A job's body is an engine service (runFullPass, undoWrites, …); what it returns is kept for the page
// until the next job starts.
import type { EngineDeps } from '../engine/pass/full-pass.js';

export type JobKind = 'dry-run' | 'full-pass' | 'undo' | 'verify' | 'recover' | 'import';
export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  done: number;
  total: number;
  /** Items written so far (writers report it). */
  written?: number;
}

export interface JobSnapshot {
  id: number;
  kind: JobKind;
  label: string;
  state: JobState;
  startedAt: number;
  finishedAt: number | null;
  progress: JobProgress | null;
  /** One sentence on what the job did. */
  summary: string | null;
  error: string | null;
  /** The engine run the job created, when there is one. */
  runId: number | null;
  /** The service's own report (verify's findings, recover's claims, …). */
  result: unknown;
}

export interface JobOutcome {
  summary: string;
  runId?: number | null;
  result?: unknown;
  cancelled?: boolean;
}

export type JobBody = (deps: EngineDeps, signal: AbortSignal, progress: (p: JobProgress) => void) => Promise<JobOutcome>;

export class JobRefused extends Error {
  readonly status: number;
  constructor(message: string, status = 409) {
    super(message);
    this.status = status;
  }
}

export class RatingJobs {
  private job: JobSnapshot | null = null;
  private abort: AbortController | null = null;
  private running: Promise<void> | null = null;
  private nextId = 1;

  constructor(
    private readonly engine: () => EngineDeps | null,
    private readonly onFinished: (job: JobSnapshot) => void = () => {},
  ) {}

  /** The job running now, or the last one. */
  current(): JobSnapshot | null {
    return this.job ? { ...this.job, progress: this.job.progress ? { ...this.job.progress } : null } : null;
  }

  busy(): boolean {
    return this.job?.state === 'running';
  }

  /** Starts `body` in the background; refuses while another job runs or the engine is not up. */
  start(kind: JobKind, label: string, body: JobBody): JobSnapshot {
    if (this.busy()) throw new JobRefused(`${this.job!.label} is still running; wait for it or cancel it first`);
    const deps = this.engine();
    if (!deps) throw new JobRefused('The rating engine is not running yet (Plex not configured, or still starting); try again in a moment', 503);
    const abort = new AbortController();
    const job: JobSnapshot = {
      id: this.nextId++, kind, label, state: 'running', startedAt: Date.now(), finishedAt: null, progress: null, summary: null, error: null, runId: null, result: null,
    };
    this.job = job;
    this.abort = abort;
    const settle = (state: JobState, fields: Partial<JobSnapshot>) => {
      Object.assign(job, { state, finishedAt: Date.now(), ...fields });
      this.abort = null;
      this.onFinished(job);
    };
    this.running = body(deps, abort.signal, (p) => (job.progress = p))
      .then((outcome) => settle(outcome.cancelled || abort.signal.aborted ? 'cancelled' : 'done', { summary: outcome.summary, runId: outcome.runId ?? null, result: outcome.result ?? null }))
      .catch((err: unknown) => settle(abort.signal.aborted ? 'cancelled' : 'failed', { error: err instanceof Error ? err.message : String(err) }));
    return this.current()!;
  }

  /** Asks the running job to stop after the batch in flight. */
  cancel(): boolean {
    if (!this.busy() || !this.abort) return false;
    this.abort.abort();
    return true;
  }

  /** Resolves when the running job (if any) has settled: tests and shutdown. */
  async settled(): Promise<void> {
    await this.running;
  }
}
