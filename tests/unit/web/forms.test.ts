// The admin forms' schemas: a valid form gives the typed value the handler uses, and each invalid field
// gives its own message, named as the page names it.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { behaviourForm, behaviourView } from '../../../src/web/forms/behaviour.js';
import { explorerQuery, planQuery, reportsQuery } from '../../../src/web/forms/browse.js';
import { loginForm } from '../../../src/web/forms/login.js';
import { check, rawOf, type RawInput } from '../../../src/web/forms/parse.js';
import { playlistForm } from '../../../src/web/forms/playlist.js';
import { artQuery, historyParams, reviewEditForm, reviewSaveForm } from '../../../src/web/forms/playlists.js';
import {
  applyImportForm,
  exportQuery,
  importForm,
  reEnableForm,
  recoverForm,
  retryDeadForm,
  undoAllForm,
  undoParams,
  verifyForm,
} from '../../../src/web/forms/ratings.js';
import { modelForm, passwordForm, playlistSettingsForm } from '../../../src/web/forms/settings.js';
import { setupForm } from '../../../src/web/forms/setup.js';
import type { SecretState } from '../../../src/secrets/binding.js';

const open = { inferredTag: false, webhooks: false, reconcileMinutes: false, dryRun: false };
const behaviour = {
  inferred_tag_enabled: ['false', 'true'],
  inferred_tag: ' Mood ',
  webhooks: 'off',
  reconcile_minutes: '15',
  dry_run: 'false',
};
const noToken: SecretState = { secret: null, secretFromEnv: false, url: null, urlFromEnv: false, recorded: null };
const setup = (over: Partial<Parameters<typeof setupForm>[0]> = {}) =>
  setupForm({
    fixed: { plexUrl: false, plexToken: false, library: false },
    behaviourFixed: open,
    tokenSet: false,
    token: noToken,
    ...over,
  });
const setupFields = { plex_url: 'http://plex.local:32400/', plex_token: ' abc123 ', plex_library: ' Music ', ...behaviour };
const entry = { title: 'Rainy', tracks: ['1', '2', '3'].map((ratingKey) => ({ ratingKey })) } as unknown as Parameters<
  typeof reviewSaveForm
>[0];

interface Case {
  name: string;
  schema: z.ZodType;
  raw: RawInput;
  /** The value, or the problems by field. */
  value?: unknown;
  errors?: Record<string, string>;
}

