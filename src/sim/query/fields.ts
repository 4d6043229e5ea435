// Filterable and sortable fields per item type, and how `prefix.field` keys reach related items:
// an ancestor prefix (`artist.id` on albums, `album.year` on tracks) reads the parent; a descendant prefix
// (`track.mood` on albums) matches when any child matches.
import type { SimState, ItemRef, ItemType } from '../state/state.js';
import type { RegistryKind } from '../state/tag-registry.js';

export type FieldKind = 'integer' | 'date' | 'string' | 'tag';
export type FieldValue = number | string | string[] | undefined;

export interface FieldDef {
  kind: FieldKind;
  get: (state: SimState, ref: ItemRef) => FieldValue;
  tag?: RegistryKind;
}

const common: Record<string, FieldDef> = {
  id: { kind: 'integer', get: (_s, r) => Number(r.item.ratingKey) },
  title: { kind: 'string', get: (_s, r) => r.item.title },
  titleSort: { kind: 'string', get: (_s, r) => r.item.title },
  userRating: { kind: 'integer', get: (_s, r) => r.item.userRating },
  lastRatedAt: { kind: 'date', get: (_s, r) => r.item.lastRatedAt },
  addedAt: { kind: 'date', get: (_s, r) => r.item.addedAt },
  updatedAt: { kind: 'date', get: (_s, r) => r.item.updatedAt },
  genre: { kind: 'tag', tag: 'genre', get: (_s, r) => r.item.genres },
  mood: { kind: 'tag', tag: 'mood', get: (_s, r) => r.item.moods },
  style: { kind: 'tag', tag: 'style', get: (_s, r) => r.item.styles },
};

const albumYear = (s: SimState, r: ItemRef): number | undefined =>
  r.type === 'album' ? r.item.year : r.type === 'track' ? s.albumOf(r.item).year : undefined;

export const FIELDS: Record<ItemType, Record<string, FieldDef>> = {
  artist: { ...common, index: { kind: 'integer', get: () => 1 } },
  album: {
    ...common,
    index: { kind: 'integer', get: () => 1 },
    year: { kind: 'integer', get: albumYear },
    decade: {
      kind: 'integer',
      get: (s, r) => {
        const y = albumYear(s, r);
        return y === undefined ? undefined : y - (y % 10);
      },
    },
    rating: { kind: 'integer', get: (_s, r) => (r.type === 'album' ? r.item.rating : undefined) },
    originallyAvailableAt: {
      kind: 'date',
      get: (s, r) => {
        const y = albumYear(s, r);
        return y === undefined ? undefined : Date.UTC(y, 0, 1) / 1000;
      },
    },
    leafCount: { kind: 'integer', get: (s, r) => s.tracksByAlbum.get(r.item.ratingKey)?.length ?? 0 },
    subformat: { kind: 'tag', tag: 'subformat', get: (_s, r) => (r.type === 'album' ? r.item.subformats : undefined) },
    studio: { kind: 'string', get: (_s, r) => (r.type === 'album' ? r.item.studio : undefined) },
  },
  track: {
    ...common,
    index: { kind: 'integer', get: (_s, r) => (r.type === 'track' ? r.item.index : undefined) },
    parentIndex: { kind: 'integer', get: (_s, r) => (r.type === 'track' ? r.item.disc : undefined) },
    duration: { kind: 'integer', get: (_s, r) => (r.type === 'track' ? r.item.duration : undefined) },
    viewCount: { kind: 'integer', get: (_s, r) => (r.type === 'track' ? (r.item.viewCount ?? 0) : undefined) },
    skipCount: { kind: 'integer', get: (_s, r) => (r.type === 'track' ? (r.item.skipCount ?? 0) : undefined) },
    lastViewedAt: { kind: 'date', get: (_s, r) => (r.type === 'track' ? r.item.lastViewedAt : undefined) },
    originalTitle: { kind: 'string', get: (_s, r) => (r.type === 'track' ? r.item.originalTitle : undefined) },
    year: { kind: 'integer', get: albumYear },
    decade: {
      kind: 'integer',
      get: (s, r) => {
        const y = albumYear(s, r);
        return y === undefined ? undefined : y - (y % 10);
      },
    },
  },
};

const RANK: Record<ItemType, number> = { artist: 0, album: 1, track: 2 };
export const ITEM_TYPES: readonly ItemType[] = ['artist', 'album', 'track'];

export interface ResolvedField {
  def: FieldDef;
  /** Items whose value counts for `ref`: itself, its ancestor, or its descendants. */
  related: ((ref: ItemRef) => ItemRef[]) | null;
  /** True when several related items may match (descendant prefix). */
  many: boolean;
}

/** Resolves `field` or `prefix.field` for a query over `type`; undefined when unknown. */
export function resolveField(state: SimState, type: ItemType, key: string): ResolvedField | undefined {
  const dot = key.lastIndexOf('.');
  const prefix = dot >= 0 ? key.slice(0, dot) : type;
  const name = dot >= 0 ? key.slice(dot + 1) : key;
  if (!(ITEM_TYPES as readonly string[]).includes(prefix)) return undefined;
  const target = prefix as ItemType;
  const def = FIELDS[target][name];
  if (!def) return undefined;
  if (target === type) return { def, related: null, many: false };
  if (RANK[target] < RANK[type]) {
    return { def, many: false, related: (ref) => [ancestor(state, ref, target)] };
  }
  return { def, many: true, related: (ref) => descendants(state, ref, target) };
}

function ancestor(state: SimState, ref: ItemRef, target: ItemType): ItemRef {
  if (ref.type === 'track') {
    const album = state.albumOf(ref.item);
    return state.get(target === 'album' ? album.ratingKey : album.artistKey)!;
  }
  if (ref.type === 'album') return state.get(ref.item.artistKey)!;
  return ref;
}

function descendants(state: SimState, ref: ItemRef, target: ItemType): ItemRef[] {
  if (ref.type === 'album') return (state.tracksByAlbum.get(ref.item.ratingKey) ?? []).map((t) => state.get(t.ratingKey)!);
  if (ref.type === 'artist') {
    if (target === 'album') return (state.albumsByArtist.get(ref.item.ratingKey) ?? []).map((a) => state.get(a.ratingKey)!);
    return state.tracksOfArtist(ref.item.ratingKey).map((t) => state.get(t.ratingKey)!);
  }
  return [];
}

/** Lower-case, accents stripped: Plex's title matching is case- and accent-insensitive. */
export function foldText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
