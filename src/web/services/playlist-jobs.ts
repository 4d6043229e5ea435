// Generations started from the UI run in the background; the page polls the job until it is done and
// then opens the review. In memory only (the result itself is in history); a finished job is kept for
// ten minutes. One job per request; several may run at once.
import { randomBytes } from 'node:crypto';
import type { GenerateInput, GenerationResult } from '../../playlists/index.js';

export type JobState = 'running' | 'done' | 'failed';

export interface PlaylistJob {
  id: string;
  state: JobState;
  startedAt: number;
  finishedAt: number | null;
  /** What the person asked for, in words ("25 tracks with OpenAI"). */
  label: string;
  generationId: number | null;
  error: string | null;
}

const KEEP_MS = 10 * 60_000;

export class PlaylistJobs {
  private readonly jobs = new Map<string, PlaylistJob>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly generate: (input: GenerateInput) => Promise<GenerationResult>,
    private readonly describeError: (err: unknown) => string,
  ) {}

  /** `after` runs once the generation is recorded (the UI adds its earlier analysis call). */
  start(input: GenerateInput, label: string, after?: (result: GenerationResult) => Promise<void>): PlaylistJob {
    this.prune();
    const job: PlaylistJob = { id: randomBytes(12).toString('base64url'), state: 'running', startedAt: Date.now(), finishedAt: null, label, generationId: null, error: null };
    this.jobs.set(job.id, job);
    const run = this.generate(input).then(async (result) => { await after?.(result); return result; }).then(
      (result) => Object.assign(job, { state: 'done', generationId: result.id, finishedAt: Date.now() }),
      (err: unknown) => Object.assign(job, { state: 'failed', error: this.describeError(err), finishedAt: Date.now() }),
    );
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return job;
  }

  get(id: string): PlaylistJob | null {
    return this.jobs.get(id) ?? null;
  }

  /** Resolves when every job in flight has finished (shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && now - job.finishedAt > KEEP_MS) this.jobs.delete(id);
  }
}
