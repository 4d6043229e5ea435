// Determinism and a (non-timed) sanity check at library scale; timing lives in bench/rating-compute.ts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RATING_PARAMS, buildLibraryIndex, computeAll, type RatingValues } from '../../../src/domain/rating/index.js';
import { syntheticLibrary } from './support/synthetic-library.js';

const sameBits = (a: Map<string, number>, b: Map<string, number>) => {
  expect(a.size).toBe(b.size);
  for (const [key, value] of a) if (!Object.is(b.get(key), value)) throw new Error(`${key}: ${value} ≠ ${b.get(key)}`);
};

describe('determinism', () => {
  it('two passes over the same inputs give the same values, bit for bit', () => {
    const { snapshot, ownership } = syntheticLibrary(20_000, 3);
    const first = computeAll(buildLibraryIndex(snapshot, DEFAULT_RATING_PARAMS), ownership, DEFAULT_RATING_PARAMS);
    const copy = structuredClone({ snapshot, manual: ownership.manual, optedOut: ownership.optedOut });
    const second = computeAll(
      buildLibraryIndex(copy.snapshot, DEFAULT_RATING_PARAMS),
      { manual: copy.manual, optedOut: copy.optedOut },
      DEFAULT_RATING_PARAMS,
    );
    expect(Object.is(first.mu, second.mu)).toBe(true);
    sameBits(first.artists, second.artists);
    sameBits(first.albums, second.albums);
    sameBits(first.tracks, second.tracks);
  });
});

describe('a 300,000-track library', () => {
  it('computes a value in [0, 10] for every item it may write, and none for manual or opted-out tracks', () => {
    const { snapshot, ownership } = syntheticLibrary(300_000, 42);
    const index = buildLibraryIndex(snapshot, DEFAULT_RATING_PARAMS);
    const values: RatingValues = computeAll(index, ownership, DEFAULT_RATING_PARAMS);
    expect(snapshot.tracks).toHaveLength(300_000);
    expect(index.twinClusters.length).toBeGreaterThan(1000);
    const inferable = snapshot.tracks.filter((t) => !ownership.manual.has(t.key) && !ownership.optedOut.has(t.key)).length;
    expect(values.tracks.size).toBe(inferable);
    for (const map of [values.artists, values.albums, values.tracks]) {
      for (const [key, value] of map) {
        if (!(value >= 0 && value <= 10)) throw new Error(`${key}: ${value}`);
        if (ownership.manual.has(key)) throw new Error(`manual ${key} has a computed value`);
      }
    }
    expect(values.artists.has('va')).toBe(false);
  });
});
