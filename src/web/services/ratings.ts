// The rating pages' services, built once by the composition root (src/app/web.ts) over the EngineAccess:
// the cached model (explorer, reports), the search index, background jobs and actions, run history, dead-lettered
// events and opted-out items, and the CSV imports waiting for a "apply" click.
import { randomBytes } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { VersionedCache } from '../../db/data-versions.js';
import type { EngineRun } from '../../db/engine-runs-repo.js';
import type { RatingParams } from '../../domain/rating/index.js';
import { checkImportCsv, type ImportCheck } from '../../engine/tools/csv-ratings.js';
import { createEngineStore, type EngineStore } from '../../engine/core/engine-store.js';
import { itemView, type ItemView } from '../read-models/explain.js';
import type { EngineDeps } from '../../engine/pass/full-pass.js';
import { RatingActions } from './rating-actions.js';
import { JobRunner } from '../jobs.js';
import { UndoableCounts } from '../read-models/runs.js';
import { ratingModelCache, type RatingModel, type RatingModelCache } from '../read-models/ui-model.js';
import { ReportsCache, type ReportsView } from '../read-models/reports.js';
import { SearchIndex } from '../read-models/search.js';

/** What the rating pages need from the running engine; app.ts builds it. */
export interface EngineAccess {
  sqlite: SQLite.Database;
  /** The engine's dependencies once live propagation has started; null before (or without Plex). */
  deps(): EngineDeps | null;
  /** The model parameters in effect. */
  params(): RatingParams;
  /** Tells the inbox worker to look for work now (after a retry). */
  wakeWorker(): void;
  /** The live engine's model, kept current event by event; null until live propagation runs. */
  liveModel?(): RatingModel | null;
}

export interface RunRow extends EngineRun {
  /** Applied rating changes of this run that undo would restore. */
  undoable: number;
}

export interface PendingImport {
  id: string;
  name: string;
  text: string;
  check: ImportCheck;
  at: number;
}

export interface RatingsUi {
  access: EngineAccess;
  store: EngineStore;
  model: RatingModelCache;
  jobs: JobRunner;
  actions: RatingActions;
  search(): Promise<SearchIndex>;
  item(key: string): ItemView | null;
  reports(): Promise<ReportsView>;
  runs(limit?: number): RunRow[];
  /** Stores a checked CSV until the person applies it (one at a time; the newest wins). */
  /** Starts building the search index and the reports in the background (after start). */
  warm(): void;
  stageImport(name: string, text: string): PendingImport;
  pendingImport(id: string): PendingImport | null;
  dropImport(): void;
}

export function ratingsUi(access: EngineAccess): RatingsUi {
  const store = createEngineStore(access.sqlite);
  const model = ratingModelCache(access.sqlite, access.params, () => access.liveModel?.() ?? null);
  const jobs = new JobRunner({ concurrency: 'one', onFinished: () => model.catchUp() });
  const actions = new RatingActions(jobs, access.deps);
  // The titles change only with the library (a sync, new items), not with every rating. A new index is
  // built in the background; until it is ready the previous one answers (only the very first search waits).
  let ready: { promise: Promise<SearchIndex>; index: SearchIndex } | null = null;
  const searchIndex = new VersionedCache(access.sqlite, ['library'], () => {
    const promise = SearchIndex.build(model.get().index.snapshot);
    promise.then(
      (index) => (ready = { promise, index }),
      () => undefined,
    );
    return promise;
  });
  let staged: PendingImport | null = null;
  const undoable = new UndoableCounts(access.sqlite, store.journal);
  const reports = new ReportsCache();

  return {
    access,
    store,
    model,
    jobs,
    actions,
    async search() {
      const latest = searchIndex.get();
      return ready ? ready.index : latest;
    },
    warm() {
      const failed = () => undefined; // a failure here shows (and is retried) on the page that needs it
      void this.search().catch(failed);
      void reports.get(model.get()).catch(failed);
    },
    item: (key) => itemView(model.get(), access.sqlite, key),
    reports: () => reports.get(model.get()),
    runs(limit = 25) {
      const runs = store.runs.latest(limit);
      if (runs.length === 0) return [];
      const counts = undoable.of(runs);
      return runs.map((run) => ({ ...run, undoable: counts.get(run.id) ?? 0 }));
    },
    stageImport(name, text) {
      staged = { id: randomBytes(12).toString('base64url'), name, text, check: checkImportCsv({ store }, text), at: Date.now() };
      return staged;
    },
    pendingImport: (id) => (staged && staged.id === id ? staged : null),
    dropImport() {
      staged = null;
    },
  };
}

export type { RatingModel };
