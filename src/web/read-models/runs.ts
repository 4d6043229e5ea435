// How many rating changes of each run undo would restore — the Undo buttons of the run history. Counting a
// full pass's journal rows takes ~100 ms at 300,000 tracks, so the count of a finished run is kept: it
// changes only when an undo run marks its rows undone, and then every kept count is dropped.
import type SQLite from 'better-sqlite3';

export class UndoableCounts {
  private readonly kept = new Map<number, number>();
  private marker = '';
  private readonly markerQuery: SQLite.Statement;

  constructor(private readonly sqlite: SQLite.Database) {
    this.markerQuery = sqlite.prepare("select coalesce(max(id), 0) || ':' || coalesce((select status from engine_runs where kind = 'undo' order by id desc limit 1), '') from engine_runs where kind = 'undo'").pluck();
  }

  /** Undoable rating changes per run id, for the given runs. */
  of(runs: ReadonlyArray<{ id: number; status: string }>): Map<number, number> {
    const marker = String(this.markerQuery.get());
    if (marker !== this.marker || marker.endsWith(':running')) {
      this.kept.clear();
      this.marker = marker;
    }
    const missing = runs.filter((r) => !this.kept.has(r.id)).map((r) => r.id);
    if (missing.length > 0) {
      const counted = new Map<number, number>(missing.map((id) => [id, 0]));
      const rows = this.sqlite
        .prepare(
          `select run_id, count(*) as n from write_journal where run_id in (${missing.map(() => '?').join(', ')}) and status = 'applied'
             and undone_by_run_id is null and operation in ('rate', 'rate_manual', 'clear') group by run_id`,
        )
        .all(...missing) as Array<{ run_id: number; n: number }>;
      for (const row of rows) counted.set(row.run_id, row.n);
      const finished = new Set(runs.filter((r) => r.status !== 'running').map((r) => r.id));
      for (const [id, n] of counted) if (finished.has(id)) this.kept.set(id, n);
      return new Map(runs.map((r) => [r.id, this.kept.get(r.id) ?? counted.get(r.id) ?? 0]));
    }
    return new Map(runs.map((r) => [r.id, this.kept.get(r.id) ?? 0]));
  }
}
