// Writes to items: ratings, tags, fields.
//
// Retry policy: every request here sets a value rather than changing it relative to what is
// there, so sending it twice leaves the same result, and it is retried like a GET:
//   - `/:/rate?rating=X` sets X;  `userRating.value=X`, `title.value=…` set a value;
//   - a several-id tag add is a set union, a removal a set difference, a one-id tag list a replacement.
// (Playlist creation and appends are different: see playlists.ts.)
//
// Tags: with ONE id Plex replaces the item's list with what is sent; with SEVERAL ids it adds.
// So adding to a single item reads its current tags and sends them back with the new ones; an
// item never loses its other moods because we edited it alone.
import { checkedKeys, fieldParams, ratingValue, tagRemoveParams, tagSetParams } from './edit-query.js';
import { PlexNotFoundError, PlexUsageError } from './errors.js';
import type { PlexTransport } from './transport.js';
import type { PlexItem, PlexItemTypeCode, PlexTag, PlexTagField } from './types.js';

export interface TagEdit {
  field: PlexTagField;
  add?: readonly string[];
  remove?: readonly string[];
  /** Lock the field so a metadata refresh keeps our tags. Default true (what Plex Web does). */
  locked?: boolean;
}

const LIBRARY = 'com.plexapp.plugins.library';

export async function rate(transport: PlexTransport, key: string | number, rating: number | null): Promise<void> {
  const [k] = checkedKeys([key], 'rate');
  const value = ratingValue(rating);
  await transport.request('PUT', '/:/rate', {
    query: [
      ['key', k],
      ['identifier', LIBRARY],
      ['rating', value],
    ],
    idempotent: true,
  });
}

export async function editField(
  transport: PlexTransport,
  sectionId: string,
  type: PlexItemTypeCode,
  ids: readonly (string | number)[],
  field: string,
  value: string | number,
  locked: boolean,
): Promise<void> {
  const keys = checkedKeys(ids, `edit of ${field}`);
  await put(transport, sectionId, fieldParams(type, keys, field, value, locked));
}

export async function editUserRating(
  transport: PlexTransport,
  sectionId: string,
  type: PlexItemTypeCode,
  ids: readonly (string | number)[],
  value: number | null,
): Promise<void> {
  const keys = checkedKeys(ids, 'userRating edit');
  const params = fieldParams(type, keys, 'userRating', ratingValue(value), false).filter(([k]) => k !== 'userRating.locked');
  await put(transport, sectionId, params);
}

export async function editTags(
  transport: PlexTransport,
  readItems: (keys: string[]) => Promise<PlexItem[]>,
  sectionId: string,
  type: PlexItemTypeCode,
  ids: readonly (string | number)[],
  edit: TagEdit,
): Promise<void> {
  // Checked before anything else, so an empty list can never reach Plex.
  const keys = checkedKeys(ids, `${edit.field} edit`);
  const add = uniqueTags(edit.add ?? []);
  const remove = uniqueTags(edit.remove ?? []);
  const locked = edit.locked ?? true;
  const clash = add.find((t) => remove.some((r) => sameTag(r, t)));
  if (clash !== undefined) throw new PlexUsageError(`plex: tag "${clash}" is both added and removed`);
  if (add.length === 0 && remove.length === 0) return;

  if (keys.length === 1 && add.length > 0) {
    // One id: the list we send becomes the item's whole list, so send current ∪ add − remove.
    const [item] = await readItems(keys);
    if (!item)
      throw new PlexNotFoundError(
        transport.serverUrl,
        'GET',
        `/library/metadata/${keys[0]}`,
        `no item ${keys[0]}, so its ${edit.field} tags cannot be edited`,
      );
    const current = tagsOf(item, edit.field);
    const wanted = uniqueTags([...current, ...add]).filter((t) => !remove.some((r) => sameTag(r, t)));
    const unchanged = wanted.length === current.length && wanted.every((t) => current.some((c) => sameTag(c, t)));
    if (unchanged) return;
    await put(transport, sectionId, tagSetParams(type, keys, edit.field, wanted, locked));
    return;
  }
  if (remove.length > 0) await put(transport, sectionId, tagRemoveParams(type, keys, edit.field, remove, locked));
  if (add.length > 0) await put(transport, sectionId, tagSetParams(type, keys, edit.field, add, locked));
}

function put(transport: PlexTransport, sectionId: string, query: ReturnType<typeof tagSetParams>): Promise<unknown> {
  return transport.request('PUT', `/library/sections/${sectionId}/all`, { query, idempotent: true });
}

const FIELD_ARRAY: Record<PlexTagField, 'Mood' | 'Genre' | 'Style'> = { mood: 'Mood', genre: 'Genre', style: 'Style' };

function tagsOf(item: PlexItem, field: PlexTagField): string[] {
  const list = (item as unknown as Record<string, PlexTag[] | undefined>)[FIELD_ARRAY[field]];
  return (list ?? []).map((t) => t.tag).filter((t): t is string => typeof t === 'string');
}

/** Plex matches tag names without regard to case. */
function sameTag(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

function uniqueTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    if (tag === '') throw new PlexUsageError('plex: a tag cannot be empty');
    if (!out.some((t) => sameTag(t, tag))) out.push(tag);
  }
  return out;
}
