// Album recommendations, pure parts: aggregation of a pool index per album, familiarity ranking, the
// taste profile, reading replies and recovering from wrong ids, names, duplicates and short answers.
import { describe, expect, it } from 'vitest';
import { keyHash } from '../../../src/domain/playlist/index.js';
import {
  acceptAlbumPicks,
  acceptDiscovery,
  albumKey,
  albumLine,
  fillAlbums,
  offlinePitch,
  rankAlbums,
  readAlbumPicks,
  readDiscovery,
  readQuestions,
  tasteProfile,
  type AlbumSummary,
  type ChosenAlbum,
  type DiscoverySuggestion,
  type Familiarity,
} from '../../../src/domain/recommend/index.js';
import { norm } from '../../../src/domain/rating/text-match.js';
import { aggregateAlbums } from '../../../src/playlists/album-pool.js';
import { ratingStanding } from '../../../src/domain/recommend/rank.js';
import type { PoolIndex } from '../../../src/playlists/pool-index.js';

const NOW = 1_800_000_000;
const MONTH = 30.44 * 24 * 3600;

interface T {
  key: string;
  album: string;
  albumKey: string;
  artist: string;
  rating?: number;
  inferred?: boolean;
  plays?: number;
  skips?: number;
  last?: number;
  year?: number;
  tags?: [kind: 'genre' | 'style' | 'mood', tag: string][];
}

/** A pool index over a handful of tracks, laid out as loadPoolIndex lays it out. */
function indexOf(tracks: T[]): PoolIndex {
  const tagId = new Map<string, number>();
  const tagNames: string[] = [];
  const kinds: number[] = [];
  const ids: number[] = [];
  const tagStart = new Uint32Array(tracks.length + 1);
  tracks.forEach((t, i) => {
    tagStart[i] = ids.length;
    for (const [kind, tag] of t.tags ?? []) {
      const k = `${kind}\u0000${tag.toLowerCase()}`;
      if (!tagId.has(k)) {
        tagId.set(k, tagNames.length);
        tagNames.push(tag);
        kinds.push({ genre: 0, style: 1, mood: 2 }[kind]);
      }
      ids.push(tagId.get(k)!);
    }
  });
  tagStart[tracks.length] = ids.length;
  return {
    size: tracks.length,
    keys: tracks.map((t) => t.key),
    keyHashes: Uint32Array.from(tracks, (t) => keyHash(t.key)),
    titles: tracks.map((t) => `Song ${t.key}`),
    artists: tracks.map((t) => t.artist),
    artistNorms: tracks.map((t) => norm(t.artist)),
    albumArtistNorms: tracks.map((t) => norm(t.artist)),
    artistKeys: tracks.map((t) => `a-${t.artist}`),
    albums: tracks.map((t) => t.album),
    albumKeys: tracks.map((t) => t.albumKey),
    years: Int16Array.from(tracks, (t) => t.year ?? 0),
    durations: Int32Array.from(tracks, () => 200_000),
    ratings: Float32Array.from(tracks, (t) => t.rating ?? Number.NaN),
    live: new Uint8Array(tracks.length),
    inferred: Uint8Array.from(tracks, (t) => (t.inferred ? 1 : 0)),
    thumbs: tracks.map((t) => `/library/metadata/${t.albumKey}/thumb/1`),
    plays: Uint32Array.from(tracks, (t) => t.plays ?? 0),
    skips: Uint32Array.from(tracks, (t) => t.skips ?? 0),
    lastPlayed: Float64Array.from(tracks, (t) => t.last ?? 0),
    position: new Map(tracks.map((t, i) => [t.key, i])),
    tagStart,
    tagIds: Uint32Array.from(ids),
    tagNames,
    tagKinds: Uint8Array.from(kinds),
    tagId,
  };
}

const album = (over: Partial<AlbumSummary> & { ratingKey: string }): AlbumSummary => ({
  title: `Album ${over.ratingKey}`,
  artist: `Artist ${over.ratingKey}`,
  year: 1995,
  tracks: 10,
  rating: 7,
  rated: 10,
  inferred: 0,
  plays: 10,
  skips: 0,
  lastPlayed: NOW - 2 * MONTH,
  fit: 0,
  favoured: false,
  tags: { genres: ['Rock'], styles: [], moods: [] },
  thumb: null,
  ...over,
});

