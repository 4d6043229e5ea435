// The library's real vocabularies (every genre, style and mood with its track count) and the
// resolution of requested values against them: case and punctuation do not matter, unknown values are
// reported rather than silently matching nothing.
import { norm } from '../rating/text-match.js';
import type { FilterSpec } from './types.js';

export interface TagCount {
  tag: string;
  count: number;
}

export interface Vocabulary {
  genres: TagCount[];
  styles: TagCount[];
  moods: TagCount[];
  /** Decade starts present in the library, ascending. */
  decades: number[];
}

export interface ResolvedTags {
  values: string[];
  unknown: string[];
}

export function resolveTags(requested: readonly string[] | undefined, known: readonly TagCount[]): ResolvedTags {
  const byNorm = new Map(known.map((k) => [norm(k.tag), k.tag]));
  const values: string[] = [];
  const unknown: string[] = [];
  for (const value of requested ?? []) {
    const hit = byNorm.get(norm(value));
    if (hit === undefined) unknown.push(value);
    else if (!values.includes(hit)) values.push(hit);
  }
  return { values, unknown };
}

/** The filters with every tag spelled as the library spells it; unknown tags are listed per field. */
export function resolveFilters(filters: FilterSpec, vocabulary: Vocabulary): { filters: FilterSpec; unknown: Record<string, string[]> } {
  const genres = resolveTags(filters.genres, vocabulary.genres);
  const styles = resolveTags(filters.styles, vocabulary.styles);
  const moods = resolveTags(filters.moods, vocabulary.moods);
  const unknown: Record<string, string[]> = {};
  if (genres.unknown.length) unknown.genres = genres.unknown;
  if (styles.unknown.length) unknown.styles = styles.unknown;
  if (moods.unknown.length) unknown.moods = moods.unknown;
  return {
    filters: {
      ...filters,
      ...(filters.genres ? { genres: genres.values } : {}),
      ...(filters.styles ? { styles: styles.values } : {}),
      ...(filters.moods ? { moods: moods.values } : {}),
    },
    unknown,
  };
}