const cases: Case[] = [
  {
    name: 'login',
    schema: loginForm,
    raw: { _csrf: 't', password: 'pw', next: '//evil.example/x' },
    value: { next: '/', password: 'pw', csrf: 't' },
  },
  { name: 'login without fields', schema: loginForm, raw: {}, value: { next: '/', password: '', csrf: '' } },
  {
    name: 'behaviour',
    schema: behaviourForm(open),
    raw: behaviour,
    value: { INFERRED_TAG: 'Mood', WEBHOOKS: 'off', RECONCILE_MINUTES: '15', DRY_RUN: 'false' },
  },
  {
    name: 'behaviour, tag off and empty',
    schema: behaviourForm(open),
    raw: { ...behaviour, inferred_tag_enabled: 'false', inferred_tag: '' },
    value: { INFERRED_TAG: '', WEBHOOKS: 'off', RECONCILE_MINUTES: '15', DRY_RUN: 'false' },
  },
  {
    name: 'behaviour, fixed fields not read',
    schema: behaviourForm({ inferredTag: true, webhooks: true, reconcileMinutes: true, dryRun: false }),
    raw: { reconcile_minutes: 'x' },
    value: { DRY_RUN: 'false' },
  },
  {
    name: 'behaviour, long tag',
    schema: behaviourForm(open),
    raw: { ...behaviour, inferred_tag: 'x'.repeat(65) },
    errors: { inferred_tag: 'must be at most 64 characters' },
  },
  {
    name: 'behaviour, tag with a comma',
    schema: behaviourForm(open),
    raw: { ...behaviour, inferred_tag: 'a,b' },
    errors: { inferred_tag: 'must not contain commas or control characters' },
  },
  ...['0', '1441', '1.5', 'ten', ''].map((minutes) => ({
    name: `behaviour, reconcile ${JSON.stringify(minutes)}`,
    schema: behaviourForm(open),
    raw: { ...behaviour, reconcile_minutes: minutes },
    errors: { reconcile_minutes: 'must be a whole number of minutes from 1 to 1440' },
  })),
  {
    name: 'setup',
    schema: setup(),
    raw: setupFields,
    value: {
      plex: { PLEX_URL: 'http://plex.local:32400', PLEX_TOKEN: 'abc123', PLEX_MUSIC_LIBRARY: 'Music' },
      behaviour: { INFERRED_TAG: 'Mood', WEBHOOKS: 'off', RECONCILE_MINUTES: '15', DRY_RUN: 'false' },
    },
  },
  {
    name: 'setup, every field wrong',
    schema: setup(),
    raw: { ...setupFields, plex_url: 'ftp://x', plex_token: '', plex_library: ' ', reconcile_minutes: '0' },
    errors: {
      plex_url: 'Enter the address of your Plex server, starting with http:// or https://, like http://192.168.1.10:32400',
      plex_token: 'Paste your Plex token.',
      plex_library: 'Choose the music library Sagewire should look after.',
      reconcile_minutes: 'must be a whole number of minutes from 1 to 1440',
    },
  },
  {
    name: 'setup, token with a space',
    schema: setup(),
    raw: { ...setupFields, plex_token: 'a b' },
    errors: { plex_token: 'That does not look like a Plex token (no spaces, at most 256 characters).' },
  },
  {
    name: 'setup, saved token kept for a new URL',
    raw: { ...setupFields, plex_url: 'http://other:32400', plex_token: '' },
    schema: setup({
      tokenSet: true,
      token: {
        secret: 'saved',
        secretFromEnv: false,
        url: 'http://plex.local:32400',
        urlFromEnv: false,
        recorded: 'http://plex.local:32400',
      },
    }),
    errors: {
      plex_token:
        'The saved token is only sent to the server it was saved for (http://plex.local:32400). ' +
        'To test or save another server, type its token in the token field too.',
    },
  },
  {
    name: 'setup, fixed fields not read',
    schema: setup({ fixed: { plexUrl: true, plexToken: true, library: true } }),
    raw: { ...behaviour, plex_url: 'nonsense' },
    value: { plex: {}, behaviour: { INFERRED_TAG: 'Mood', WEBHOOKS: 'off', RECONCILE_MINUTES: '15', DRY_RUN: 'false' } },
  },
  {
    name: 'password',
    schema: passwordForm,
    raw: { current_password: 'a', new_password: 'b', confirm_password: 'c' },
    value: { current: 'a', next: 'b', confirm: 'c' },
  },
  {
    name: 'playlist settings, model with a space',
    schema: playlistSettingsForm,
    raw: { llm_model_analysis_openai: 'gpt 5' },
    errors: { llm_model_analysis_openai: 'a model name has no spaces and at most 200 characters' },
  },
  { name: 'verify', schema: verifyForm, raw: { fix: 'on' }, value: { fix: true } },
  { name: 'verify without fix', schema: verifyForm, raw: {}, value: { fix: false } },
  {
    name: 'recover',
    schema: recoverForm,
    raw: { from_tags: '1', state_file: null },
    value: { fromTags: true, fromFractional: false, stateFile: null, dryRun: false },
  },
  {
    name: 'recover without a source',
    schema: recoverForm,
    raw: { dry_run: '1', state_file: null },
    errors: { from_tags: 'Choose at least one source: the inferred tag, fractional ratings, or a plex_state.json file.' },
  },
  { name: 'export', schema: exportQuery, raw: {}, value: { type: 'tracks' } },
  { name: 'export albums', schema: exportQuery, raw: { type: 'albums' }, value: { type: 'albums' } },
  { name: 'export of nothing', schema: exportQuery, raw: { type: 'songs' }, errors: { type: 'type must be tracks, albums or artists' } },
  { name: 'import without a file', schema: importForm, raw: { csv: null }, errors: { csv: 'Choose a CSV file to import.' } },
  { name: 'apply import', schema: applyImportForm, raw: { id: 'abc', apply_valid: 'true' }, value: { id: 'abc', applyValid: true } },
  { name: 'undo params', schema: undoParams, raw: { id: '12' }, value: { id: 12 } },
  ...['0', '-1', 'x', '1.5'].map((id) => ({
    name: `undo params ${id}`,
    schema: undoParams,
    raw: { id },
    errors: { id: 'There is no such item.' },
  })),
  { name: 'undo all', schema: undoAllForm, raw: { confirm: ' UNDO ALL ' }, value: { confirm: 'UNDO ALL' } },
  {
    name: 'undo all, wrong words',
    schema: undoAllForm,
    raw: { confirm: 'undo all' },
    errors: { confirm: 'Type UNDO ALL to confirm undoing everything Sagewire wrote.' },
  },
  { name: 'retry one', schema: retryDeadForm, raw: { id: '7' }, value: { id: 7 } },
  { name: 'retry all', schema: retryDeadForm, raw: {}, value: { id: undefined } },
  { name: 're-enable', schema: reEnableForm, raw: { key: ['1', '', '2'] }, value: { key: ['1', '2'] } },
  { name: 're-enable nothing', schema: reEnableForm, raw: { key: '' }, errors: { key: 'Choose at least one item to re-enable.' } },
  {
    name: 'explorer',
    schema: explorerQuery,
    raw: { q: `  ${'a'.repeat(250)}`, kind: 'album' },
    value: { q: 'a'.repeat(198), kind: 'album' },
  },
  { name: 'explorer, unknown kind', schema: explorerQuery, raw: { q: 'x', kind: 'song' }, value: { q: 'x', kind: undefined } },
  { name: 'reports', schema: reportsQuery, raw: { kind: 'nope' }, value: { kind: 'track' } },
  {
    name: 'plan',
    schema: planQuery,
    raw: { kind: 'album', reason: 'moved', q: 'x', sort: 'change', dir: 'desc', page: '3' },
    value: { kind: 'album', reason: 'moved', q: 'x', sort: 'change', dir: 'desc', page: 3 },
  },
  {
    name: 'plan, anything else',
    schema: planQuery,
    raw: { kind: 'x', reason: 'x', sort: 'x', dir: 'x', page: '-2' },
    value: { kind: '', reason: '', q: '', sort: 'artist', dir: 'asc', page: 1 },
  },
  { name: 'history id', schema: historyParams, raw: { id: 'x' }, errors: { id: 'There is no such generation in the history.' } },
  {
    name: 'art',
    schema: artQuery,
    raw: { path: '/etc/passwd' },
    errors: { path: 'path: expected a Plex artwork path (/library/metadata/<id>/thumb/<timestamp>)' },
  },
  {
    name: 'review edit',
    schema: reviewEditForm(entry),
    raw: { keys: ['2', '9', '1', '2'], title: ' ', op: 'up:1' },
    value: { keys: ['2', '1'], title: 'Rainy', op: { op: 'up', key: '1' } },
  },
  {
    name: 'review edit, no op',
    schema: reviewEditForm(entry),
    raw: { keys: '1', title: 'T' },
    value: { keys: ['1'], title: 'T', op: null },
  },
  {
    name: 'review edit, bad op',
    schema: reviewEditForm(entry),
    raw: { keys: '1', op: 'shuffle:1' },
    errors: { op: 'op: expected up:, down: or remove: followed by a track of this playlist' },
  },
  {
    name: 'review save',
    schema: reviewSaveForm(entry),
    raw: { keys: ['3'], title: 'T', mode: 'append', playlist: ' 42 ' },
    value: { mode: 'append', keys: ['3'], title: 'T', playlist: '42', confirm_replace: false },
  },
  {
    name: 'review save, replace confirmed',
    schema: reviewSaveForm(entry),
    raw: { keys: ['3'], title: 'T', mode: 'replace', playlist: '42', confirm_replace: '1' },
    value: { mode: 'replace', keys: ['3'], title: 'T', playlist: '42', confirm_replace: true },
  },
  {
    name: 'review save, bad mode',
    schema: reviewSaveForm(entry),
    raw: { keys: ['3'], mode: 'merge' },
    errors: { mode: 'mode: expected create, replace or append' },
  },
  {
    name: 'review save, empty',
    schema: reviewSaveForm(entry),
    raw: { keys: ['9'] },
    errors: { keys: 'keys: the playlist is empty; keep at least one track' },
  },
  {
    name: 'review save, no playlist',
    schema: reviewSaveForm(entry),
    raw: { keys: ['3'], mode: 'replace' },
    errors: { playlist: 'playlist: choose the Plex playlist to replace' },
  },
];