describe('aggregateAlbums', () => {
  const tracks: T[] = [
    {
      key: '1',
      album: 'Warm',
      albumKey: '100',
      artist: 'Ana',
      rating: 8,
      plays: 3,
      last: NOW - 10,
      year: 1994,
      tags: [
        ['mood', 'Warm'],
        ['genre', 'Jazz'],
      ],
    },
    {
      key: '2',
      album: 'Warm',
      albumKey: '100',
      artist: 'Ana',
      rating: 6,
      inferred: true,
      plays: 1,
      skips: 2,
      last: NOW - 99,
      year: 1994,
      tags: [
        ['mood', 'Warm'],
        ['genre', 'Jazz'],
      ],
    },
    { key: '3', album: 'Warm', albumKey: '100', artist: 'Ana', plays: 0, year: 1994, tags: [['genre', 'Jazz']] },
    { key: '4', album: 'Cold', albumKey: '200', artist: 'Bo', rating: 4, plays: 7, last: NOW - 5, year: 2001, tags: [['mood', 'Cold']] },
  ];
  const index = indexOf(tracks);

  it('sums per album over the matching tracks only: rating mean of rated, inferred share, plays, skips, last play, fit', () => {
    const all = aggregateAlbums(index, Int32Array.from([0, 1, 2, 3]), { genres: [], styles: [], moods: ['Warm'], artists: [] });
    const warm = all.find((a) => a.ratingKey === '100')!;
    expect(warm).toMatchObject({
      title: 'Warm',
      artist: 'Ana',
      year: 1994,
      tracks: 3,
      rated: 2,
      inferred: 1,
      plays: 4,
      skips: 2,
      lastPlayed: NOW - 10,
    });
    expect(warm.rating).toBeCloseTo(7);
    expect(warm.fit).toBeCloseTo(2 / 3);
    // Tags on at least half of the album's tracks, per kind.
    expect(warm.tags).toEqual({ genres: ['Jazz'], styles: [], moods: ['Warm'] });
    expect(all.find((a) => a.ratingKey === '200')!.fit).toBe(0);

    const some = aggregateAlbums(index, Int32Array.from([2]), { genres: [], styles: [], moods: [], artists: ['ana'] });
    expect(some).toHaveLength(1);
    expect(some[0]).toMatchObject({ ratingKey: '100', tracks: 1, rating: null, rated: 0, plays: 0, lastPlayed: 0, favoured: true });
  });
});

describe('familiarity ranking', () => {
  // Each mode must put its own kind of album first among the same four.
  const albums = [
    album({ ratingKey: 'loved', rating: 9.5, plays: 400, lastPlayed: NOW - 0.5 * MONTH }),
    album({ ratingKey: 'gem', rating: 9, inferred: 10, plays: 0, lastPlayed: 0 }),
    album({ ratingKey: 'old-flame', rating: 9, plays: 60, lastPlayed: NOW - 40 * MONTH }),
    album({ ratingKey: 'meh', rating: 4, plays: 5, lastPlayed: NOW - 3 * MONTH }),
  ];
  it.each<[Familiarity, string, string]>([
    ['comfort', 'loved', 'meh'],
    // The poorly rated album is last even though it is played little: a gem is good first.
    ['hidden-gems', 'gem', 'meh'],
    ['rediscover', 'old-flame', 'meh'],
    // Rating alone: the three well rated albums are within the variety term of each other.
    ['any', 'loved|gem|old-flame', 'meh'],
  ])('%s ranks %s first (and %s last)', (familiarity, first, last) => {
    const ranked = rankAlbums(albums, { familiarity, now: NOW, decades: [], seed: 1 });
    expect(first.split('|')).toContain(ranked[0].album.ratingKey);
    expect(ranked.at(-1)!.album.ratingKey).toBe(last);
  });

  it('prompt fit and named artists outweigh rating alone; the order is deterministic per seed', () => {
    const fit = [...albums, album({ ratingKey: 'fits', rating: 6, plays: 2, fit: 1 })];
    expect(rankAlbums(fit, { familiarity: 'any', now: NOW, decades: [], seed: 3 })[0].album.ratingKey).toBe('fits');
    const named = [...albums, album({ ratingKey: 'named', rating: 5, favoured: true })];
    expect(rankAlbums(named, { familiarity: 'any', now: NOW, decades: [], seed: 3 })[0].album.ratingKey).toBe('named');
    const a = rankAlbums(albums, { familiarity: 'any', now: NOW, decades: [1990], seed: 9 }).map((r) => r.album.ratingKey);
    expect(
      rankAlbums([...albums].reverse(), { familiarity: 'any', now: NOW, decades: [1990], seed: 9 }).map((r) => r.album.ratingKey),
    ).toEqual(a);
  });
});

