// Typo-tolerant track search for the seed flow: misspelt, transposed and missing letters still find the
// track; every query word counts (title, artist or album); a common word among thousands of tracks still
// answers with the closest matches; nothing for an empty query.
import { describe, expect, it } from 'vitest';
import { TrackSearch } from '../../../src/web/services/playlist-search.js';

function pool(rows: Array<[string, string, string]>) {
  return {
    size: rows.length,
    keys: rows.map((_, i) => String(i + 1)),
    titles: rows.map((r) => r[0]),
    artists: rows.map((r) => r[1]),
    albums: rows.map((r) => r[2]),
    years: new Int16Array(rows.length),
    thumbs: rows.map(() => null),
  } as never;
}

describe('TrackSearch', () => {
  const s = new TrackSearch(
    pool([
      ['Wonderwall', 'Oasis', 'Morning Glory'],
      ['Live Forever', 'Oasis', 'Definitely Maybe'],
      ['Champagne Supernova', 'Oasis', 'Morning Glory'],
      ['Teardrop', 'Massive Attack', 'Mezzanine'],
      ['Angel', 'Massive Attack', 'Mezzanine'],
      ['Jóga', 'Björk', 'Homogenic'],
    ]),
  );

  it.each([
    ['two letters swapped', 'wodnerwall', '1'],
    ['a missing letter', 'forevr', '2'],
    ['title and artist, one misspelt', 'champagen oasis', '3'],
    ['album words find its tracks', 'mezzanine teardrop', '4'],
    ['diacritics folded', 'bjork joga', '6'],
    ['a prefix', 'angel mass', '5'],
  ])('%s: "%s" → track %s first', (_name, query, key) => {
    expect(s.search(query)[0].ratingKey).toBe(key);
  });

  it('answers with the track fields and honours the limit; nothing for an empty query', () => {
    expect(s.search('oasis', 2)).toHaveLength(2);
    expect(s.search('teardrop')[0]).toEqual({
      ratingKey: '4',
      title: 'Teardrop',
      artist: 'Massive Attack',
      album: 'Mezzanine',
      year: null,
      thumb: null,
    });
    expect(s.search('   ')).toEqual([]);
  });

  it('a word in thousands of tracks: the closest titles still come first', () => {
    const rows: Array<[string, string, string]> = Array.from({ length: 20_000 }, (_, i) => [
      `Love Song ${i}`,
      `Band ${i % 300}`,
      `Album ${i % 2000}`,
    ]);
    rows.push(['Love', 'Solo', 'Single']);
    const big = new TrackSearch(pool(rows));
    expect(big.search('love', 5)[0].title).toBe('Love');
    expect(big.search('love song 12345', 3)[0].title).toBe('Love Song 12345');
  });
});
