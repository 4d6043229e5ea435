// Sonic neighbours joining a seed pool: first, nearest first, even outside the hard filters; live versions
// and excluded keys still out; caps still hold.
import { describe, expect, it } from 'vitest';
import type { PoolTrack, RankSpec } from '../../../src/domain/playlist/index.js';
import type { Pool } from '../../../src/playlists/pool-query.js';
import { withSonicNeighbours } from '../../../src/playlists/sonic-pool.js';

const track = (key: string, artist = `Artist ${key}`, extra: Partial<PoolTrack> = {}): PoolTrack => ({
  ratingKey: key,
  title: `Song ${key}`,
  artist,
  artistKey: `a${artist}`,
  album: `Album ${key}`,
  albumKey: `al${key}`,
  year: 1990,
  durationMs: 200_000,
  rating: null,
  tags: { genres: [], styles: [], moods: [] },
  live: false,
  thumb: null,
  ...extra,
});

const rank: RankSpec = { genres: [], styles: [], moods: [], artists: [], year: 1990, seed: 1 };
const poolOf = (tracks: PoolTrack[]): Pool => ({
  tracks,
  ranked: tracks.map((t, i) => ({ track: t, score: 10 - i })),
  matching: tracks.length,
});

describe('withSonicNeighbours', () => {
  const base = poolOf([track('1'), track('2'), track('3'), track('4')]);

  it.each<[string, PoolTrack[], { excludeLive?: boolean; excludeKeys?: string[] }, string[], number]>([
    ['no neighbours: the pool as it was', [], {}, ['1', '2', '3', '4'], 4],
    [
      'neighbours first, nearest first, outside the era too',
      [track('9', 'A', { year: 1960 }), track('3')],
      {},
      ['9', '3', '1', '2', '4'],
      5,
    ],
    [
      'a live neighbour stays out when live is excluded',
      [track('8', 'B', { live: true }), track('7')],
      { excludeLive: true },
      ['7', '1', '2', '3', '4'],
      5,
    ],
    ['an excluded key stays out', [track('7'), track('6')], { excludeKeys: ['7'] }, ['6', '1', '2', '3', '4'], 5],
  ])('%s', (_name, neighbours, filters, order, matching) => {
    const out = withSonicNeighbours(base, neighbours, { filters, rank, size: 10 });
    expect(out.tracks.map((t) => t.ratingKey)).toEqual(order);
    expect(out.ranked.map((r) => r.track.ratingKey)).toEqual(order);
    expect(out.matching).toBe(matching);
    for (let i = 1; i < out.ranked.length; i++) expect(out.ranked[i - 1].score).toBeGreaterThan(out.ranked[i].score);
  });

  it('keeps the per-artist cap over neighbours of one artist', () => {
    const same = Array.from({ length: 6 }, (_, i) => track(`n${i}`, 'Same'));
    const out = withSonicNeighbours(base, same, { filters: {}, rank, size: 10 });
    expect(out.tracks.filter((t) => t.artist === 'Same')).toHaveLength(2);
    expect(out.ranked.slice(0, 6).map((r) => r.track.artist)).toEqual(Array(6).fill('Same'));
  });
});
