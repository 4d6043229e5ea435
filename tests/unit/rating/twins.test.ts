// Twin clusters: the key, the candidate filters, the median tolerance, and the values they carry.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RATING_PARAMS, buildLibraryIndex, ratingParamsFromOverrides } from '../../../src/domain/rating/index.js';
import { LibraryBuilder, owned } from './support/library-builder.js';
import { run } from './support/run.js';

type Copy = { title?: string; album?: string; live?: boolean; durationMs?: number | null; trackArtist?: string };

/** One artist "Band" with one album per copy; returns the keys of the tracks that ended up in clusters. */
function clustersOf(copies: Copy[], overrides: Record<string, string> = {}): string[][] {
  const lib = new LibraryBuilder().artist('r', 'Band');
  copies.forEach((copy, i) => {
    lib.album(`a${i}`, 'r', { title: copy.album ?? `Album ${i}`, isLive: copy.live ?? false });
    lib.track(`t${i}`, `a${i}`, { title: copy.title ?? 'Song', durationMs: copy.durationMs, trackArtist: copy.trackArtist });
  });
  const index = buildLibraryIndex(lib.snapshot, ratingParamsFromOverrides(overrides));
  return index.twinClusters.map((members) => members.map((t) => lib.snapshot.tracks[t].key));
}

describe('twin clusters', () => {
  it.each<[string, Copy[], Record<string, string>, string[][]]>([
    ['same artist and title on two albums', [{}, {}], {}, [['t0', 't1']]],
    ['titles equal after norm', [{ title: 'Don’t Stop' }, { title: "DON'T  STOP!" }], {}, [['t0', 't1']]],
    ['accents fold', [{ title: 'Café' }, { title: 'Cafe' }], {}, [['t0', 't1']]],
    ['a single copy is no cluster', [{}, { title: 'Other' }], {}, []],
    ['twins disabled', [{}, {}], { 'twins.enabled': 'false' }, []],
    ['bracketed titles are not candidates', [{ title: 'Song (Radio Edit)' }, { title: 'Song (Radio Edit)' }], {}, []],
    [
      '… unless exclude_bracketed is off',
      [{ title: 'Song (Radio Edit)' }, { title: 'Song (Radio Edit)' }],
      { 'twins.exclude_bracketed': 'false' },
      [['t0', 't1']],
    ],
    ['a keyword in the track title', [{ title: 'Song - Demo' }, { title: 'Song - Demo' }, {}], {}, []],
    ['a keyword is a whole word ("Demolition")', [{ title: 'Demolition' }, { title: 'Demolition' }], {}, [['t0', 't1']]],
    ['a keyword in the album title', [{ album: 'Acoustic Sessions' }, {}, {}], {}, [['t1', 't2']]],
    ['a live album by subformat', [{ live: true }, {}, {}], { 'twins.exclude_keywords': '' }, [['t1', 't2']]],
    ['a live album by title', [{ album: 'Live at Wembley' }, {}, {}], { 'twins.exclude_keywords': '' }, [['t1', 't2']]],
    ['"Alive" is not live', [{ album: 'Alive' }, {}], { 'twins.exclude_keywords': '' }, [['t0', 't1']]],
    ['live albums kept when exclude_live_albums is off', [{ live: true }, {}], { 'twins.exclude_live_albums': 'false' }, [['t0', 't1']]],
    ['a "various artists" track artist is skipped', [{ trackArtist: 'Various Artists' }, { trackArtist: 'Various Artists' }], {}, []],
    ['different track artists are different songs', [{ trackArtist: 'Band' }, { trackArtist: 'Cover Band' }], {}, []],
    ['within the tolerance of the median', [{ durationMs: 200_000 }, { durationMs: 205_999 }], {}, [['t0', 't1']]],
    ['outside the tolerance', [{ durationMs: 200_000 }, { durationMs: 206_000 }, { durationMs: 300_000 }], {}, []],
    [
      'even count: the lower middle value is the median (204, not 206)',
      [{ durationMs: 200_000 }, { durationMs: 204_000 }, { durationMs: 206_000 }, { durationMs: 300_000 }],
      {},
      [['t0', 't1', 't2']],
    ],
    ['odd count: the middle value', [{ durationMs: 100_000 }, { durationMs: 104_000 }, { durationMs: 110_000 }], {}, [['t0', 't1']]],
    ['a member without duration is dropped, not the group', [{ durationMs: null }, {}, {}], {}, [['t1', 't2']]],
    ['… and a group left with one member is no cluster', [{ durationMs: null }, {}], {}, []],
    [
      'tolerance 0',
      [{ durationMs: 200_000 }, { durationMs: 200_999 }, { durationMs: 201_000 }],
      { 'twins.duration_tolerance_s': '0' },
      [['t0', 't1']],
    ],
    ['an empty normalised title is never a key', [{ title: '???' }, { title: '!!!' }], {}, []],
  ])('%s', (_, copies, overrides, expected) => {
    expect(clustersOf(copies, overrides)).toEqual(expected);
  });
});

