// The rating model's parameters as the Settings page edits them: one field per parameter, saved as
// `RATING_<NAME>` rows (the same names as the environment overrides, which win). Validation is the
// domain's own (ratingParamsFromOverrides); a form with any problem saves nothing.
import { DEFAULT_RATING_PARAMS, RatingParamsError, ratingParamsFromOverrides } from '../../domain/rating/index.js';
import type { SettingsService } from './settings.js';

export type ParamKind = 'number' | 'boolean' | 'list' | 'text';
export type ParamGroup = 'model' | 'exclusion' | 'twins';

export interface ParamField {
  /** Dotted name, as the domain and its messages spell it. */
  name: string;
  group: ParamGroup;
  kind: ParamKind;
  label: string;
  help: string;
  step?: string;
}

export const PARAM_FIELDS: readonly ParamField[] = [
  {
    name: 'C',
    group: 'model',
    kind: 'number',
    step: '0.1',
    label: 'Confidence (C)',
    help:
      'How many “virtual” ratings at the prior an estimate starts with: higher values need more of your ratings ' +
      'before an album or artist moves away from the prior. Must be greater than 0.',
  },
  {
    name: 'W_global',
    group: 'model',
    kind: 'number',
    step: '0.1',
    label: 'Prior weight (W_global)',
    help: 'Weight of the library-wide prior μ when an album also has a critic rating.',
  },
  {
    name: 'W_critic',
    group: 'model',
    kind: 'number',
    step: '0.1',
    label: 'Critic weight (W_critic)',
    help: 'Weight of the album’s critic signal next to the prior; 0 ignores critic ratings.',
  },
  {
    name: 'g_album',
    group: 'model',
    kind: 'number',
    step: '0.05',
    label: 'Album gravity (g_album)',
    help: 'How strongly an album leans towards an artist you rated by hand (0 = not at all, 1 = fully).',
  },
  {
    name: 'g_track',
    group: 'model',
    kind: 'number',
    step: '0.05',
    label: 'Track gravity (g_track)',
    help: 'How strongly a track leans towards an album you rated by hand (0 = not at all, 1 = fully).',
  },
  {
    name: 'fill_unknown',
    group: 'model',
    kind: 'boolean',
    label: 'Fill unknown items',
    help: 'Items with no evidence anywhere above them still get the prior μ; off leaves them unrated.',
  },
  {
    name: 'precision',
    group: 'model',
    kind: 'text',
    label: 'Precision (ε)',
    help:
      '“dynamic” sizes ε from the library (0.02 points below 1,000 tracks, 0.07 at 300,000); “fixed:X” uses X points. ' +
      'Values that move less than ε are not rewritten.',
  },
  {
    name: 'grid',
    group: 'model',
    kind: 'number',
    step: '0.05',
    label: 'Grid',
    help:
      'Written values are rounded to this step and never land on a whole point, so an inferred rating is never one ' +
      'you could have clicked. 0.1, 0.2, 0.25 or 0.5.',
  },
  {
    name: 'exclusion.min_duration_s',
    group: 'exclusion',
    kind: 'number',
    step: '1',
    label: 'Minimum duration (seconds)',
    help: 'Tracks shorter than this do not count as evidence for their album.',
  },
  {
    name: 'exclusion.keywords',
    group: 'exclusion',
    kind: 'list',
    label: 'Excluded title words',
    help: 'Comma-separated; a track whose title contains one of these as a whole word does not count as evidence.',
  },
  {
    name: 'twins.enabled',
    group: 'twins',
    kind: 'boolean',
    label: 'Rate twins',
    help: 'The same recording on several albums (studio album, best-of, compilation) shares your rating.',
  },
  {
    name: 'twins.duration_tolerance_s',
    group: 'twins',
    kind: 'number',
    step: '1',
    label: 'Duration tolerance (seconds)',
    help: 'Twins must be within this many seconds of their group’s median duration.',
  },
  {
    name: 'twins.exclude_keywords',
    group: 'twins',
    kind: 'list',
    label: 'Twin-excluding words',
    help: 'Comma-separated; a track or album title with one of these whole words is never a twin.',
  },
  {
    name: 'twins.exclude_bracketed',
    group: 'twins',
    kind: 'boolean',
    label: 'Skip bracketed titles',
    help: 'A track title with (…) or […] is never a twin candidate.',
  },
  {
    name: 'twins.exclude_live_albums',
    group: 'twins',
    kind: 'boolean',
    label: 'Skip live albums',
    help: 'Tracks on albums marked Live, or with the word “live” in the title, are never twins.',
  },
];

