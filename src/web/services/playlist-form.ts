// The playlist forms (prompt flow and seed flow) read into a request: filters, length, budget, provider,
// the seed's ticked dimensions. Every problem is reported against its field, in the person's words.
// Tags and artists are checked against the library (case and accents do not matter).
import { norm } from '../../domain/rating/text-match.js';
import { resolveFilters, type FilterSpec, type SeedDimension, type Vocabulary } from '../../domain/playlist/index.js';
import { PROVIDER_NAMES, type ProviderName } from '../../playlists/index.js';

export const LENGTH = { min: 10, max: 100, default: 25 };
export const BUDGET = { min: 20, max: 3000, default: 300 };

export interface FilterForm {
  genres: string;
  styles: string;
  moods: string;
  artists: string;
  decades: number[];
  minRating: string;
  includeInferred: boolean;
  excludeLive: boolean;
}

export interface PlaylistForm {
  prompt: string;
  provider: ProviderName;
  count: number;
  maxTracks: number;
  seedKey: string | null;
  keep: SeedDimension[];
  /** Every offered dimension (ticked or not), to show the form again. */
  dimensions: (SeedDimension & { kept: boolean })[];
  filters: FilterForm;
}

export interface ParsedForm {
  form: PlaylistForm;
  filters: FilterSpec;
  errors: Record<string, string>;
}

const list = (text: string): string[] => [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))].slice(0, 50);
const intIn = (raw: string | null, min: number, max: number, fallback: number): number | null => {
  if (raw === null || raw.trim() === '') return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
};

export function filterFormOf(filters: FilterSpec): FilterForm {
  return {
    genres: (filters.genres ?? []).join(', '), styles: (filters.styles ?? []).join(', '), moods: (filters.moods ?? []).join(', '),
    artists: (filters.artists ?? []).join(', '), decades: [...(filters.decades ?? [])],
    minRating: filters.minRating ? String(filters.minRating) : '', includeInferred: filters.includeInferred !== false, excludeLive: filters.excludeLive ?? true,
  };
}

export function emptyForm(provider: ProviderName): PlaylistForm {
  return { prompt: '', provider, count: LENGTH.default, maxTracks: BUDGET.default, seedKey: null, keep: [], dimensions: [], filters: filterFormOf({ includeInferred: true, excludeLive: true }) };
}

export function readPlaylistForm(body: URLSearchParams, vocabulary: Vocabulary, artistNames: readonly string[], fallbackProvider: ProviderName): ParsedForm {
  const errors: Record<string, string> = {};
  const providerRaw = body.get('provider') ?? fallbackProvider;
  const provider = (PROVIDER_NAMES as readonly string[]).includes(providerRaw) ? (providerRaw as ProviderName) : fallbackProvider;
  if (providerRaw !== provider) errors.provider = `unknown provider "${providerRaw}"`;
  const count = intIn(body.get('count'), LENGTH.min, LENGTH.max, LENGTH.default);
  if (count === null) errors.count = `Length must be a whole number from ${LENGTH.min} to ${LENGTH.max}.`;
  const maxTracks = intIn(body.get('max_tracks'), BUDGET.min, BUDGET.max, BUDGET.default);
  if (maxTracks === null) errors.max_tracks = `Max tracks to send must be a whole number from ${BUDGET.min} to ${BUDGET.max}.`;
  const prompt = (body.get('prompt') ?? '').trim().slice(0, 2000);
  const seedRaw = (body.get('seed') ?? '').trim();
  const seedKey = /^\d{1,12}$/.test(seedRaw) ? seedRaw : null;

  const dimensions: PlaylistForm['dimensions'] = [];
  for (let i = 0; i < 10 && body.has(`dim_${i}`); i++) {
    const dimension = (body.get(`dim_${i}`) ?? '').trim().slice(0, 60);
    const description = (body.get(`desc_${i}`) ?? '').trim().slice(0, 300);
    if (dimension && description) dimensions.push({ dimension, description, kept: body.getAll('keep').includes(String(i)) });
  }

  const decades = body.getAll('decades').map(Number).filter((d) => Number.isInteger(d) && d >= 1900 && d <= 2090 && d % 10 === 0);
  const ratingRaw = (body.get('min_rating') ?? '').trim();
  const form: PlaylistForm = {
    prompt, provider, count: count ?? LENGTH.default, maxTracks: maxTracks ?? BUDGET.default, seedKey,
    keep: dimensions.filter((d) => d.kept).map(({ dimension, description }) => ({ dimension, description })), dimensions,
    filters: {
      genres: body.get('genres') ?? '', styles: body.get('styles') ?? '', moods: body.get('moods') ?? '', artists: body.get('artists') ?? '',
      decades, minRating: ratingRaw, includeInferred: body.getAll('include_inferred').includes('true'), excludeLive: body.getAll('exclude_live').includes('true'),
    },
  };

  const given: FilterSpec = { includeInferred: form.filters.includeInferred, excludeLive: form.filters.excludeLive };
  for (const kind of ['genres', 'styles', 'moods'] as const) {
    const values = list(form.filters[kind]);
    if (values.length) given[kind] = values;
  }
  if (decades.length) given.decades = decades;
  if (ratingRaw) {
    const stars = Number(ratingRaw);
    if (!Number.isFinite(stars) || stars < 0 || stars > 5) errors.min_rating = 'Minimum rating is in stars, from 0 to 5.';
    else if (stars > 0) given.minRating = stars;
  }
  const { filters, unknown } = resolveFilters(given, vocabulary);
  for (const [kind, values] of Object.entries(unknown)) errors[kind] = `Not in your library: ${values.join(', ')}.`;
  const artists = list(form.filters.artists);
  if (artists.length) {
    const byNorm = new Map(artistNames.map((a) => [norm(a), a]));
    const missing = artists.filter((a) => !byNorm.has(norm(a)));
    if (missing.length) errors.artists = `Not in your library: ${missing.join(', ')}.`;
    filters.artists = artists.map((a) => byNorm.get(norm(a))).filter((a): a is string => a !== undefined);
  }
  if (!seedKey && !prompt) errors.prompt = 'Describe the playlist you want.';
  return { form, filters, errors };
}