describe('fit and familiarity multiply', () => {
  it('a fitting album in the lower half of the candidates does not outrank a well-rated one; a fitting good one does', () => {
    const poorFit = album({ ratingKey: 'fits-poor', rating: 6, plays: 300, lastPlayed: NOW - MONTH, fit: 1 });
    const goodFit = album({ ratingKey: 'fits-good', rating: 9, plays: 0, inferred: 10, lastPlayed: 0, fit: 1 });
    const crowd = Array.from({ length: 12 }, (_, i) =>
      album({ ratingKey: `c${i}`, rating: 5 + i * 0.3, plays: 5, lastPlayed: NOW - 6 * MONTH }),
    );
    const gems = [...crowd, album({ ratingKey: 'gem', rating: 9.2, inferred: 10, plays: 0, lastPlayed: 0 }), poorFit];
    expect(rankAlbums(gems, { familiarity: 'hidden-gems', now: NOW, decades: [], seed: 1 })[0].album.ratingKey).toBe('gem');
    expect(rankAlbums([...gems, goodFit], { familiarity: 'hidden-gems', now: NOW, decades: [], seed: 1 })[0].album.ratingKey).toBe(
      'fits-good',
    );
    expect(rankAlbums(gems, { familiarity: 'any', now: NOW, decades: [], seed: 1 })[0].album.ratingKey).toBe('fits-poor');
  });

  it.each<[(number | null)[], number[]]>([
    [
      [8, 6, 4, 2],
      [1, 2 / 3, 1 / 3, 0],
    ],
    [
      [5, 5, 5],
      [0.5, 0.5, 0.5],
    ],
    [
      [7, null],
      [0, 0.1],
    ],
    [[null], [0.1]],
  ])('standing of %j is %j', (ratings, expected) => {
    const standing = ratingStanding(ratings.map((rating) => ({ rating })));
    for (const [i, e] of expected.entries()) expect(standing[i]).toBeCloseTo(e, 6);
  });
});

describe('tasteProfile', () => {
  it('weights by rating and plays; favourites are the most loved albums', () => {
    const profile = tasteProfile([
      album({
        ratingKey: '1',
        artist: 'Top',
        rating: 10,
        plays: 500,
        year: 1972,
        tags: { genres: ['Soul'], styles: ['Northern Soul'], moods: ['Warm'] },
      }),
      album({ ratingKey: '2', artist: 'Mid', rating: 7, plays: 20, year: 1991, tags: { genres: ['Rock'], styles: [], moods: ['Moody'] } }),
      album({
        ratingKey: '3',
        artist: 'Various Artists',
        rating: 10,
        plays: 900,
        year: 1975,
        tags: { genres: ['Soul'], styles: [], moods: [] },
      }),
      album({ ratingKey: '4', artist: 'Low', rating: 2, plays: 0, year: 2010, tags: { genres: ['Noise'], styles: [], moods: [] } }),
    ]);
    expect(profile.artists).toEqual(['Top', 'Mid', 'Low']);
    expect(profile.genres[0]).toBe('Soul');
    expect(profile.decades).toEqual([1970, 1990, 2010]);
    expect(profile.favourites[0]).toBe('Various Artists – Album 3');
    expect(profile.favourites).toContain('Top – Album 1');
  });
});

