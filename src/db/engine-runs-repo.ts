// Engine runs (table engine_runs): one per full pass, dry run, undo, verify --fix, recover, import, and one
// per applied webhook event, so any of them can be undone on its own.
import type SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { EngineRunTable, RunKind, RunStatus } from './tables/engine.js';

export interface EngineRun {
  id: number;
  kind: RunKind;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  mu: number | null;
  epsilon: number | null;
  writeMode: string | null;
  counts: Record<string, number>;
  eventId: number | null;
  undoesRunId: number | null;
  error: string | null;
  /** The model the run computed with, as recorded (parsed JSON); null when it computed nothing. */
  model: unknown;
}

/** A row as SQLite returns it. */
type RunRow = Selectable<EngineRunTable>;

const toRun = (row: RunRow): EngineRun => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  mu: row.mu,
  epsilon: row.epsilon,
  writeMode: row.write_mode,
  counts: row.counts ? (JSON.parse(row.counts) as Record<string, number>) : {},
  eventId: row.event_id,
  undoesRunId: row.undoes_run_id,
  error: row.error,
  model: row.model ? (JSON.parse(row.model) as unknown) : null,
});

export class EngineRunsRepo {
  constructor(private readonly sqlite: SQLite.Database) {}

  start(kind: RunKind, fields: { eventId?: number | null; undoesRunId?: number | null; now?: number } = {}): number {
    const result = this.sqlite
      .prepare('insert into engine_runs (kind, status, started_at, event_id, undoes_run_id) values (?, ?, ?, ?, ?)')
      .run(kind, 'running', fields.now ?? Date.now(), fields.eventId ?? null, fields.undoesRunId ?? null);
    return Number(result.lastInsertRowid);
  }

  /** Records μ, ε, the model and the write mode as soon as they are known, so a crashed run still shows them. */
  describe(id: number, fields: { mu?: number | null; epsilon?: number | null; writeMode?: string | null; model?: unknown }): void {
    this.sqlite
      .prepare(
        'update engine_runs set mu = coalesce(?, mu), epsilon = coalesce(?, epsilon), write_mode = coalesce(?, write_mode), ' +
          'model = coalesce(?, model) where id = ?',
      )
      .run(
        fields.mu ?? null,
        fields.epsilon ?? null,
        fields.writeMode ?? null,
        fields.model == null ? null : JSON.stringify(fields.model),
        id,
      );
  }

  /** The model of the newest full pass (its fit decides what the live path computes with); null before any. */
  latestFullPassModel(): unknown {
    const row = this.sqlite
      .prepare("select model from engine_runs where kind = 'full' and model is not null order by id desc limit 1")
      .pluck()
      .get() as string | undefined;
    return row ? (JSON.parse(row) as unknown) : null;
  }

  finish(
    id: number,
    status: Exclude<RunStatus, 'running'>,
    counts: Record<string, number>,
    error: string | null = null,
    now = Date.now(),
  ): void {
    this.sqlite
      .prepare('update engine_runs set status = ?, finished_at = ?, counts = ?, error = ? where id = ?')
      .run(status, now, JSON.stringify(counts), error, id);
  }

  get(id: number): EngineRun | null {
    const row = this.sqlite.prepare('select * from engine_runs where id = ?').get(id) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  latest(limit = 20): EngineRun[] {
    return (this.sqlite.prepare('select * from engine_runs order by id desc limit ?').all(limit) as RunRow[]).map(toRun);
  }

  /** Runs a crash left as `running` are marked failed when the next writer starts (dry runs write nothing). */
  failAbandoned(error = 'interrupted', now = Date.now()): number {
    return this.sqlite
      .prepare("update engine_runs set status = 'failed', finished_at = ?, error = ? where status = 'running' and kind != 'dry'")
      .run(now, error).changes;
  }
}
