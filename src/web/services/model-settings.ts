// The rating model's parameters as the Settings page edits them: one field per parameter, saved as
// `RATING_<NAME>` rows (the same names as the environment overrides, which win). Validation is the
// domain's own (ratingParamsFromOverrides); a form with any problem saves nothing.
// Below: the learned model (the fit a full pass made) as the Settings, Reports and plan pages show it, in
// stars and plain words (partials/model-fit.eta).
import {
  DEFAULT_RATING_PARAMS,
  RatingParamsError,
  ratingParamsFromOverrides,
  type CandidateName,
  type FitCandidate,
  type ModelFit,
} from '../../domain/rating/index.js';
import type { SettingsService } from './settings.js';

/** `auto-number`: "auto" or a number (C); `listening`: "auto", "off" or a number; `kinds`: a checkbox per kind. */
export type ParamKind = 'number' | 'boolean' | 'list' | 'text' | 'auto-number' | 'listening' | 'kinds';
export type ParamGroup = 'model' | 'inference' | 'exclusion' | 'twins';

export interface ParamField {
  /** Dotted name, as the domain and its messages spell it. */
  name: string;
  group: ParamGroup;
  kind: ParamKind;
  label: string;
  help: string;
  step?: string;
  /** The checkboxes of a `kinds` field: the value each sends and its label. */
  options?: ReadonlyArray<{ value: string; label: string }>;
}

export const PARAM_FIELDS: readonly ParamField[] = [
  {
    name: 'C',
    group: 'model',
    kind: 'auto-number',
    label: 'Confidence (C)',
    help:
      'How many ratings an album’s or artist’s starting point counts for before your own ratings move it. ' +
      '“auto” estimates it from your ratings (one value for albums, one for artists) and keeps the estimate only ' +
      'when it predicts ratings you have not given better (cross-validation); a number greater than 0 fixes it. ' +
      '3 with listening “off” is exactly the classic model of RATING-MODEL.md.',
  },
  {
    name: 'listening',
    group: 'model',
    kind: 'listening',
    label: 'Listening',
    help:
      'How much plays and skips move a rating. “auto” learns it from your library and uses it only when it ' +
      'predicts your ratings better; “off” ignores listening; a number of 0 or more fixes the weight, in points ' +
      'per unit of play signal (ln(1 + plays) − ln(1 + skips)).',
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
    name: 'infer.kinds',
    group: 'inference',
    kind: 'kinds',
    label: 'Which kinds get inferred ratings',
    help:
      'Sagewire writes ratings only to the kinds ticked here (at least one). The others are still computed ' +
      'and still carry your ratings as evidence; they are just not written.',
    options: [
      { value: 'artist', label: 'Artists' },
      { value: 'album', label: 'Albums' },
      { value: 'track', label: 'Tracks' },
    ],
  },
  {
    name: 'exclude.genres',
    group: 'inference',
    kind: 'list',
    label: 'Excluded genres',
    help:
      'Comma-separated, not case-sensitive. Albums of these genres, and their tracks, stay untouched and ' +
      'unrated, and your ratings on them are not evidence for anything else.',
  },
  {
    name: 'exclude.artists',
    group: 'inference',
    kind: 'list',
    label: 'Excluded artists',
    help:
      'Comma-separated names or rating keys, not case-sensitive. These artists, their albums and tracks stay ' +
      'untouched and unrated, and your ratings on them are not evidence for anything else.',
  },
  {
    name: 'exclude.albums',
    group: 'inference',
    kind: 'list',
    label: 'Excluded albums',
    help:
      'Comma-separated titles or rating keys, not case-sensitive. These albums and their tracks stay untouched ' +
      'and unrated, and your ratings on them are not evidence for anything else.',
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
      const problems: string[] = [];
      try {
        ratingParamsFromOverrides(overrides);
      } catch (err) {
        if (!(err instanceof RatingParamsError)) throw err;
        problems.push(...err.problems);
      }
      // The domain accepts an empty list (nothing inferred at all); the page asks for at least one kind,
      // since a Sagewire that writes nothing is what dry-run mode is for.
      const kinds = fields.find((f) => f.kind === 'kinds');
      if (kinds && !kinds.fixedByEnv && words(kinds.value).length === 0) {
        problems.push(`${kinds.name}: tick at least one kind (artists, albums or tracks)`);
      }
      if (problems.length > 0) {
        const errors = new Map<string, string>();
        for (const problem of problems) {
          const cut = problem.indexOf(': ');
          const name = cut > 0 ? problem.slice(0, cut) : '';
          const field = PARAM_FIELDS.find((f) => f.name === name);
          if (field && !errors.has(field.name)) errors.set(field.name, problem.slice(cut + 2));
        }
        return { ok: false, fields: await view(form, errors), problems };
      }
      const changes: Record<string, string | null> = {};
      for (const f of fields) {
        if (f.fixedByEnv) continue;
        // Only departures from the defaults are stored, so a future default applies to untouched fields.
        changes[f.key] = sameAsDefault(f) ? null : storedText(f);
      }
      return { ok: true, changed: await settings.save(changes) };
    },
  };
}

