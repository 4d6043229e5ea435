// Filters in words, as History, a generation's review and the schedules page show them.
import { describe, expect, it } from 'vitest';
import type { FilterSpec } from '../../../src/domain/playlist/index.js';
import { filtersInWords } from '../../../src/web/filter-words.js';

describe('filtersInWords', () => {
  it.each<[string, FilterSpec | null, string]>([
    ['nothing', {}, 'none'],
    ['no spec at all', null, 'none'],
    [
      'tags, artists and decades',
      { genres: ['Jazz'], moods: ['Mellow'], artists: ['Nina Simone'], decades: [1960] },
      'Jazz · Mellow · Nina Simone · 1960s',
    ],
    ['a seed’s era', { yearRange: [1985, 2005] }, '1985–2005'],
    ['rating with inferred ratings', { minRating: 4 }, '≥ 4★'],
    ['manual ratings only', { minRating: 3.5, includeInferred: false }, '≥ 3.5★ (manual ratings only)'],
    ['no live', { excludeLive: true }, 'no live'],
    ['never played', { neverPlayed: true }, 'never played'],
    ['played at least 5 times', { minPlays: 5 }, 'played at least 5 times'],
    ['played at least once', { minPlays: 1 }, 'played at least once'],
    ['no minimum of plays', { minPlays: 0 }, 'none'],
    ['not played for 12 months', { notPlayedMonths: 12 }, 'not played for 12 months'],
    ['not played for a month', { notPlayedMonths: 1 }, 'not played for 1 month'],
    ['not played for 3 years', { notPlayedMonths: 36 }, 'not played for 3 years'],
    ['skipped at most 20 %', { maxSkipRatio: 0.2 }, 'skipped at most 20 %'],
    ['never skipped', { maxSkipRatio: 0 }, 'skipped at most 0 %'],
    [
      'everything in order',
      { styles: ['Bebop'], minRating: 4, excludeLive: true, minPlays: 5, notPlayedMonths: 12, maxSkipRatio: 0.2 },
      'Bebop · ≥ 4★ · no live · played at least 5 times · not played for 12 months · skipped at most 20 %',
    ],
    ['the internal exclusion list is not a condition anyone set', { excludeKeys: ['1', '2'] }, 'none'],
  ])('%s', (_name, spec, words) => {
    expect(filtersInWords(spec)).toBe(words);
  });
});
