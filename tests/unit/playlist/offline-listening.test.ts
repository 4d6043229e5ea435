// The offline reader's listening wishes, and how the plan takes them: "not heard in a year" is a span,
// "never played" without one is never played, "most played" is played at least ten times and is relaxed
// like the other suggested filters when too few tracks qualify.
import { describe, expect, it } from 'vitest';
import { analyseOffline, type FilterSpec, type Vocabulary } from '../../../src/domain/playlist/index.js';
import { planFromAnalysis, type PlanContext } from '../../../src/playlists/request-plan.js';

const vocab: Vocabulary = { genres: [{ tag: 'Jazz', count: 4 }], styles: [], moods: [], decades: [1990] };

describe('listening wishes read offline', () => {
  it.each<[string, FilterSpec | undefined]>([
    ["jazz I've never played", { neverPlayed: true }],
    ["songs I haven't heard yet", { neverPlayed: true }],
    ['unplayed jazz', { neverPlayed: true }],
    ["jazz I haven't heard in a year", { notPlayedMonths: 12 }],
    ['jazz I haven’t heard in a while', { notPlayedMonths: 6 }],
    ["songs I haven't played in ages", { notPlayedMonths: 6 }],
    ['stuff I have not played for 3 months', { notPlayedMonths: 3 }],
    ["tracks I haven't listened to in 2 years", { notPlayedMonths: 24 }],
    ['my most played jazz', { minPlays: 10 }],
    ["my most-played songs I haven't heard in a month", { minPlays: 10, notPlayedMonths: 1 }],
    ['mellow jazz for a rainy day', undefined],
    ['a year of jazz', undefined],
    // A negated wish is dropped, never turned into its opposite.
    ['jazz, not my most played', undefined],
    ['jazz but nothing from my most-played tracks', undefined],
    ["nothing I haven't heard", undefined],
    ['no unplayed jazz', undefined],
    ["jazz I haven't played in ages, not my most played", { notPlayedMonths: 6 }],
    ['no live takes, my most played jazz', { minPlays: 10 }],
    ["songs I haven't heard in 100 years", { notPlayedMonths: 600 }],
  ])('%s → %j', (request, expected) => {
    const analysis = analyseOffline(request, vocab, []);
    expect(analysis.listening).toEqual(expected);
    if (expected || /played|heard/.test(request))
      expect(analysis.keywords.filter((k) => ['played', 'heard', 'never', 'year', 'most'].includes(k))).toEqual([]);
  });
});

describe('the plan', () => {
  const ctx = (matching: (f: FilterSpec) => number): PlanContext => ({
    vocabulary: vocab,
    knownArtists: () => [],
    artistTags: () => ({ genres: [], styles: [] }),
    count: matching,
    variety: 1,
  });

  it('suggests the listening filters', () => {
    const plan = planFromAnalysis(
      analyseOffline("jazz I haven't heard in a year", vocab, []),
      25,
      ctx(() => 100),
    );
    expect(plan.filters).toMatchObject({ genres: ['Jazz'], notPlayedMonths: 12 });
  });

  it('relaxes "most played" when too few tracks qualify', () => {
    const plan = planFromAnalysis(
      analyseOffline('my most played jazz', vocab, []),
      25,
      ctx((f) => (f.minPlays ? 3 : 100)),
    );
    expect(plan.filters.minPlays).toBeUndefined();
    expect(plan.warnings).toEqual(['relaxed minPlays (10): too few tracks matched']);
  });
});