/** `twins.duration_tolerance_s` → `RATING_TWINS_DURATION_TOLERANCE_S` (the environment's spelling). */
export const settingKey = (name: string): string => `RATING_${name.replaceAll('.', '_').toUpperCase()}`;
/** The form field's name: dots are fine in names but not in ids, so both use the key. */
export const fieldId = (name: string): string => settingKey(name).toLowerCase();

function defaultText(name: string): string {
  const value = name.split('.').reduce<unknown>((obj, part) => (obj as Record<string, unknown>)[part], DEFAULT_RATING_PARAMS);
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export interface ParamView extends ParamField {
  key: string;
  id: string;
  value: string;
  defaultValue: string;
  fixedByEnv: boolean;
  error: string | null;
}

export type ModelSaveResult = { ok: true; changed: string[] } | { ok: false; fields: ParamView[]; problems: string[] };

export interface ModelSettings {
  current(): Promise<ParamView[]>;
  /** Validates the submitted fields (text by dotted name, forms/settings.ts) as a whole; saves only when every field is valid. */
  save(form: Record<string, string>): Promise<ModelSaveResult>;
}

export function modelSettings(settings: SettingsService): ModelSettings {
  const view = async (submitted?: Record<string, string>, errors: Map<string, string> = new Map()): Promise<ParamView[]> =>
    Promise.all(
      PARAM_FIELDS.map(async (field) => {
        const key = settingKey(field.name);
        const fixed = settings.fixedByEnv(key);
        const stored = (await settings.get(key)).value;
        const value = !fixed && submitted ? (submitted[field.name] ?? '') : (stored ?? defaultText(field.name));
        return {
          ...field,
          key,
          id: fieldId(field.name),
          value,
          defaultValue: defaultText(field.name),
          fixedByEnv: fixed,
          error: errors.get(field.name) ?? null,
        };
      }),
    );
  return {
    current: () => view(),
    async save(form) {
      const fields = await view(form);
      const overrides = Object.fromEntries(fields.map((f) => [f.name, f.value]));
      try {
        ratingParamsFromOverrides(overrides);
      } catch (err) {
        if (!(err instanceof RatingParamsError)) throw err;
        const errors = new Map<string, string>();
        for (const problem of err.problems) {
          const cut = problem.indexOf(': ');
          const name = cut > 0 ? problem.slice(0, cut) : '';
          const field = PARAM_FIELDS.find((f) => f.name === name);
          if (field) errors.set(field.name, problem.slice(cut + 2));
        }
        return { ok: false, fields: await view(form, errors), problems: err.problems };
      }
      const changes: Record<string, string | null> = {};
      for (const f of fields) {
        if (f.fixedByEnv) continue;
        // Only departures from the defaults are stored, so a future default applies to untouched fields.
        changes[f.key] = sameAsDefault(f) ? null : f.value.trim();
      }
      return { ok: true, changed: await settings.save(changes) };
    },
  };
}

function sameAsDefault(f: ParamView): boolean {
  const norm = (s: string) =>
    f.kind === 'list'
      ? s
          .split(',')
          .map((w) => w.trim().toLowerCase())
          .filter(Boolean)
          .join(',')
      : f.kind === 'number'
        ? String(Number(s))
        : s.trim();
  return norm(f.value) === norm(f.defaultValue);
}
