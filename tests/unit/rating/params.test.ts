import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATING_PARAMS,
  RatingParamsError,
  parseRatingParams,
  ratingParamsFromOverrides,
} from '../../../src/domain/rating/index.js';

const problemsOf = (work: () => unknown): string[] => {
  try {
    work();
  } catch (error) {
    if (error instanceof RatingParamsError) return error.problems;
    throw error;
  }
  throw new Error('expected a RatingParamsError');
};

describe('rating parameters', () => {
  it('defaults are the table of RATING-MODEL.md, with C and listening learned (auto) and inference everywhere', () => {
    expect(DEFAULT_RATING_PARAMS).toEqual({
      C: 'auto',
      listening: 'auto',
      infer: { kinds: ['artist', 'album', 'track'] },
      exclude: { genres: [], artists: [], albums: [] },
      W_global: 1,
      W_critic: 1,
      g_album: 0.8,
      g_track: 0.3,
      exclusion: { min_duration_s: 80, keywords: ['intro', 'outro', 'interview', 'skit', 'applause', 'commentary'] },
      twins: {
        enabled: true,
        duration_tolerance_s: 5,
        exclude_keywords: ['live', 'demo', 'reprise', 'instrumental', 'commentary', 'acoustic', 'remix'],
        exclude_bracketed: true,
        exclude_live_albums: true,
      },
      fill_unknown: true,
      precision: 'dynamic',
      grid: 0.1,
    });
    expect(parseRatingParams(DEFAULT_RATING_PARAMS)).toEqual(DEFAULT_RATING_PARAMS);
  });

  it.each([
    [{ C: 0 }, 'C: must be "auto" or a number greater than 0'],
    [{ C: -1 }, 'C: must be "auto" or a number greater than 0'],
    [{ C: 'sometimes' }, 'C: must be "auto" or a number greater than 0'],
    [{ listening: -1 }, 'listening: must be "auto", "off" or a weight of 0 or more'],
    [{ infer: { kinds: ['tracks'] } }, 'infer.kinds: must list only artist, album, track'],
    [{ W_global: -0.5 }, 'W_global: must be 0 or more'],
    [{ W_critic: -1 }, 'W_critic: must be 0 or more'],
    [{ g_album: 1.5 }, 'g_album: must be between 0 and 1'],
    [{ g_track: -0.1 }, 'g_track: must be between 0 and 1'],
    [{ exclusion: { ...DEFAULT_RATING_PARAMS.exclusion, min_duration_s: -1 } }, 'exclusion.min_duration_s: must be 0 or more'],
    [{ twins: { ...DEFAULT_RATING_PARAMS.twins, duration_tolerance_s: -5 } }, 'twins.duration_tolerance_s: must be 0 or more'],
    [{ precision: 'sometimes' }, 'precision: must be "dynamic" or "fixed:X" with X ≥ 0 points'],
    [{ grid: 0.3 }, 'grid: must divide one point evenly (0.1, 0.2, 0.25, 0.5)'],
  ])('%j is refused: %s', (change, message) => {
    expect(problemsOf(() => parseRatingParams({ ...DEFAULT_RATING_PARAMS, ...change }))).toEqual([message]);
  });

  it('lists every problem at once', () => {
    expect(problemsOf(() => parseRatingParams({ ...DEFAULT_RATING_PARAMS, C: 0, g_album: 2 }))).toEqual([
      'C: must be "auto" or a number greater than 0',
      'g_album: must be between 0 and 1',
    ]);
  });

  it('W_critic = 0 and gravities at 0 and 1 are valid', () => {
    const params = parseRatingParams({ ...DEFAULT_RATING_PARAMS, W_critic: 0, g_album: 0, g_track: 1 });
    expect([params.W_critic, params.g_album, params.g_track]).toEqual([0, 0, 1]);
  });
});

describe('parameter overrides from flat strings', () => {
  it('parses numbers, booleans, lists and precision by dotted name', () => {
    const params = ratingParamsFromOverrides({
      C: '3.5',
      'twins.enabled': 'false',
      'exclusion.keywords': 'intro, Outro ,,skit',
      'twins.exclude_keywords': '',
      fill_unknown: 'no',
      precision: 'fixed:0.05',
    });
    expect(params.C).toBe(3.5);
    expect(params.twins.enabled).toBe(false);
    expect(params.exclusion.keywords).toEqual(['intro', 'outro', 'skit']);
    expect(params.twins.exclude_keywords).toEqual([]);
    expect(params.fill_unknown).toBe(false);
    expect(params.precision).toBe('fixed:0.05');
    expect(params.W_global).toBe(1);
    expect(DEFAULT_RATING_PARAMS.twins.enabled).toBe(true);
  });

  it('accepts the RATING_* environment spelling (prefix removed)', () => {
    const params = ratingParamsFromOverrides({
      W_CRITIC: '0',
      TWINS_DURATION_TOLERANCE_S: '3',
      EXCLUSION_MIN_DURATION_S: '60',
      G_ALBUM: '0.5',
    });
    expect([params.W_critic, params.twins.duration_tolerance_s, params.exclusion.min_duration_s, params.g_album]).toEqual([0, 3, 60, 0.5]);
  });

  it('applies on top of a given base', () => {
    const base = ratingParamsFromOverrides({ C: '5' });
    expect(ratingParamsFromOverrides({ g_track: '0.1' }, base)).toMatchObject({ C: 5, g_track: 0.1 });
  });

  it.each([
    [{ C: 'abc' }, 'C: expected "auto" or a number (got "abc")'],
    [{ C: '' }, 'C: expected "auto" or a number (got "")'],
    [{ C: '0' }, 'C: must be "auto" or a number greater than 0'],
    [{ listening: 'loud' }, 'listening: expected "auto", "off" or a number (got "loud")'],
    [{ 'infer.kinds': 'track,playlist' }, 'infer.kinds: must list only artist, album, track'],
    [{ 'twins.enabled': 'maybe' }, 'twins.enabled: expected true or false (got "maybe")'],
    [{ g_album: '1.2' }, 'g_album: must be between 0 and 1'],
    [{ precision: 'fixed:x' }, 'precision: must be "dynamic" or "fixed:X" with X ≥ 0 points'],
  ])('%j is refused: %s', (overrides, message) => {
    expect(problemsOf(() => ratingParamsFromOverrides(overrides))).toEqual([message]);
  });

  it('names unknown parameters and lists every problem', () => {
    const problems = problemsOf(() => ratingParamsFromOverrides({ confidence: '3', C: 'x' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^confidence: unknown rating parameter \(known: C, listening, W_global, W_critic, g_album/);
    expect(problems[1]).toBe('C: expected "auto" or a number (got "x")');
  });

  it.each([
    [
      { C: 'auto', listening: 'off' },
      { C: 'auto', listening: 'off' },
    ],
    [
      { C: '3', LISTENING: 'OFF' },
      { C: 3, listening: 'off' },
    ],
    [{ listening: '0.4' }, { listening: 0.4 }],
    [{ INFER_KINDS: 'track' }, { infer: { kinds: ['track'] } }],
    [{ 'infer.kinds': 'track, artist' }, { infer: { kinds: ['artist', 'track'] } }],
    [
      { EXCLUDE_GENRES: 'Audiobook, Spoken Word', 'exclude.artists': 'Various Narrators' },
      { exclude: { genres: ['audiobook', 'spoken word'], artists: ['various narrators'], albums: [] } },
    ],
  ])('%j is read as %j', (overrides, expected) => {
    expect(ratingParamsFromOverrides(overrides)).toMatchObject(expected);
  });
});
