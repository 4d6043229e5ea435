// The playlist form's "Listening" fieldset: what each field becomes in the filters, what a bad value says,
// and that a suggestion's filters show again as the form had them.
import { describe, expect, it } from 'vitest';
import type { FilterSpec } from '../../../src/domain/playlist/index.js';
import { check, type RawInput } from '../../../src/web/forms/parse.js';
import { filterFormOf, playlistForm } from '../../../src/web/forms/playlist.js';

const library = {
  vocabulary: { genres: [{ tag: 'Rock', count: 3 }], styles: [], moods: [], decades: [1990] },
  artists: [],
} as unknown as Parameters<typeof playlistForm>[0];

const parse = (raw: RawInput) => {
  const checked = check(playlistForm(library, 'offline'), raw);
  if (!checked.ok) throw new Error('the playlist form is never refused as a whole');
  return checked.value;
};
const listening = (filters: FilterSpec) => {
  const { neverPlayed, minPlays, notPlayedMonths, maxSkipRatio } = filters;
  return Object.fromEntries(Object.entries({ neverPlayed, minPlays, notPlayedMonths, maxSkipRatio }).filter(([, v]) => v !== undefined));
};

describe('the Listening fieldset', () => {
  it.each<[RawInput, FilterSpec]>([
    [{}, {}],
    [{ never_played: ['false', 'true'] }, { neverPlayed: true }],
    [{ never_played: 'false' }, {}],
    [{ min_plays: ' 10 ' }, { minPlays: 10 }],
    [{ min_plays: '0' }, {}],
    [{ not_played_months: '12' }, { notPlayedMonths: 12 }],
    [{ max_skip_percent: '25' }, { maxSkipRatio: 0.25 }],
    [{ max_skip_percent: '0' }, { maxSkipRatio: 0 }],
    [{ max_skip_percent: '100' }, {}],
    [
      { min_plays: '3', not_played_months: '6', max_skip_percent: '12.5' },
      { minPlays: 3, notPlayedMonths: 6, maxSkipRatio: 0.125 },
    ],
  ])('%j → %j', (raw, expected) => {
    const { filters, errors } = parse({ prompt: 'rain', ...raw });
    expect(errors).toEqual({});
    expect(listening(filters)).toEqual(expected);
  });

  it.each([
    [{ min_plays: '-1' }, 'min_plays', 'Played at least is a whole number of plays, from 0 to 100000.'],
    [{ min_plays: '2.5' }, 'min_plays', 'Played at least is a whole number of plays, from 0 to 100000.'],
    [{ not_played_months: '0' }, 'not_played_months', 'Not played for is a whole number of months, from 1 to 600.'],
    [{ not_played_months: 'ages' }, 'not_played_months', 'Not played for is a whole number of months, from 1 to 600.'],
    [{ max_skip_percent: '150' }, 'max_skip_percent', 'Skipped at most is a percentage, from 0 to 100.'],
  ])('%j → %s: %s', (raw, field, message) => {
    const { form, filters, errors } = parse({ prompt: 'rain', ...raw });
    expect(errors).toEqual({ [field]: message });
    expect(listening(filters)).toEqual({});
    // The value typed is shown again to be corrected.
    expect(Object.values(form.filters)).toContain(Object.values(raw)[0]);
  });

  it('shows filters as the form has them', () => {
    expect(filterFormOf({ neverPlayed: true, minPlays: 4, notPlayedMonths: 18, maxSkipRatio: 0.125 })).toMatchObject({
      neverPlayed: true,
      minPlays: '4',
      notPlayedMonths: '18',
      maxSkipPercent: '12.5',
    });
    expect(filterFormOf({})).toMatchObject({ neverPlayed: false, minPlays: '', notPlayedMonths: '', maxSkipPercent: '' });
  });
});
