// The yardstick: a full pass computed from scratch over the simulator's library (not Sagewire's cache) and the
// person's ratings, compared with what Plex (the simulator) holds now.
//   manual items:   Plex holds exactly the person's rating (nothing the person rated is ever overwritten)
//   opted-out:      Plex holds nothing
//   every other item with a value v: a full pass would not write it — Plex holds c with
//                   decideWrite(v, c, ε) = skip (`strict` keys), or |c − v| ≤ ε + 0.05 + slack (others: items
//                   outside the recomputed subtrees keep values computed with an older μ until a full pass)
// The constants are those of the engine's newest full pass (its fit, recorded on the run): between full
// passes the live path computes with exactly those, so the yardstick does too.
import type SQLite from 'better-sqlite3';
import {
  buildLibraryIndex,
  classicConstants,
  computeAll,
  decideWrite,
  epsilonFor,
  modelTerms,
  ratingParamsFromOverrides,
  type LibrarySnapshot,
  type ModelConstants,
} from '../../../../src/domain/rating/index.js';
import { createEngineStore } from '../../../../src/engine/core/engine-store.js';
import { isModelFit } from '../../../../src/engine/core/model-fit.js';
import type { RunningSimulator } from '../../../../src/sim/index.js';
import { modelSnapshotOf } from '../../../support/sim-snapshot.js';

export function simSnapshot(sim: RunningSimulator): LibrarySnapshot {
  return modelSnapshotOf(sim.state);
}

/** The constants of the newest full pass recorded in Sagewire's database (classic before any). */
export function engineConstants(db: SQLite.Database): ModelConstants {
  const model = createEngineStore(db).runs.latestFullPassModel();
  return isModelFit(model) ? model.constants : classicConstants(3);
}

export interface CheckOptions {
  /** Sagewire's database: the constants of its newest full pass are the yardstick's. */
  db: SQLite.Database;
  /** Keys held to the exact write rule; 'all' for every item (after a full pass). */
  strict: ReadonlySet<string> | 'all';
  /** Extra tolerance for the other items (μ drift since they were computed). */
  slack?: number;
}

/** Returns the disagreements (empty when Plex holds what a full pass from scratch would write). */
export function disagreements(
  sim: RunningSimulator,
  person: ReadonlyMap<string, number>,
  optedOut: ReadonlySet<string>,
  options: CheckOptions,
): string[] {
  const snapshot = simSnapshot(sim);
  const params = ratingParamsFromOverrides({});
  const index = buildLibraryIndex(snapshot, params);
  const values = computeAll(index, { manual: person, optedOut }, params, modelTerms(index, engineConstants(options.db)));
  const epsilon = epsilonFor(snapshot.tracks.length, params.precision);
  const problems: string[] = [];
  for (const [key, rating] of person) {
    const held = sim.state.getRating(key);
    if (held !== rating) problems.push(`manual ${key}: person rated ${rating}, Plex holds ${held}`);
  }
  for (const key of optedOut) {
    if (sim.state.getRating(key) !== undefined && !person.has(key)) problems.push(`opted-out ${key} holds ${sim.state.getRating(key)}`);
  }
  for (const map of [values.artists, values.albums, values.tracks]) {
    for (const [key, v] of map) {
      if (person.has(key) || optedOut.has(key)) continue;
      const c = sim.state.getRating(key) ?? null;
      const strict = options.strict === 'all' || options.strict.has(key);
      if (c === null) problems.push(`${key}: no rating, full pass would write ${v.toFixed(3)}`);
      else if (strict && decideWrite(v, c, epsilon).write)
        problems.push(`${key}: holds ${c}, full pass would write ${v.toFixed(3)} (ε ${epsilon})`);
      else if (!strict && Math.abs(c - v) > epsilon + 0.05 + (options.slack ?? 0) + 1e-9)
        problems.push(`${key}: holds ${c}, full pass computes ${v.toFixed(3)}`);
    }
  }
  return problems;
}

/** Keys of an artist's subtree: the artist, its albums and their tracks. */
export function subtreeKeys(sim: RunningSimulator, artistKey: string): Set<string> {
  const keys = new Set([artistKey]);
  for (const album of sim.state.albumsByArtist.get(artistKey) ?? []) {
    keys.add(album.ratingKey);
    for (const track of sim.state.tracksByAlbum.get(album.ratingKey) ?? []) keys.add(track.ratingKey);
  }
  return keys;
}

/** Sagewire only ever writes values off the whole-point grid, and the person only whole points: a journaled
 *  write whose "before" is a whole point replaced a rating Sagewire did not write. */
export function overwrittenManualRatings(sqlite: SQLite.Database): number {
  return sqlite
    .prepare(
      "select count(*) from write_journal where operation = 'rate' and status = 'applied' and value_before is not null " +
        'and abs(value_before - round(value_before)) < 0.001',
    )
    .pluck()
    .get() as number;
}
