// The offline picker's choice against its own fill, by the pool's one ranking. Where the filtered library
// has too few artists for the usual caps (two per artist for 25 tracks), the picker used to walk far down
// the ranking for tracks the caps allowed, and the fill then lifted the caps anyway and added better-ranked
// tracks, marked as filler. The caps are now lifted before anyone picks: the picker fills the list itself,
// and nothing the fill adds ranks above a pick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capsFor, favouredSet, selectDiverse, type RankedTrack } from '../../../src/domain/playlist/index.js';
import type { Pool } from '../../../src/playlists/pool-query.js';
import { startHarness, type Harness } from './support/harness.js';

describe('offline picks against the fill', () => {
  let h: Harness;
  /** The ranking of the last pool built (the one the generation used). */
  let lastRanked: RankedTrack[] = [];
  beforeAll(async () => {
    h = await startHarness({ tracks: 5000, seed: 7 });
    const build = h.pool.build.bind(h.pool);
    h.pool.build = (request): Pool => {
      const pool = build(request);
      lastRanked = pool.ranked;
      return pool;
    };
  });
  afterAll(async () => {
    await h?.close();
  });

  it.each([
    ['jazz for a rainy day', 25],
    ['jazz for a rainy day', 50],
    ['acoustic folk from the seventies', 10],
    ['acoustic folk from the seventies', 25],
  ] as const)('"%s", %i tracks: the picks fill the list and no filled track ranks above a pick', async (prompt, count) => {
    const result = await h.service.generate({ prompt, count, provider: 'offline', maxTracks: 300, variety: 1 });
    const ranked = lastRanked;
    // The situation: under the usual caps the ranked pool cannot fill the list.
    expect(selectDiverse(ranked, count, capsFor(count, 0.3), favouredSet({ artists: [] })).length).toBeLessThan(count);

    const score = new Map(ranked.map((r) => [r.track.ratingKey, r.score]));
    const picks = result.tracks.filter((t) => !t.filled).map((t) => score.get(t.ratingKey)!);
    const fills = result.tracks.filter((t) => t.filled).map((t) => score.get(t.ratingKey)!);
    expect(result.tracks).toHaveLength(count);
    expect(fills.length === 0 || Math.max(...fills) <= Math.min(...picks)).toBe(true);
    expect(result.stats.filled).toBe(0);
  });
});
