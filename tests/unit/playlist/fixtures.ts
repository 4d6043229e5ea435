// Small PoolTrack builder for the pure playlist tests.
import type { PoolTrack } from '../../../src/domain/playlist/index.js';

let next = 1;
export function track(over: Partial<Omit<PoolTrack, 'tags'>> & { tags?: Partial<PoolTrack['tags']> } = {}): PoolTrack {
  const key = over.ratingKey ?? String(next++);
  return {
    ratingKey: key,
    title: `Song ${key}`,
    artist: 'Artist',
    artistKey: 'a1',
    album: 'Album',
    albumKey: `al-${key}`,
    year: 1995,
    durationMs: 200_000,
    rating: null,
    live: false,
    thumb: null,
    ...over,
    tags: { genres: [], styles: [], moods: [], ...over.tags },
  };
}
