// The smart playlist definitions as Plex queries: each filter in Plex's syntax, with its sort and limit,
// and the same selection in the pool's terms.
import { describe, expect, it } from 'vitest';
import { SMART_PLAYLISTS, plexFilterQuery, smartPlaylist } from '../../../src/domain/playlist/smart-playlists.js';

describe('smart playlist definitions', () => {
  it.each([
    ['four-stars', 'userRating>>=7.9&sort=userRating:desc&limit=500', { minRating: 4 }],
    ['hidden-gems', 'userRating>>=7.9&viewCount=0&sort=userRating:desc&limit=200', { minRating: 4, neverPlayed: true }],
    [
      'rediscover',
      'userRating>>=7.9&lastViewedAt<<=-12mon&sort=lastViewedAt:asc&limit=200',
      { minRating: 4, minPlays: 1, notPlayedMonths: 12 },
    ],
    ['heavy-rotation', 'userRating>>=8.9&sort=viewCount:desc&limit=100', { minRating: 4.5 }],
  ])('%s → %s', (id, query, pool) => {
    const definition = smartPlaylist(id)!;
    expect(plexFilterQuery(definition)).toBe(query);
    expect(definition.pool).toEqual(pool);
  });

  it('has a distinct id and title, words and a description for each', () => {
    expect(new Set(SMART_PLAYLISTS.map((d) => d.id)).size).toBe(SMART_PLAYLISTS.length);
    expect(new Set(SMART_PLAYLISTS.map((d) => d.title)).size).toBe(SMART_PLAYLISTS.length);
    for (const d of SMART_PLAYLISTS) {
      expect(d.id).toMatch(/^[a-z][a-z-]*$/);
      expect(d.words.length).toBeGreaterThan(10);
      expect(d.description.length).toBeGreaterThan(10);
      expect(d.limit).toBeGreaterThan(0);
    }
    expect(smartPlaylist('nope')).toBeUndefined();
  });
});
