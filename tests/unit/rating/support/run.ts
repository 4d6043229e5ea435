import {
  DEFAULT_RATING_PARAMS,
  buildLibraryIndex,
  computeAll,
  ratingParamsFromOverrides,
  type OwnershipView,
  type RatingValues,
} from '../../../../src/domain/rating/index.js';
import type { LibraryBuilder } from './library-builder.js';

/** Full pass over a hand-built library; `value(key)` looks in every kind (undefined = no value). */
export function run(lib: LibraryBuilder, ownership: OwnershipView, overrides: Record<string, string> = {}) {
  const params = ratingParamsFromOverrides(overrides, DEFAULT_RATING_PARAMS);
  const index = buildLibraryIndex(lib.snapshot, params);
  const values: RatingValues = computeAll(index, ownership, params);
  const value = (key: string): number | undefined => values.artists.get(key) ?? values.albums.get(key) ?? values.tracks.get(key);
  return { params, index, values, value };
}
