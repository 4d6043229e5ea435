// The Settings page's model parameters (saved through the domain's validation) and the learned model as
// the pages show it: errors in stars, the candidate in use marked, the numbers in words.
import { describe, expect, it } from 'vitest';
import { classicConstants, classicFit, DEFAULT_RATING_PARAMS, type ModelFit } from '../../../src/domain/rating/index.js';
import { check } from '../../../src/web/forms/parse.js';
import { modelForm } from '../../../src/web/forms/settings.js';
import { fitView, modelSettings, PARAM_FIELDS, signedStars } from '../../../src/web/services/model-settings.js';
import type { SettingsService } from '../../../src/web/services/settings.js';

/** The settings table in memory; names in `fixed` are set by the environment. */
function fakeSettings(fixed: Record<string, string> = {}) {
  const rows = new Map<string, string>();
  const service = {
    fixedByEnv: (name: string) => name in fixed,
    async get(name: string) {
      if (name in fixed) return { value: fixed[name], source: 'env' as const };
      const value = rows.get(name);
      return value === undefined ? { value: null, source: 'default' as const } : { value, source: 'saved' as const };
    },
    async save(values: Readonly<Record<string, string | null>>) {
      const changed: string[] = [];
      for (const [name, value] of Object.entries(values)) {
        if (name in fixed) continue;
        if (value === null) rows.delete(name);
        else rows.set(name, value);
        changed.push(name);
      }
      return changed;
    },
  } as unknown as SettingsService;
  return { service, rows };
}

async function defaultsForm(settings: SettingsService): Promise<Record<string, string>> {
  return Object.fromEntries((await modelSettings(settings).current()).map((f) => [f.name, f.value]));
}

describe('model settings', () => {
  it('offers C and listening as words or numbers, the inferred kinds as checkboxes, and the three exclusion lists', async () => {
    const { service } = fakeSettings();
    const fields = await modelSettings(service).current();
    const byName = new Map(fields.map((f) => [f.name, f]));
    expect(byName.get('C')).toMatchObject({ kind: 'auto-number', value: 'auto', label: 'Confidence (C)' });
    expect(byName.get('C')!.help).toMatch(/cross-validation/);
    expect(byName.get('C')!.help).toMatch(/3 with listening “off” is exactly the classic model/);
    expect(byName.get('listening')).toMatchObject({ kind: 'listening', value: 'auto' });
    expect(byName.get('infer.kinds')).toMatchObject({ kind: 'kinds', value: 'artist, album, track' });
    expect(byName.get('infer.kinds')!.options!.map((o) => o.value)).toEqual(['artist', 'album', 'track']);
    for (const name of ['exclude.genres', 'exclude.artists', 'exclude.albums']) {
      expect(byName.get(name)).toMatchObject({ kind: 'list', value: '', group: 'inference' });
      expect(byName.get(name)!.help).toMatch(/untouched and unrated, and your ratings on them are not evidence/);
    }
    expect(PARAM_FIELDS.map((f) => f.name)).toEqual(expect.arrayContaining(['C', 'listening', 'infer.kinds', 'exclude.genres']));
  });

  it('reads the inferred kinds from their checkboxes', () => {
    const checked = check(modelForm, { rating_infer_kinds: ['album', 'track'], rating_c: 'auto' });
    expect(checked.ok && checked.value).toMatchObject({ 'infer.kinds': 'album, track', C: 'auto', 'exclude.genres': '' });
    const none = check(modelForm, { rating_c: 'auto' });
    expect(none.ok && none.value['infer.kinds']).toBe('');
  });

  it('saves only departures from the defaults: a fixed C, listening off, tracks only, excluded genres', async () => {
    const { service, rows } = fakeSettings();
    const settings = modelSettings(service);
    const form = await defaultsForm(service);
    const result = await settings.save({
      ...form,
      C: ' 2.5 ',
      listening: 'OFF',
      'infer.kinds': 'track',
      'exclude.genres': 'Christmas, Comedy',
    });
    expect(result.ok).toBe(true);
    expect(Object.fromEntries(rows)).toEqual({
      RATING_C: '2.5',
      RATING_LISTENING: 'off',
      RATING_INFER_KINDS: 'track',
      RATING_EXCLUDE_GENRES: 'Christmas, Comedy',
    });
    const shown = new Map((await settings.current()).map((f) => [f.name, f.value]));
    expect(shown.get('infer.kinds')).toBe('track');

    // Back to the defaults (however spelled, in any order) removes the rows.
    await settings.save({ ...form, C: 'Auto', listening: 'auto', 'infer.kinds': 'track, artist, album' });
    expect(Object.fromEntries(rows)).toEqual({});
  });

  it('refuses a bad C, a bad listening weight and no inferred kind, each next to its field, and saves nothing', async () => {
    const { service, rows } = fakeSettings();
    const settings = modelSettings(service);
    const form = await defaultsForm(service);
    const errorsOf = async (changes: Record<string, string>) => {
      const result = await settings.save({ ...form, ...changes });
      expect(result.ok).toBe(false);
      return result.ok ? {} : Object.fromEntries(result.fields.filter((f) => f.error).map((f) => [f.name, f.error]));
    };
    expect(await errorsOf({ C: 'sometimes', 'infer.kinds': '' })).toEqual({
      C: 'expected "auto" or a number (got "sometimes")',
      'infer.kinds': 'tick at least one kind (artists, albums or tracks)',
    });
    expect(await errorsOf({ C: '0', listening: '-1' })).toEqual({
      C: 'must be "auto" or a number greater than 0',
      listening: 'must be "auto", "off" or a weight of 0 or more',
    });
    const shown = await settings.save({ ...form, C: 'sometimes' });
    expect(!shown.ok && shown.fields.find((f) => f.name === 'C')!.value).toBe('sometimes');
    expect(rows.size).toBe(0);
  });

  it('does not ask for a kind when the environment fixes the kinds', async () => {
    const { service } = fakeSettings({ RATING_INFER_KINDS: 'album' });
    const settings = modelSettings(service);
    const form = await defaultsForm(service);
    expect(form['infer.kinds']).toBe('album');
    // A disabled checkbox group sends nothing; the fixed value stands.
    expect((await settings.save({ ...form, 'infer.kinds': '' })).ok).toBe(true);
  });
});