describe('twin values', () => {
  // μ = (9 + 3)/2 = 6
  // r1: e_a1 = (18 + 9)/4 = 6.75; v_r1 = (18 + 6.75)/4 = 6.1875; v_a1 = (3·6.1875 + 9)/4 = 6.890625; v_a2 = 6.1875
  // r2: v_r2 = (18 + 5.25)/4 = 5.8125; v_a3 = (3·5.8125 + 3)/4 = 5.109375
  // c1 (compilation): μ = 6
  // cluster {s1, b1, v1}: (6.890625 + 6.1875 + 6)/3 = 6.359375
  const lib = new LibraryBuilder()
    .artist('r1', 'Band')
    .album('a1', 'r1', { title: 'Studio' })
    .track('s1', 'a1', { title: 'Song' })
    .track('o1', 'a1', { title: 'Other' })
    .album('a2', 'r1', { title: 'Best Of' })
    .track('b1', 'a2', { title: 'Song', durationMs: 199_000 })
    .artist('r2', 'Other Band')
    .album('a3', 'r2')
    .track('x1', 'a3', { title: 'Hit' })
    .artist('va', 'Various Artists')
    .album('c1', 'va')
    .track('v1', 'c1', { title: 'song', trackArtist: 'Band', durationMs: 202_000 });

  it('without a manual member: every copy carries the mean of the copies’ album values', () => {
    const { value, index } = run(lib, owned({ o1: 9, x1: 3 }));
    expect(index.twinClusters).toHaveLength(1);
    for (const key of ['s1', 'b1', 'v1']) expect(value(key), key).toBeCloseTo(6.359375, 12);
    expect(value('a1')).toBeCloseTo(6.890625, 12);
    expect(value('a2')).toBeCloseTo(6.1875, 12);
  });

  it('with manual members: the mean of the manual ones; manual members are anchors and never written', () => {
    const one = run(lib, owned({ o1: 9, x1: 3, b1: 10 }));
    expect(one.value('s1')).toBe(10);
    expect(one.value('v1')).toBe(10);
    expect(one.values.tracks.has('b1')).toBe(false);
    const two = run(lib, owned({ o1: 9, x1: 3, b1: 10, v1: 7 }));
    expect(two.value('s1')).toBe(8.5);
    expect([...two.values.tracks.keys()].sort()).toEqual(['s1']);
  });

  it('an opted-out member gets no value, but its album value still counts in the mean', () => {
    const { value, values } = run(lib, owned({ o1: 9, x1: 3 }, ['b1']));
    expect(values.tracks.has('b1')).toBe(false);
    expect(value('s1')).toBeCloseTo(6.359375, 12);
  });

  it('a member under a manual album brings its gravity value', () => {
    // a2 manual 8 → step 2 of b1 = 8·0.7 + 6·0.3 = 7.4; v_r1 = (18 + 6.75 + 8)/5 = 6.55; v_a1 = (3·6.55 + 9)/4 = 7.1625
    const { value } = run(lib, owned({ o1: 9, x1: 3, a2: 8 }));
    expect(value('s1')).toBeCloseTo((7.1625 + 7.4 + 6) / 3, 12);
  });

  it('with fill_unknown off, members without a step-2 value are left out of the mean', () => {
    // μ = 9 (o1 only); r1: e = (27 + 9)/4 = 9, v_r1 = 9; a1 = a2 = 9; c1 has no evidence → no value
    const { value } = run(lib, owned({ o1: 9 }), { fill_unknown: 'false' });
    expect(value('c1')).toBeUndefined();
    expect(value('v1')).toBe(9);
  });

  it('uses the default parameters when none are given', () => {
    expect(buildLibraryIndex(lib.snapshot, DEFAULT_RATING_PARAMS).twinClusters).toHaveLength(1);
  });
});
