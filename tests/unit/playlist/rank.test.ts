import { describe, expect, it } from 'vitest';
import {
  DiversityLedger,
  capsFor,
  favouredSet,
  rankTracks,
  scoreTrack,
  selectDiverse,
  variety,
  type RankSpec,
} from '../../../src/domain/playlist/index.js';
import { track } from './fixtures.js';

const spec = (over: Partial<RankSpec> = {}): RankSpec => ({ genres: [], styles: [], moods: [], artists: [], year: null, seed: 1, ...over });

describe('ranking', () => {
  it('rewards tag overlap, named artists, rating and era in that order of weight', () => {
    const s = spec({ moods: ['Melancholy', 'Dreamy'], artists: ['Slowdive'], year: 1994 });
    const favoured = favouredSet(s);
    const plain = track({ ratingKey: 'p', rating: 5 });
    const oneMood = track({ ratingKey: 'm', rating: 5, tags: { moods: ['melancholy'] } });
    const bothMoods = track({ ratingKey: 'b', rating: 5, tags: { moods: ['Melancholy', 'Dreamy'] } });
    const named = track({ ratingKey: 'n', artist: 'SLOWDIVE', rating: 5 });
    const score = (t: ReturnType<typeof track>) => scoreTrack(t, { ...s, seed: 0 }, favoured) - 0.75 * variety(0, t.ratingKey);
    expect(score(oneMood) - score(plain)).toBeCloseTo(1.5);
    expect(score(bothMoods) - score(plain)).toBeCloseTo(3);
    expect(score(named) - score(plain)).toBeCloseTo(4);
    expect(score(track({ ratingKey: 'r', rating: 10 })) - score(plain)).toBeCloseTo(0.75);
    expect(score(track({ ratingKey: 'e', rating: 5, year: 2004 })) - score(plain)).toBeCloseTo(-0.45); // 0.5 vs 0.95
  });

  it('variety is seeded: the same seed gives the same order, another seed another', () => {
    const tracks = Array.from({ length: 50 }, (_, i) => track({ ratingKey: String(1000 + i) }));
    const order = (seed: number) => rankTracks(tracks, spec({ seed })).map((r) => r.track.ratingKey);
    expect(order(4)).toEqual(order(4));
    expect(order(4)).not.toEqual(order(5));
    expect(order(4)).toEqual(rankTracks([...tracks].reverse(), spec({ seed: 4 })).map((r) => r.track.ratingKey));
    for (let i = 0; i < 200; i++) expect(variety(i, 'k')).toBeGreaterThanOrEqual(0);
  });
});

describe('diversity', () => {
  const ranked = (tracks: ReturnType<typeof track>[]) => tracks.map((t, i) => ({ track: t, score: 100 - i }));

  it('caps tracks per artist and per album, and keeps one copy per song', () => {
    const list = [
      ...Array.from({ length: 6 }, (_, i) => track({ artist: 'A', albumKey: `A${i % 2}`, title: `a${i}` })),
      track({ artist: 'B', title: 'Same Song', albumKey: 'B1' }),
      track({ artist: 'B', title: 'Same Song (Remastered 2009)', albumKey: 'B2' }),
      track({ artist: 'C', title: 'c', albumKey: 'C1' }),
    ];
    const chosen = selectDiverse(ranked(list), 10, { perArtist: 3, perAlbum: 2, favouredArtistShare: 0.3 }, new Set());
    expect(chosen.filter((t) => t.artist === 'A')).toHaveLength(3);
    expect(chosen.filter((t) => t.artist === 'B')).toHaveLength(1);
    expect(chosen).toHaveLength(5);
  });

  it('lets a favoured artist take its share, and relaxes caps only to fill', () => {
    const list = Array.from({ length: 20 }, (_, i) => track({ artist: i < 15 ? 'Fav' : `Other${i}`, albumKey: `x${i}`, title: `t${i}` }));
    const caps = { perArtist: 2, perAlbum: 1, favouredArtistShare: 0.5 };
    expect(selectDiverse(ranked(list), 10, caps, new Set(['fav'])).filter((t) => t.artist === 'Fav')).toHaveLength(5);
    expect(selectDiverse(ranked(list), 10, caps, new Set()).length).toBe(7);
    expect(selectDiverse(ranked(list), 10, caps, new Set(), { relaxToFill: true }).length).toBe(10);
  });

  it('capsFor scales with the list and the ledger reports why a track is refused', () => {
    expect(capsFor(25)).toMatchObject({ perArtist: 2, perAlbum: 2 });
    expect(capsFor(300)).toMatchObject({ perArtist: 24, perAlbum: 15 });
    const ledger = new DiversityLedger({ perArtist: 1, perAlbum: 1, favouredArtistShare: 0 }, 10, new Set());
    const a = track({ artist: 'X', title: 'One' });
    ledger.add(a);
    expect(ledger.refusal(a)).toBe('duplicate');
    expect(ledger.refusal(track({ artist: 'x', title: 'one' }))).toBe('twin');
    expect(ledger.refusal(track({ artist: 'X', title: 'Two' }))).toBe('artist cap');
    expect(ledger.refusal(track({ artist: 'Y', title: 'Two', albumKey: a.albumKey }))).toBe('album cap');
  });
});
