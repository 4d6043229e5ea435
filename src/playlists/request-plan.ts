// From a request to (hard filters, ranking preferences). Filters the person gave are taken as given, and a
// value the library does not have is a 400 naming the field. Filters the analysis model suggested are
// cleaned instead (unknown values dropped with a warning) and, when they leave fewer tracks than asked
// for, relaxed one kind at a time — moods, then styles, then decades, then the minimum rating, then "most played".
// Listening wishes arrive as filters already (offline and model replies share one mapping), with any value
// the reader left out among the warnings.
import { norm } from '../domain/rating/text-match.js';
import { resolveFilters, type AnalysisReply, type FilterSpec, type RankSpec, type Vocabulary } from '../domain/playlist/index.js';

export class RequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'RequestError';
  }
}

export interface RequestPlan {
  filters: FilterSpec;
  rank: RankSpec;
  /** The request is *by* these artists: caps lifted for them. */
  hardArtists: boolean;
  warnings: string[];
}

export interface PlanContext {
  vocabulary: Vocabulary;
  /** Library spellings of the names that exist (normalised comparison). */
  knownArtists: (names: readonly string[]) => string[];
  artistTags: (names: readonly string[]) => { genres: string[]; styles: string[] };
  count: (filters: FilterSpec) => number;
  variety: number;
}

function rankFor(filters: FilterSpec, favoured: readonly string[], variety: number): RankSpec {
  return {
    genres: [...(filters.genres ?? [])],
    styles: [...(filters.styles ?? [])],
    moods: [...(filters.moods ?? [])],
    artists: [...favoured],
    year: null,
    seed: variety,
  };
}

export function planFromFilters(given: FilterSpec, ctx: PlanContext): RequestPlan {
  const { filters, unknown } = resolveFilters(given, ctx.vocabulary);
  for (const [field, values] of Object.entries(unknown)) {
    throw new RequestError(`filters.${field}`, `not in the library: ${values.map((v) => `"${v}"`).join(', ')}`);
  }
  if (given.artists?.length) {
    const known = ctx.knownArtists(given.artists);
    const missing = given.artists.filter((a) => !known.some((k) => norm(k) === norm(a)));
    if (missing.length) throw new RequestError('filters.artists', `not in the library: ${missing.map((v) => `"${v}"`).join(', ')}`);
    filters.artists = known;
  }
  return {
    filters,
    rank: rankFor(filters, filters.artists ?? [], ctx.variety),
    hardArtists: Boolean(filters.artists?.length),
    warnings: [],
  };
}

export function planFromAnalysis(analysis: AnalysisReply, count: number, ctx: PlanContext): RequestPlan {
  const warnings: string[] = [...(analysis.warnings ?? [])];
  const suggested: FilterSpec = {
    genres: analysis.genres,
    styles: analysis.styles,
    moods: analysis.moods,
    decades: analysis.decades,
    excludeLive: analysis.excludeLive,
    includeInferred: true,
    ...(analysis.minRating !== null ? { minRating: analysis.minRating } : {}),
    ...analysis.listening,
  };
  const { filters, unknown } = resolveFilters(suggested, ctx.vocabulary);
  for (const [field, values] of Object.entries(unknown)) warnings.push(`ignored ${field} the library does not have: ${values.join(', ')}`);
  const byArtists = ctx.knownArtists(analysis.artists);
  const likeArtists = ctx.knownArtists(analysis.likeArtists);
  if (byArtists.length) filters.artists = byArtists;
  for (const key of ['genres', 'styles', 'moods', 'decades'] as const) if (filters[key]?.length === 0) delete filters[key];

  for (const key of ['moods', 'styles', 'decades', 'minRating', 'minPlays'] as const) {
    if (filters[key] === undefined || ctx.count(filters) >= count) continue;
    warnings.push(`relaxed ${key} (${JSON.stringify(filters[key])}): too few tracks matched`);
    delete filters[key];
  }
  const rank = rankFor({ ...suggested, ...filters, moods: filters.moods ?? analysis.moods }, [...byArtists, ...likeArtists], ctx.variety);
  if (likeArtists.length) {
    const tags = ctx.artistTags(likeArtists);
    rank.genres = [...new Set([...rank.genres, ...tags.genres])];
    rank.styles = [...new Set([...rank.styles, ...tags.styles])];
  }
  return { filters, rank, hardArtists: byArtists.length > 0, warnings };
}
