// Sonic neighbours for `/library/metadata/{key}/nearest`. Real Plex measures distance between audio
// analyses; the simulator stands in with what its generated library knows, so neighbours are plausible and
// deterministic:
//   d = 0.32·genre + 0.25·style + 0.08·mood + 0.08·year + 0.04·artist + 0.23·jitter      (0 ≤ d ≤ 1)
// genre is 0 when a genre is shared, else 1; style and mood are 1 − |A∩B| / min(|A|,|B|) (0.5 when either
// is empty); year is |Δyear| / 20 capped at 1; artist is 0 for the same artist, else 1; jitter is a hash of
// the pair in [0, 1), the same both ways round. A track is described by its album's styles and moods plus
// its own moods, its album's year and its track artist. With the default maxDistance 0.25 a track of a
// 5,000-track library has about 40–230 neighbours, three in four of the nearest 50 by the same artist.
// Neighbours come from the seed's own section, as sonic analysis is per library section.
import type { SimState, ItemRef, ItemType } from '../state/state.js';
import type { SimSection } from '../state/section.js';
import type { RegistryKind } from '../state/tag-registry.js';
import type { SimAlbum } from '../library.js';

export interface Neighbour {
  ref: ItemRef;
  distance: number;
}

/** Tags as sorted tag ids, so overlaps are a merge of two short integer lists. */
interface Features {
  key: number;
  genres: Int32Array;
  styles: Int32Array;
  moods: Int32Array;
  year: number;
  artist: string;
  /** What the features were built from; tag edits assign new arrays, so identity tells when to rebuild. */
  src: {
    genres: string[];
    styles: string[];
    moods: string[];
    album?: SimAlbum;
    albumGenres?: string[];
    albumStyles?: string[];
    albumMoods?: string[];
  };
}

const NO_YEAR = -1;
const cache = new WeakMap<object, Features>();

function ids(state: SimState, kind: RegistryKind, ...lists: readonly string[][]): Int32Array {
  const out = new Set<number>();
  for (const list of lists) for (const name of list) out.add(state.tags.ensure(kind, name).id);
  return Int32Array.from(out).sort();
}

function fresh(f: Features, item: { genres: string[]; styles: string[]; moods: string[] }): boolean {
  const { src } = f;
  if (src.genres !== item.genres || src.styles !== item.styles || src.moods !== item.moods) return false;
  const album = src.album;
  return (
    album === undefined ||
    (src.albumGenres === album.genres && src.albumStyles === album.styles && src.albumMoods === album.moods && f.year === album.year)
  );
}

function features(state: SimState, ref: ItemRef): Features {
  const item = ref.item;
  const hit = cache.get(item);
  if (hit && fresh(hit, item)) return hit;
  const key = Number(item.ratingKey);
  const src: Features['src'] = { genres: item.genres, styles: item.styles, moods: item.moods };
  let built: Features;
  if (ref.type === 'track') {
    const album = state.albumOf(ref.item);
    Object.assign(src, { album, albumGenres: album.genres, albumStyles: album.styles, albumMoods: album.moods });
    built = {
      key,
      genres: ids(state, 'genre', ref.item.genres.length > 0 ? ref.item.genres : album.genres),
      styles: ids(state, 'style', album.styles, ref.item.styles),
      moods: ids(state, 'mood', album.moods, ref.item.moods),
      year: album.year,
      artist: ref.item.originalTitle !== undefined ? `name:${ref.item.originalTitle.toLowerCase()}` : album.artistKey,
      src,
    };
  } else {
    built = {
      key,
      genres: ids(state, 'genre', item.genres),
      styles: ids(state, 'style', item.styles),
      moods: ids(state, 'mood', item.moods),
      year: ref.type === 'album' ? ref.item.year : NO_YEAR,
      artist: ref.type === 'album' ? ref.item.artistKey : ref.item.ratingKey,
      src,
    };
  }
  cache.set(item, built);
  return built;
}

function shared(a: Int32Array, b: Int32Array): number {
  let i = 0,
    j = 0,
    n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return n;
}

function overlapDistance(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0.5;
  return 1 - shared(a, b) / Math.min(a.length, b.length);
}

/** A hash of the pair of ratingKeys in [0, 1), symmetric. */
function jitter(k1: number, k2: number): number {
  let h = Math.imul(Math.min(k1, k2), 0x9e3779b1) ^ Math.imul(Math.max(k1, k2), 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function sonicDistance(x: Features, y: Features): number {
  const genre = x.genres.length > 0 && y.genres.length > 0 && shared(x.genres, y.genres) > 0 ? 0 : 1;
  const year = x.year === NO_YEAR || y.year === NO_YEAR ? 0.5 : Math.min(1, Math.abs(x.year - y.year) / 20);
  const d =
    0.32 * genre +
    0.25 * overlapDistance(x.styles, y.styles) +
    0.08 * overlapDistance(x.moods, y.moods) +
    0.08 * year +
    0.04 * (x.artist === y.artist ? 0 : 1) +
    0.23 * jitter(x.key, y.key);
  return Math.round(Math.min(1, Math.max(0, d)) * 10_000) / 10_000;
}

/**
 * Features of every item of a type, in list order, kept while no item was added or edited: a scan then
 * reads one dense array instead of checking each item (about 8× faster on 300,000 tracks).
 */
const lists = new WeakMap<SimSection, Map<ItemType, { metadataVersion: number; features: Features[] }>>();

function featureList(state: SimState, section: SimSection, type: ItemType): Features[] {
  let byType = lists.get(section);
  if (!byType) {
    byType = new Map();
    lists.set(section, byType);
  }
  const known = byType.get(type);
  if (known && known.metadataVersion === state.metadataVersion) return known.features;
  const built = section.lists[type].map((ref) => features(state, ref));
  byType.set(type, { metadataVersion: state.metadataVersion, features: built });
  return built;
}

/** Items of the seed's type within `maxDistance`, nearest first (ties by library order), the seed left out. */
export function nearest(state: SimState, seed: ItemRef, maxDistance: number): Neighbour[] {
  const own = features(state, seed);
  const found: { ref: ItemRef; distance: number; i: number }[] = [];
  const section = state.sectionOf(seed.item.ratingKey);
  const candidates = section.lists[seed.type];
  const all = featureList(state, section, seed.type);
  for (let i = 0; i < candidates.length; i++) {
    const ref = candidates[i];
    if (ref === seed) continue;
    const distance = sonicDistance(own, all[i]);
    if (distance <= maxDistance) found.push({ ref, distance, i });
  }
  found.sort((a, b) => a.distance - b.distance || a.i - b.i);
  return found.map(({ ref, distance }) => ({ ref, distance }));
}
