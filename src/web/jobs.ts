// Background work started from the admin pages, in this process, with a state the page polls: the rating
// tools (full pass, undo, verify, recover, import) and the playlist generations. One runner, two ways of
// running it:
//   - one at a time (the rating tools): a second start is refused while a job runs, and the last job is
//     kept for the page (with its progress and a cancel button) until the next one starts. The writer's
//     lease still decides who may write to Plex; the live worker waits for it and retries its events.
//   - side by side (generations): each request is its own job, found by its id, and a finished job is kept
//     for a while (the result itself is in history).
// A job's body is a service call (runFullPass, undoWrites, a generation…); what it returns is kept on the
// job for the page.
import { randomBytes } from 'node:crypto';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  done: number;
  total: number;
  /** Items written so far (writers report it). */
  written?: number;
}

export interface JobSnapshot<R = unknown> {
  id: string;
  kind: string;
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
  /** The service's own report (verify's findings, recover's claims, the generation's id, …). */
  result: R | null;
}

export interface JobOutcome<R = unknown> {
  summary?: string;
  runId?: number | null;
  result?: R;
  cancelled?: boolean;
}

export type JobBody<R = unknown> = (signal: AbortSignal, progress: (p: JobProgress) => void) => Promise<JobOutcome<R>>;

export class JobRefused extends Error {
  readonly status: number;
  constructor(message: string, status = 409) {
    super(message);
    this.status = status;
  }
}

export interface JobRunnerOptions<R> {
  /** `one`: a start is refused while a job runs, and only the latest job is kept; `many`: jobs run side by side. */
  concurrency: 'one' | 'many';
  /** `many`: how long a finished job stays findable (default ten minutes). */
  keepMs?: number;
  /** The error as the page shows it (default: its message). */
  describeError?: (err: unknown) => string;
  /** Called once a job has settled (the rating pages drop their cached model). */
  onFinished?: (job: JobSnapshot<R>) => void;
}

const KEEP_MS = 10 * 60_000;

export class JobRunner<R = unknown> {
  private readonly jobs = new Map<string, { job: JobSnapshot<R>; abort: AbortController }>();
  private readonly running = new Set<Promise<void>>();
  private latest: JobSnapshot<R> | null = null;

  constructor(private readonly options: JobRunnerOptions<R>) {}

  /** The latest job (running now, or the last one). */
  current(): JobSnapshot<R> | null {
    return this.latest ? copy(this.latest) : null;
  }

  /** A job by its id, while it is kept. */
  get(id: string): JobSnapshot<R> | null {
    const entry = this.jobs.get(id);
    return entry ? copy(entry.job) : null;
  }

  busy(): boolean {
    for (const { job } of this.jobs.values()) if (job.state === 'running') return true;
    return false;
  }

  /** Starts `body` in the background; `one`: refuses while another job runs. */
  start(kind: string, label: string, body: JobBody<R>): JobSnapshot<R> {
    if (this.options.concurrency === 'one') {
      if (this.busy()) throw new JobRefused(`${this.latest!.label} is still running; wait for it or cancel it first`);
      this.jobs.clear();
    } else this.prune();
    const abort = new AbortController();
    const job: JobSnapshot<R> = {
      id: randomBytes(12).toString('base64url'),
      kind,
      label,
      state: 'running',
      startedAt: Date.now(),
      finishedAt: null,
      progress: null,
      summary: null,
      error: null,
      runId: null,
      result: null,
    };
    this.jobs.set(job.id, { job, abort });
    this.latest = job;
    const settle = (state: JobState, fields: Partial<JobSnapshot<R>>) => {
      Object.assign(job, { state, finishedAt: Date.now(), ...fields });
      this.options.onFinished?.(job);
    };
    const describe = this.options.describeError ?? ((err: unknown) => (err instanceof Error ? err.message : String(err)));
    let started: Promise<JobOutcome<R>>;
    try {
      started = body(abort.signal, (p) => (job.progress = p));
    } catch (err) {
      started = Promise.reject(err);
    }
    const run = started.then(
      (outcome) =>
        settle(outcome.cancelled || abort.signal.aborted ? 'cancelled' : 'done', {
          summary: outcome.summary ?? null,
          runId: outcome.runId ?? null,
          result: outcome.result ?? null,
        }),
      (err: unknown) => settle(abort.signal.aborted ? 'cancelled' : 'failed', { error: describe(err) }),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return copy(job);
  }

  /** Asks every running job to stop after its batch in flight; false when none runs. */
  cancel(): boolean {
    let asked = false;
    for (const { job, abort } of this.jobs.values()) {
      if (job.state !== 'running') continue;
      abort.abort();
      asked = true;
    }
    return asked;
  }

  /** Resolves when every job in flight has settled: tests and shutdown. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private prune(): void {
    const now = Date.now();
    const keep = this.options.keepMs ?? KEEP_MS;
    for (const [id, { job }] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > keep) this.jobs.delete(id);
  }
}

function copy<R>(job: JobSnapshot<R>): JobSnapshot<R> {
  return { ...job, progress: job.progress ? { ...job.progress } : null };
}