const words = (s: string): string[] =>
  s
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);

/** A field's text as saved: trimmed; the words of C and listening in lower case, the kinds in their order. */
function storedText(f: ParamView): string {
  const value = f.value.trim();
  if (f.kind === 'kinds') return words(value).join(', ');
  if (f.kind === 'auto-number' || f.kind === 'listening') return Number.isFinite(Number(value)) ? value : value.toLowerCase();
  return value;
}

function sameAsDefault(f: ParamView): boolean {
  const norm = (s: string): string => {
    switch (f.kind) {
      case 'list':
        return words(s).join(',');
      case 'kinds':
        return words(s).sort().join(',');
      case 'number':
        return String(Number(s));
      case 'auto-number':
      case 'listening': {
        const text = s.trim().toLowerCase();
        return text !== '' && Number.isFinite(Number(text)) ? String(Number(text)) : text;
      }
      default:
        return s.trim();
    }
  };
  return norm(f.value) === norm(f.defaultValue);
}

// ── The learned model, as the pages show it ───────────────────────────────────────────────────────

export interface FitCandidateView {
  name: CandidateName;
  label: string;
  /** The candidate's constants, in words ("C = 2.4 for albums, 5.1 for artists"). */
  detail: string;
  /** Cross-validated RMSE in stars ("0.64★"), or null when it was not cross-validated. */
  error: string | null;
  /** Mean signed error in stars ("+0.03★"), or null. */
  bias: string | null;
  chosen: boolean;
}

export interface FitValueView {
  label: string;
  value: string;
  /** What the number does, in a sentence. */
  meaning: string;
}

export interface FitView {
  chosen: CandidateName;
  /** "Estimated confidence + listening". */
  chosenLabel: string;
  /** The fit's reason, as a sentence. */
  reason: string;
  /** The classic model without cross-validation (too few ratings, nothing to compare, or set so). */
  classicOnly: boolean;
  ratings: number;
  folds: number;
  candidates: FitCandidateView[];
  values: FitValueView[];
  /** What the estimator found, when the chosen model does not use it (the classic model won). */
  unused: string | null;
  ms: number;
}

/** Up to two decimals, no trailing zeros: 2.3456 → "2.35", 3 → "3". */
const twoDecimals = (n: number): string => String(Math.round(n * 100) / 100);

/** A model constant in points, with a real minus sign: −0.46 → "−0.46 points". */
const pointsText = (n: number): string => `${n < 0 ? '−' : ''}${twoDecimals(Math.abs(n))} points`;

/** Points as stars with a sign and two decimals: 0.06 → "+0.03★", −0.5 → "−0.25★". */
export const signedStars = (points: number): string => {
  const stars = Math.round((points / 2) * 100) / 100;
  return `${stars < 0 ? '−' : '+'}${Math.abs(stars).toFixed(2)}★`;
};

const sentence = (text: string): string => {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  return `${trimmed[0].toUpperCase()}${trimmed.slice(1)}${/[.!?]$/.test(trimmed) ? '' : '.'}`;
};

