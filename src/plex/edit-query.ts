// Query parameters of `PUT /library/sections/{id}/all` edits and `server://` item URIs, as pure
// functions. The one rule that matters most: an edit without `id` is applied by Plex to every item
// of that type in the section, so every builder here demands a non-empty list of valid keys.
import { PlexUsageError } from './errors.js';
import type { QueryParams } from './transport.js';
import type { PlexItemTypeCode, PlexTagField } from './types.js';

/** Rating keys are decimal integers; anything else (empty, comma, space) could widen an edit. */
export function checkedKeys(keys: readonly (string | number)[], what: string): string[] {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new PlexUsageError(`plex: ${what} needs at least one item id (without one Plex would change every item)`);
  }
  const out = keys.map((k) => String(k).trim());
  const bad = out.find((k) => !/^\d+$/.test(k));
  if (bad !== undefined) throw new PlexUsageError(`plex: ${what}: "${bad}" is not a Plex rating key`);
  return [...new Set(out)];
}

function checkedType(type: number): PlexItemTypeCode {
  if (type !== 8 && type !== 9 && type !== 10) throw new PlexUsageError(`plex: edit type must be 8, 9 or 10, got ${type}`);
  return type;
}

function editBase(type: number, ids: readonly string[]): [string, string | number][] {
  return [
    ['type', checkedType(type)],
    ['id', ids.join(',')],
  ];
}

/**
 * `mood[0].tag.tag=A&mood[1].tag.tag=B`: with one id this is the item's whole new list, with
 * several ids it adds to each. `locked` stops Plex's agents from overwriting the field on refresh.
 */
export function tagSetParams(
  type: number,
  ids: readonly string[],
  field: PlexTagField,
  tags: readonly string[],
  locked: boolean,
): QueryParams {
  const params = editBase(type, ids);
  tags.forEach((tag, i) => {
    params.push([`${field}[${i}].tag.tag`, tag]);
  });
  params.push([`${field}.locked`, locked ? 1 : 0]);
  return params;
}

/**
 * `mood[].tag.tag-=A,B`: each value percent-encoded, then comma-joined, and the joined value is
 * encoded again as any query value, so a comma inside a tag is never read as a separator.
 */
export function tagRemoveParams(
  type: number,
  ids: readonly string[],
  field: PlexTagField,
  tags: readonly string[],
  locked: boolean,
): QueryParams {
  const params = editBase(type, ids);
  params.push([`${field}[].tag.tag-`, tags.map((t) => encodeURIComponent(t)).join(',')]);
  params.push([`${field}.locked`, locked ? 1 : 0]);
  return params;
}

/** `title.value=…` style field edits; `locked` keeps an agent refresh from reverting them. */
export function fieldParams(type: number, ids: readonly string[], field: string, value: string | number, locked: boolean): QueryParams {
  if (!/^[A-Za-z][A-Za-z.]*$/.test(field)) throw new PlexUsageError(`plex: "${field}" is not a field name`);
  const params = editBase(type, ids);
  params.push([`${field}.value`, value], [`${field}.locked`, locked ? 1 : 0]);
  return params;
}

/** `server://{machineIdentifier}/com.plexapp.plugins.library/library/metadata/{k1},{k2}` */
export function libraryUri(machineIdentifier: string, keys: readonly string[]): string {
  return `server://${machineIdentifier}/com.plexapp.plugins.library/library/metadata/${keys.join(',')}`;
}

/** A rating for `/:/rate` and `userRating.value`: 0–10, or null to clear (sent as -1). */
export function ratingValue(rating: number | null): number {
  if (rating === null) return -1;
  if (!Number.isFinite(rating) || rating < 0 || rating > 10) {
    throw new PlexUsageError(`plex: a rating must be between 0 and 10 (or null to clear), got ${rating}`);
  }
  return rating;
}

/** Splits keys into chunks small enough for one URL (Plex and proxies reject very long lines). */
export function chunkKeys(keys: readonly string[], maxKeys: number, maxChars = 4000): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const key of keys) {
    if (current.length > 0 && (current.length >= maxKeys || chars + key.length + 1 > maxChars)) {
      chunks.push(current);
      current = [];
      chars = 0;
    }
    current.push(key);
    chars += key.length + 1;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
