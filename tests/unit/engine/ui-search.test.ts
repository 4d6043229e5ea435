// The explorer's search: exact, prefix and typo matches, every query word required when any entry has
// them all, the kind filter, and the order of a common word's many matches (artists, then albums, then
// tracks; shorter titles first), picked by counting rather than by sorting every match.
import { describe, expect, it } from 'vitest';
import type { LibrarySnapshot } from '../../../src/domain/rating/index.js';
import { withinEdits } from '../../../src/domain/search/word-index.js';
import { SearchIndex } from '../../../src/web/read-models/search.js';

function library(): LibrarySnapshot {
  const artists = [
    { key: 'a1', title: 'The Beatles' },
    { key: 'a2', title: 'Björk' },
    { key: 'a3', title: 'Massive Attack' },
  ];
  const albums = [
    { key: 'b1', artistKey: 'a1', title: 'Abbey Road', criticRating: null, isLive: false },
    { key: 'b2', artistKey: 'a2', title: 'Homogenic', criticRating: null, isLive: false },
    { key: 'b3', artistKey: 'a3', title: 'Mezzanine', criticRating: null, isLive: false },
    { key: 'b4', artistKey: 'a3', title: 'The Best Of', criticRating: null, isLive: false },
  ];
  const tracks = [
    { key: 't1', albumKey: 'b1', artistKey: 'a1', title: 'Come Together', trackArtist: 'The Beatles', durationMs: 259_000 },
    { key: 't2', albumKey: 'b1', artistKey: 'a1', title: 'Here Comes the Sun', trackArtist: 'The Beatles', durationMs: 185_000 },
    { key: 't3', albumKey: 'b2', artistKey: 'a2', title: 'Jóga', trackArtist: 'Björk', durationMs: 305_000 },
    { key: 't4', albumKey: 'b3', artistKey: 'a3', title: 'Teardrop', trackArtist: 'Massive Attack', durationMs: 330_000 },
    { key: 't5', albumKey: 'b3', artistKey: 'a3', title: 'Angel', trackArtist: 'Massive Attack', durationMs: 379_000 },
  ];
  return { artists, albums, tracks };
}

describe('SearchIndex', () => {
  const index = new SearchIndex(library());
  const keys = (q: string, limit?: number, kind?: 'artist' | 'album' | 'track') => index.search(q, limit, kind).map((h) => h.key);

  it.each([
    ['exact word', 'teardrop', 't4'],
    ['prefix', 'mezz', 'b3'],
    ['one typo', 'teardorp', 't4'],
    ['diacritics folded', 'bjork', 'a2'],
    ['two typos in a long word', 'homogennic', 'b2'],
    ['title and artist together', 'angel massive', 't5'],
  ])('%s: %s finds %s first', (_name, query, first) => {
    expect(keys(query)[0]).toBe(first);
  });

  it('requires every word when some entry has them all', () => {
    expect(keys('sun beatles')).toEqual(['t2']);
  });

  it('filters by kind', () => {
    expect(keys('massive', 30, 'track').sort()).toEqual(['t4', 't5']);
    expect(keys('massive', 30, 'artist')).toEqual(['a3']);
  });

  it('returns nothing for an empty query and honours the limit', () => {
    expect(keys('  ')).toEqual([]);
    expect(keys('the', 2)).toHaveLength(2);
  });

  it('a word in thousands of entries: the best few hundred (every artist, then the shortest album titles)', () => {
    const artists = Array.from({ length: 50 }, (_, i) => ({ key: `a${i}`, title: `The Band ${'x'.repeat(i % 7)}` }));
    const albums = Array.from({ length: 400 }, (_, i) => ({
      key: `b${i}`,
      artistKey: `a${i % 50}`,
      title: `The Album ${i}`,
      criticRating: null,
      isLive: false,
    }));
    const tracks = Array.from({ length: 5000 }, (_, i) => ({
      key: `t${i}`,
      albumKey: `b${i % 400}`,
      artistKey: `a${i % 50}`,
      title: i % 3 === 0 ? `The Song ${i}` : `Song ${i}`,
      trackArtist: `The Band ${'x'.repeat(i % 7)}`,
      durationMs: 200_000,
    }));
    const big = new SearchIndex({ artists, albums, tracks });
    const hits = big.search('the', 400);
    expect(hits).toHaveLength(300); // the candidates handed to the final ranking
    // Every artist matches exactly, so all 50 are among them; the rest are the shortest album titles.
    expect(hits.filter((h) => h.kind === 'artist')).toHaveLength(50);
    const albumsIn = hits.filter((h) => h.kind === 'album').map((h) => h.title.length);
    expect(albumsIn).toHaveLength(250);
    expect(Math.max(...albumsIn)).toBeLessThanOrEqual(
      Math.min(
        ...albums
          .map((a) => a.title.length)
          .filter((l) => !albumsIn.includes(l))
          .concat(99),
      ),
    );
    // A second search starts from clean scratch space.
    expect(big.search('song 43', 5)[0].title).toBe('Song 43');
  });
});

describe('SearchIndex.build (in slices)', () => {
  it('gives the same answers as the index built at once', async () => {
    const tracks = Array.from({ length: 60_000 }, (_, i) => ({
      key: `t${i}`,
      albumKey: `b${i % 900}`,
      artistKey: `a${i % 90}`,
      title: `Song ${i} ${['Blue', 'Night', 'Ocean'][i % 3]}`,
      trackArtist: `Band ${i % 90}`,
      durationMs: 200_000,
    }));
    const albums = Array.from({ length: 900 }, (_, i) => ({
      key: `b${i}`,
      artistKey: `a${i % 90}`,
      title: `Album ${i}`,
      criticRating: null,
      isLive: false,
    }));
    const artists = Array.from({ length: 90 }, (_, i) => ({ key: `a${i}`, title: `Band ${i}` }));
    const snapshot = { artists, albums, tracks };
    const sliced = await SearchIndex.build(snapshot);
    const whole = new SearchIndex(snapshot);
    expect(sliced.size).toBe(whole.size);
    for (const q of ['ocean', 'nigth', 'song 4242', 'band 7', 'album 12 band']) expect(sliced.search(q), q).toEqual(whole.search(q));
  });
});

describe('withinEdits', () => {
  it.each([
    ['kitten', 'sitten', 1, true],
    ['teardrop', 'teardorp', 1, true], // a swap is one edit
    ['abc', 'xyz', 2, false],
    ['homogenic', 'homogennic', 1, true],
    ['massive', 'passivel', 1, false],
  ])('%s ~ %s within %i: %s', (a, b, max, expected) => {
    expect(withinEdits(a, b, max)).toBe(expected);
  });
});