describe('admin form schemas', () => {
  it.each(cases)('$name', ({ schema, raw, value, errors }) => {
    const checked = check(schema, raw);
    if (errors) {
      expect(checked).toMatchObject({ ok: false, errors });
      expect(checked.ok === false && checked.first).toBe(Object.values(errors)[0]);
    } else {
      expect(checked).toEqual({ ok: true, value });
    }
  });

  it('reads a repeated field as its values and a single one as its value', () => {
    expect(rawOf(new URLSearchParams('a=1&b=2&b=3'))).toEqual({ a: '1', b: ['2', '3'] });
  });

  it('names the field of a problem without its own message', () => {
    expect(check(verifyForm, { fix: { nested: true } })).toMatchObject({
      ok: false,
      errors: { fix: 'fix: missing or not a single value' },
    });
  });

  it('reads the model parameters by their dotted names, a checkbox as true or false', () => {
    const checked = check(modelForm, { rating_c: '3.5', rating_twins_enabled: ['false', 'true'] });
    expect(checked.ok && checked.value).toMatchObject({ C: '3.5', 'twins.enabled': 'true', fill_unknown: 'false', grid: '' });
  });

  it('shows the behaviour as submitted, fixed fields as they are', () => {
    const current = {
      inferredTagEnabled: true,
      inferredTag: 'Rating_Inferred',
      webhooks: 'on' as const,
      reconcileMinutes: '10',
      dryRun: false,
      fixed: { ...open, dryRun: true },
      errors: {},
    };
    const view = behaviourView(current, { ...behaviour, dry_run: 'true', reconcile_minutes: ' 0 ' }, { reconcile_minutes: 'bad' });
    expect(view).toMatchObject({
      inferredTagEnabled: true,
      inferredTag: 'Mood',
      webhooks: 'off',
      reconcileMinutes: '0',
      dryRun: false,
      errors: { reconcileMinutes: 'bad' },
    });
  });
});

