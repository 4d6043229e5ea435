// Exclusions, contributing evidence, the all-excluded fallback and μ.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATING_PARAMS,
  addRating,
  albumEvidence,
  buildLibraryIndex,
  contributingRatings,
  exclusionRule,
  muOf,
  removeRating,
  swapAlbumEvidence,
  tallyEvidence,
} from '../../../src/domain/rating/index.js';
import { LibraryBuilder, owned } from './support/library-builder.js';

const P = DEFAULT_RATING_PARAMS;

describe('exclusion rules (min duration in whole seconds, whole-word keywords in the track title)', () => {
  const excluded = exclusionRule(P);
  const track = (title: string, durationMs: number | null) => ({
    key: 't',
    albumKey: 'a',
    artistKey: 'r',
    title,
    trackArtist: 'R',
    durationMs,
  });
  it.each([
    ['Song', 79_999, true],
    ['Song', 80_000, false],
    ['Song', 80_999, false],
    ['Song', 1_000, true],
    ['Song', null, false],
    ['Intro', 200_000, true],
    ['Introduction', 200_000, false],
    ['Outro (Reprise)', 200_000, true],
    ['Interview with the Band', 200_000, true],
    ['Interviews', 200_000, false],
    ['Skit', 200_000, true],
    ['Applause', 200_000, true],
    ['Commentary: Track 1', 200_000, true],
    ['Intro', null, true],
  ])('%j of %s ms → excluded %s', (title, durationMs, expected) => {
    expect(excluded(track(title, durationMs))).toBe(expected);
  });

  it('follows the parameters', () => {
    const custom = exclusionRule({ ...P, exclusion: { min_duration_s: 30, keywords: ['bonus'] } });
    expect(custom(track('Intro', 40_000))).toBe(false);
    expect(custom(track('Bonus Track', 200_000))).toBe(true);
    expect(custom(track('Song', 29_999))).toBe(true);
  });
});

describe('contributing evidence', () => {
  const lib = new LibraryBuilder()
    .artist('r')
    .album('a1', 'r')
    .track('short', 'a1', { durationMs: 60_000 })
    .track('plain', 'a1')
    .track('intro', 'a1', { title: 'Intro' })
    .track('introduction', 'a1', { title: 'Introduction' })
    .track('unrated', 'a1')
    .album('a2', 'r')
    .track('tiny', 'a2', { durationMs: 30_000 })
    .track('skit', 'a2', { title: 'Skit' })
    .track('unrated2', 'a2')
    .album('a3', 'r')
    .track('nothing', 'a3');
  const index = buildLibraryIndex(lib.snapshot, P);
  const ownership = owned({ short: 10, plain: 6, intro: 2, introduction: 8, tiny: 4, skit: 2 });
  const at = (key: string) => index.albumPosition.get(key)!;

  it('excluded manual tracks do not count while the album has a kept one', () => {
    expect(contributingRatings(index, ownership, at('a1'))).toEqual([6, 8]);
    expect(albumEvidence(index, ownership, at('a1'))).toEqual({ sumMilli: 14_000, count: 2, adjustMicro: 0 });
  });

  it('when every manual track of an album is excluded, all of them contribute', () => {
    expect(contributingRatings(index, ownership, at('a2'))).toEqual([4, 2]);
    expect(albumEvidence(index, ownership, at('a2'))).toEqual({ sumMilli: 6_000, count: 2, adjustMicro: 0 });
  });

  it('an album without manual tracks has no evidence', () => {
    expect(albumEvidence(index, ownership, at('a3'))).toEqual({ sumMilli: 0, count: 0, adjustMicro: 0 });
  });

  it('μ = mean of the contributing ratings; 6.0 without any; manual albums and artists are not evidence', () => {
    expect(muOf(tallyEvidence(index, ownership))).toBe(5);
    expect(muOf(tallyEvidence(index, owned({ a1: 9, r: 1 })))).toBe(6);
  });

  it('the running tally: swapping an album’s evidence handles the fallback flipping', () => {
    const before = tallyEvidence(index, ownership);
    const changed = owned({ short: 10, plain: 6, intro: 2, introduction: 8, tiny: 4, skit: 2, unrated2: 9 });
    // Rating a kept track of a2 removes its two excluded ratings from evidence: not a single add.
    const swapped = swapAlbumEvidence(before, albumEvidence(index, ownership, at('a2')), albumEvidence(index, changed, at('a2')));
    expect(swapped).toEqual(tallyEvidence(index, changed));
    expect(muOf(swapped)).toBe((6 + 8 + 9) / 3);
    expect(addRating(before, 9)).not.toEqual(tallyEvidence(index, changed));
  });

  it('addRating/removeRating are exact inverses in thousandths of a point', () => {
    let tally = { sumMilli: 0, count: 0, adjustMicro: 0 };
    for (const r of [0.1, 0.2, 7.3, 9.9]) tally = addRating(tally, r);
    expect(tally).toEqual({ sumMilli: 17_500, count: 4, adjustMicro: 0 });
    for (const r of [0.2, 9.9, 0.1]) tally = removeRating(tally, r);
    expect(tally).toEqual({ sumMilli: 7_300, count: 1, adjustMicro: 0 });
    expect(muOf(tally)).toBe(7.3);
  });
});
