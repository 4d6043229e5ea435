// How many rating changes of each run undo would restore — the Undo buttons of the run history. Counting a
// full pass's journal rows takes ~100 ms at 300,000 tracks, so the count of a finished run is kept while
// the ratings version stands: a finished run's count moves only when its rows are applied late (reconcile)
// or marked undone, and both move that version.
import type { EngineJournalRepo } from '../../db/engine-journal-repo.js';
import { VersionedCache, type VersionReader } from '../../db/data-versions.js';

export class UndoableCounts {
  private readonly kept: VersionedCache<Map<number, number>>;

  constructor(
    sqlite: VersionReader,
    private readonly journal: EngineJournalRepo,
  ) {
    this.kept = new VersionedCache(sqlite, ['ratings'], () => new Map<number, number>());
  }

  /** Undoable rating changes per run id, for the given runs. */
  of(runs: ReadonlyArray<{ id: number; status: string }>): Map<number, number> {
    const kept = this.kept.get();
    const missing = runs.filter((r) => !kept.has(r.id)).map((r) => r.id);
    const counted = this.journal.undoableCounts(missing);
    const finished = new Set(runs.filter((r) => r.status !== 'running').map((r) => r.id));
    for (const [id, n] of counted) if (finished.has(id)) kept.set(id, n);
    return new Map(runs.map((r) => [r.id, kept.get(r.id) ?? counted.get(r.id) ?? 0]));
  }
}