describe('the playlist form', () => {
  const library = {
    vocabulary: { genres: [{ tag: 'Rock', count: 3 }], styles: [], moods: [{ tag: 'Melancholy', count: 2 }], decades: [1990] },
    artists: ['Björk'],
  } as unknown as Parameters<typeof playlistForm>[0];
  const parse = (raw: RawInput) => {
    const checked = check(playlistForm(library, 'offline'), raw);
    if (!checked.ok) throw new Error('the playlist form is never refused as a whole');
    return checked.value;
  };

  it('reads a valid form into the request, the filters resolved against the library', () => {
    const { form, filters, errors, suggestionId } = parse({
      prompt: ' rain ',
      provider: 'openai',
      count: '30',
      max_tracks: '',
      genres: 'rock',
      moods: 'melancholy',
      artists: 'bjork',
      decades: ['1990', '1995'],
      min_rating: '3.5',
      include_inferred: ['false', 'true'],
      exclude_live: 'false',
      suggestion: 's1',
      dim_0: 'Tempo',
      desc_0: 'slow',
      dim_1: 'Voice',
      desc_1: 'breathy',
      keep: '1',
    });
    expect(errors).toEqual({});
    expect(form).toMatchObject({
      prompt: 'rain',
      provider: 'openai',
      count: 30,
      maxTracks: 300,
      keep: [{ dimension: 'Voice', description: 'breathy' }],
    });
    expect(filters).toMatchObject({
      genres: ['Rock'],
      moods: ['Melancholy'],
      artists: ['Björk'],
      decades: [1990],
      minRating: 3.5,
      includeInferred: true,
      excludeLive: false,
    });
    expect(suggestionId).toBe('s1');
  });

  it.each([
    [{ provider: 'mystery' }, 'provider', 'unknown provider "mystery"'],
    [{ count: '500' }, 'count', 'Length must be a whole number from 10 to 100.'],
    [{ count: '12.5' }, 'count', 'Length must be a whole number from 10 to 100.'],
    [{ max_tracks: 'lots' }, 'max_tracks', 'Max tracks to send must be a whole number from 20 to 3000.'],
    [{ min_rating: '6' }, 'min_rating', 'Minimum rating is in stars, from 0 to 5.'],
    [{ genres: 'Polka From Mars' }, 'genres', 'Not in your library: Polka From Mars.'],
    [{ artists: 'Nobody' }, 'artists', 'Not in your library: Nobody.'],
    [{ prompt: '' }, 'prompt', 'Describe the playlist you want.'],
  ])('%j → %s', (over, field, message) => {
    const { form, errors } = parse({ prompt: 'rain', ...over });
    expect(errors).toEqual({ [field]: message });
    expect(form.count).toBe(25); // a bad number shows the default again
  });
});
