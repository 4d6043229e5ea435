// The rating model as the admin pages read it: the library index, who owns each rating, and the values a
// full pass computes now. While serve runs live propagation it is the engine's own model, kept current event
// by event (viewOfLiveModel), so no page rebuilds anything after a rating. Otherwise (no Plex yet, the engine
// starting) it is built here — O(library), about a second on 300,000 tracks — and kept until the library
// or ratings version moves (db/data-versions.ts: a sync, a run's writes, an opt-in, an undo, a webhook's
// read of a changed rating; in this process or another).
//   ownership per item: deriveOwnership(claim, cached rating) — the same rule the full pass uses
//   fit    = the newest full pass's fit (engine/core/model-fit.ts); values = computeAll(…, terms of the fit)
import type SQLite from 'better-sqlite3';
import { VersionedCache } from '../../db/data-versions.js';
import type { ItemClaim } from '../../db/engine-state-repo.js';
import {
  buildLibraryIndex,
  computeAll,
  deriveOwnership,
  epsilonFor,
  type LibraryIndex,
  type ModelFit,
  type ModelTerms,
  modelTerms,
  type Ownership,
  type OwnershipView,
  type RatingParams,
  type RatingValues,
} from '../../domain/rating/index.js';
import { createEngineStore } from '../../engine/core/engine-store.js';
import { currentModelFit } from '../../engine/core/model-fit.js';
import { loadCachedLibrary } from '../../library/snapshot.js';
import type { LiveModel } from '../../engine/live/live-model.js';

export interface RatingModel {
  index: LibraryIndex;
  params: RatingParams;
  /** Plex's rating per rated item, as cached. */
  current: Map<string, number>;
  claims: Map<string, ItemClaim>;
  ownership: OwnershipView;
  values: RatingValues;
  /** The fitted model the values come from, and its terms. */
  fit: ModelFit;
  terms: ModelTerms;
  epsilon: number;
  builtAt: number;
  buildMs: number;
  ownershipOf(key: string): Ownership;
}

export interface RatingModelCache {
  /** The model for the cache as it is now (rebuilt when a data version moved). */
  get(): RatingModel;
  /**
   * Something the pages did changed ratings (the versions moved with it): the live model catches up now
   * rather than on the next page view.
   */
  catchUp(): void;
  /** Builds now if needed (at start, so the first page view is fast). */
  warm(): void;
}

/**
 * `live`: the running engine's model when there is one (serve with live propagation). It is kept current
 * event by event, so the pages read it instead of building their own after every rating (seconds on
 * 300,000 tracks, with the event loop blocked). Without it (no Plex yet, the engine still starting), the
 * cache's own model below.
 */
export function ratingModelCache(
  sqlite: SQLite.Database,
  params: () => RatingParams,
  live: () => RatingModel | null = () => null,
): RatingModelCache {
  const own = new VersionedCache(sqlite, ['library', 'ratings'], () => buildRatingModel(sqlite, params()));
  const get = (): RatingModel => {
    const current = live();
    if (current) {
      own.drop(); // not kept while the engine's is there
      return current;
    }
    return own.get();
  };
  return {
    get,
    catchUp: () => {
      setImmediate(() => {
        try {
          live();
        } catch {
          // shown by the page that needs the model
        }
      });
    },
    warm: () => void get(),
  };
}

const views = new WeakMap<LiveModel, { version: number; view: RatingModel }>();

/**
 * The engine's live model seen as the pages' model (no copy: it is read as it is). The same view object
 * while the model has not changed, so what is derived from it (the reports) is computed once per change.
 */
export function viewOfLiveModel(m: LiveModel): RatingModel {
  const known = views.get(m);
  if (known && known.version === m.version) return known.view;
  const view: RatingModel = {
    index: m.index,
    params: m.params,
    current: m.current,
    claims: m.claims,
    ownership: m.ownership,
    values: m.values,
    fit: m.fit,
    terms: m.terms,
    epsilon: m.epsilon,
    builtAt: m.builtAt,
    buildMs: 0,
    ownershipOf: (key) => m.ownershipOf(key),
  };
  views.set(m, { version: m.version, view });
  return view;
}

export function buildRatingModel(sqlite: SQLite.Database, params: RatingParams): RatingModel {
  const started = performance.now();
  const { snapshot, current } = loadCachedLibrary(sqlite);
  const store = createEngineStore(sqlite);
  const claims = store.state.loadAll();
  const manual = new Map<string, number>();
  const optedOut = new Set<string>();
  const inferred = new Set<string>();
  const judge = (key: string) => {
    const claim = claims.get(key);
    const { ownership } = deriveOwnership({
      written: claim?.writtenValue ?? null,
      optedOut: claim?.optedOut ?? false,
      current: current.get(key) ?? null,
    });
    if (ownership === 'manual') manual.set(key, current.get(key)!);
    else if (ownership === 'opted_out') optedOut.add(key);
    else if (ownership === 'inferred') inferred.add(key);
  };
  for (const key of current.keys()) judge(key);
  for (const key of claims.keys()) if (!current.has(key)) judge(key);
  const index = buildLibraryIndex(snapshot, params);
  const ownership: OwnershipView = { manual, optedOut };
  const fit = currentModelFit(store, index, ownership, params);
  const terms = modelTerms(index, fit.constants);
  const values = computeAll(index, ownership, params, terms);
  return {
    index,
    params,
    current,
    claims,
    ownership,
    values,
    fit,
    terms,
    epsilon: epsilonFor(snapshot.tracks.length, params.precision),
    builtAt: Date.now(),
    buildMs: performance.now() - started,
    ownershipOf: (key) => (manual.has(key) ? 'manual' : optedOut.has(key) ? 'opted_out' : inferred.has(key) ? 'inferred' : 'unrated'),
  };
}
