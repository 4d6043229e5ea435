// Typo-tolerant track search: misspelt, transposed and missing letters still find the track.
import { it, expect } from 'vitest';
import { TrackSearch } from '../../../src/web/services/playlist-search.js';
it('typos', () => {
  const idx = { size: 3, keys: ['1','2','3'], titles: ['Wonderwall', 'Live Forever', 'Champagne Supernova'], artists: ['Oasis','Oasis','Oasis'], albums: ['Morning Glory','Definitely Maybe','Morning Glory'], years: new Int16Array(3), thumbs: [null,null,null] } as never;
  const s = new TrackSearch(idx);
  expect(s.search('wodnerwall')[0].ratingKey).toBe('1');
  expect(s.search('champagen oasis')[0].ratingKey).toBe('3');
  expect(s.search('forevr')[0].ratingKey).toBe('2');
});