describe('replies', () => {
  it('reads questions: at most two, choices trimmed to four; unreadable is none', () => {
    expect(
      readQuestions({
        questions: [
          { question: ' Calm or lively? ', choices: ['Calm', 'Lively', 'Calm', 'a', 'b', 'c'] },
          { question: 'Voices?', choices: [] },
          { question: 'Third?' },
        ],
      }),
    ).toEqual([
      { question: 'Calm or lively?', choices: ['Calm', 'Lively', 'a', 'b'] },
      { question: 'Voices?', choices: [] },
    ]);
    expect(readQuestions('not json at all')).toEqual([]);
    expect(readQuestions('```json\n{"questions": []}\n```')).toEqual([]);
  });

  it('reads picks by id, by name, as free text, and as {primary, alternatives}', () => {
    expect(readAlbumPicks({ albums: [{ id: '#2', pitch: 'p' }, { artist: 'A', title: 'T', pitch: 'q' }, { id: 'A - T' }] })).toEqual([
      { id: '2', artist: null, title: null, text: null, reason: 'p' },
      { id: null, artist: 'A', title: 'T', text: null, reason: 'q' },
      { id: null, artist: null, title: null, text: 'A - T', reason: '' },
    ]);
    expect(readAlbumPicks({ primary: { id: 1 }, alternatives: [{ id: 3 }] }).map((p) => p.id)).toEqual(['1', '3']);
    expect(() => readAlbumPicks('nothing')).toThrow(/not the JSON/);
    expect(readDiscovery({ albums: [{ artist: 'X', title: 'Y', year: 1999, pitch: 'z' }, { artist: 'no title' }] })).toEqual([
      { artist: 'X', title: 'Y', year: 1999, pitch: 'z' },
    ]);
  });

  const sent = [
    album({ ratingKey: '10', title: 'Blue Train' }),
    album({ ratingKey: '11', title: 'Kind of Blue' }),
    album({ ratingKey: '12', title: 'Maiden Voyage' }),
  ];
  const ranked = [...sent, album({ ratingKey: '13' }), album({ ratingKey: '14' })];

  it.each<[string, Parameters<typeof readAlbumPicks>[0], string[], number]>([
    ['good ids', { albums: [{ id: '2' }, { id: '1' }, { id: '3' }] }, ['11', '10', '12'], 0],
    ['wrong ids are dropped, filled from the ranking', { albums: [{ id: '1' }, { id: '900' }, { id: '77' }] }, ['10', '11', '12'], 2],
    [
      'names and a typo match',
      { albums: [{ artist: 'Artist 12', title: 'Maiden Voyag' }, { id: 'Artist 10 - Blue Train' }] },
      ['12', '10', '11'],
      1,
    ],
    ['duplicates count once', { albums: [{ id: '3' }, { id: '3' }, { id: '3' }] }, ['12', '10', '11'], 2],
    ['an excluded album is never chosen', { albums: [{ id: '2' }, { id: '1' }] }, ['10', '12', '13'], 2],
    ['an empty answer is all filled', { albums: [] }, ['10', '11', '12'], 3],
  ])('%s', (label, reply, keys, filled) => {
    const excluded = new Set(label.startsWith('an excluded') ? ['11'] : []);
    const chosen: ChosenAlbum[] = [];
    acceptAlbumPicks(readAlbumPicks(reply), sent, chosen, 3, excluded);
    const added = fillAlbums(ranked, chosen, 3, excluded, (a) => `filled ${a.ratingKey}`);
    expect(chosen.map((c) => c.album.ratingKey)).toEqual(keys);
    expect(added).toBe(filled);
    expect(chosen.filter((c) => c.filled)).toHaveLength(filled);
  });

  it('discovery drops owned, excluded and repeated suggestions (normalised artist + title)', () => {
    const owned = new Set([albumKey('The Band', 'Music from Big Pink')]);
    const excluded = new Set([albumKey('Shown', 'Before')]);
    const chosen: DiscoverySuggestion[] = [];
    const s = (artist: string, title: string): DiscoverySuggestion => ({ artist, title, year: null, pitch: '' });
    const stats = acceptDiscovery(
      [s('the band', 'Music From Big Pink (Remastered)'), s('Shown', 'Before'), s('New', 'One'), s('NEW', 'one'), s('New', 'Two')],
      chosen,
      3,
      (k) => owned.has(k),
      excluded,
    );
    expect(chosen.map((c) => c.title)).toEqual(['One', 'Two']);
    expect(stats).toEqual({ owned: 1, excluded: 1, duplicate: 1 });
  });
});

describe('lines and the offline pitch', () => {
  it('one compact line per album, and a pitch from the data', () => {
    const a = album({
      ratingKey: '5',
      title: 'Warm | Pipes',
      rating: 9,
      inferred: 8,
      plays: 0,
      lastPlayed: 0,
      tags: { genres: ['Jazz'], styles: ['Cool Jazz'], moods: ['Warm'] },
    });
    expect(albumLine('4', a, NOW)).toBe('4|Artist 5|Warm / Pipes|1995|Cool Jazz,Warm,Jazz|4.5★ (inferred)|0 plays, never played');
    expect(offlinePitch(a, 'hidden-gems', NOW, ['Warm'])).toBe(
      'A hidden gem in your library. Warm, Cool Jazz, Jazz, from 1995. Rated 4.5★ (inferred from your listening). You have never played it.',
    );
    expect(offlinePitch(album({ ratingKey: '6', plays: 3, lastPlayed: NOW - 30 * MONTH }), 'rediscover', NOW)).toContain(
      '3 plays, the last 3 years ago',
    );
  });
});