function candidateLabel(name: CandidateName, fit: ModelFit): string {
  const fixedC = typeof fit.settings?.C === 'number' ? fit.settings.C : null;
  if (name === 'classic') return `Classic (C = ${twoDecimals(fixedC ?? 3)})`;
  if (name === 'estimated') return 'Estimated confidence';
  return fixedC === null ? 'Estimated confidence + listening' : `C = ${twoDecimals(fixedC)} + listening`;
}

function candidateDetail(c: FitCandidate): string {
  const k = c.constants;
  if (c.name === 'classic') return 'one confidence for albums and artists, plays and skips ignored';
  const confidence =
    Math.abs(k.cAlbum - k.cArtist) < 0.005
      ? `C = ${twoDecimals(k.cAlbum)}`
      : `C = ${twoDecimals(k.cAlbum)} for albums, ${twoDecimals(k.cArtist)} for artists`;
  return c.name === 'listening' ? `${confidence}, plus plays and skips` : confidence;
}

/** A fit (domain ModelFit, in points) for people: errors in stars, the constants in plain words. */
export function fitView(fit: ModelFit): FitView {
  const k = fit.constants;
  const candidates: FitCandidateView[] = fit.candidates.map((c) => ({
    name: c.name,
    label: candidateLabel(c.name, fit),
    detail: candidateDetail(c),
    error: c.cvRmse === null ? null : `${(c.cvRmse / 2).toFixed(2)}★`,
    bias: c.cvBias === null ? null : signedStars(c.cvBias),
    chosen: c.name === fit.chosen,
  }));
  const values: FitValueView[] = [
    {
      label: 'Confidence in an album’s starting point',
      value: twoDecimals(k.cAlbum),
      meaning:
        `An album starts at its artist’s value (or the library’s mean) as if ${twoDecimals(k.cAlbum)} ratings sat there; ` +
        'each track of it you rate counts as one more. The lower it is, the sooner your own ratings decide.',
    },
    {
      label: 'Confidence in an artist’s starting point',
      value: twoDecimals(k.cArtist),
      meaning:
        `An artist starts at the library’s mean as if ${twoDecimals(k.cArtist)} albums sat there; ` +
        'each of its albums with ratings of yours counts as one more.',
    },
  ];
  const listens = k.beta !== 0 || k.gammaLevel !== 0 || k.gammaUnplayed !== 0;
  if (listens) {
    values.push(
      {
        label: 'Plays within an album (β)',
        value: pointsText(k.beta),
        meaning:
          `A track played about 2.7 times as much as the rest of its album (one unit of play signal; skips count ` +
          `against it) is rated ${signedStars(k.beta)} against its album.`,
      },
      {
        label: 'How much an album is played (γ level)',
        value: pointsText(k.gammaLevel),
        meaning: `An album played about 2.7 times as much as your average played album is rated ${signedStars(k.gammaLevel)} against it.`,
      },
      {
        label: 'Albums never played (γ never played)',
        value: pointsText(k.gammaUnplayed),
        meaning: `An album you never played is rated ${signedStars(k.gammaUnplayed)} against a played album of average listening.`,
      },
    );
  } else {
    values.push({
      label: 'Plays and skips',
      value: 'not used',
      meaning:
        fit.settings?.listening === 'off'
          ? 'Listening is off in the settings.'
          : fit.chosen === 'listening'
            ? 'Your plays and skips move nothing.'
            : fit.candidates.some((c) => c.name === 'listening' && c.cvRmse !== null)
              ? 'Taking them into account did not predict your ratings better.'
              : 'There is no listening history (or too little) to learn from.',
    });
  }
  const estimated = fit.confidence;
  const unused =
    fit.chosen === 'classic' && estimated && typeof fit.settings?.C !== 'number'
      ? `Your ratings suggested a confidence of ${twoDecimals(estimated.cAlbum)} for albums and ` +
        `${twoDecimals(estimated.cArtist)} for artists, but the classic C = 3 predicted them better.`
      : null;
  return {
    chosen: fit.chosen,
    chosenLabel: candidateLabel(fit.chosen, fit),
    reason: sentence(fit.reason),
    classicOnly: fit.chosen === 'classic' && !fit.candidates.some((c) => c.cvRmse !== null),
    ratings: fit.ratings,
    folds: fit.folds,
    candidates,
    values,
    unused,
    ms: fit.ms,
  };
}