const learned: ModelFit = {
  chosen: 'listening',
  constants: { cAlbum: 2.3456, cArtist: 6.1, beta: 0.52, gammaLevel: 0.3, gammaUnplayed: -0.46 },
  candidates: [
    { name: 'classic', constants: classicConstants(3), cvRmse: 1.42, cvBias: 0.08 },
    { name: 'estimated', constants: { ...classicConstants(3), cAlbum: 2.2, cArtist: 6 }, cvRmse: 1.36, cvBias: -0.02 },
    {
      name: 'listening',
      constants: { cAlbum: 2.3456, cArtist: 6.1, beta: 0.52, gammaLevel: 0.3, gammaUnplayed: -0.46 },
      cvRmse: 1.28,
      cvBias: 0.012,
    },
  ],
  reason:
    'the estimated confidence with listening predicts the held-out ratings best (5-fold cross-validation: 0.64★ against 0.71★ for the classic model)',
  ratings: 412,
  folds: 5,
  settings: { C: 'auto', listening: 'auto' },
  confidence: { cAlbum: 2.3456, cArtist: 6.1, sigma2Within: 2, tau2Album: 0.8, tau2Artist: 0.5 },
  listening: null,
  ms: 84.2,
};

describe('the learned model for people', () => {
  it('gives each candidate its expected error and bias in stars and marks the one in use', () => {
    const view = fitView(learned);
    expect(view.chosenLabel).toBe('Estimated confidence + listening');
    expect(view.reason).toMatch(/^The estimated confidence with listening predicts .*\)\.$/);
    expect(view.classicOnly).toBe(false);
    expect(view.candidates.map((c) => [c.label, c.error, c.bias, c.chosen])).toEqual([
      ['Classic (C = 3)', '0.71★', '+0.04★', false],
      ['Estimated confidence', '0.68★', '−0.01★', false],
      ['Estimated confidence + listening', '0.64★', '+0.01★', true],
    ]);
    expect(view.candidates.map((c) => c.detail)).toEqual([
      'one confidence for albums and artists, plays and skips ignored',
      'C = 2.2 for albums, 6 for artists',
      'C = 2.35 for albums, 6.1 for artists, plus plays and skips',
    ]);
  });

  it('says what each fitted number does, with at most two decimals', () => {
    const values = fitView(learned).values;
    expect(values.map((v) => v.value)).toEqual(['2.35', '6.1', '0.52 points', '0.3 points', '−0.46 points']);
    expect(values[0].meaning).toContain('as if 2.35 ratings sat there');
    expect(values[2].meaning).toContain('is rated +0.26★ against its album');
    expect(values[4].meaning).toContain('is rated −0.23★ against a played album of average listening');
  });

  it('says why the classic model is in use without cross-validation', () => {
    const view = fitView(
      classicFit(DEFAULT_RATING_PARAMS, 'only 12 manual track ratings (50 needed to learn from): the classic model', 12),
    );
    expect(view.classicOnly).toBe(true);
    expect(view.reason).toBe('Only 12 manual track ratings (50 needed to learn from): the classic model.');
    expect(view.candidates).toEqual([expect.objectContaining({ label: 'Classic (C = 3)', error: null, chosen: true })]);
    expect(view.values.at(-1)).toMatchObject({ label: 'Plays and skips', value: 'not used' });
  });

  it('names a fixed C in the labels and tells when the estimate lost to the classic model', () => {
    const fixed = fitView({ ...learned, settings: { C: 4, listening: 'auto' } });
    expect(fixed.candidates.map((c) => c.label)).toEqual(['Classic (C = 4)', 'Estimated confidence', 'C = 4 + listening']);
    const classicWon = fitView({ ...learned, chosen: 'classic', constants: classicConstants(3) });
    expect(classicWon.unused).toBe(
      'Your ratings suggested a confidence of 2.35 for albums and 6.1 for artists, but the classic C = 3 predicted them better.',
    );
  });

  it('signs a change in stars with two decimals', () => {
    expect(signedStars(0.6)).toBe('+0.30★');
    expect(signedStars(-0.013)).toBe('−0.01★');
  });
});
