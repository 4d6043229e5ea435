// Content URIs: how clients name "what to play or list" in `uri=` of playlists and play queues. Plex accepts
//   server://{machineIdentifier}/com.plexapp.plugins.library{path}   (python-plexapi, Plexamp)
//   library://{sectionUuid?}/item/{percent-encoded path}              (one item)
//   library://{sectionUuid?}/directory/{percent-encoded path}         (a list or a query)
// where the path is `/library/metadata/{k1},{k2}` (optionally `/children` or `/allLeaves`), a section query
// `/library/sections/{id}/all?type=10&…` (any of the server's sections), or a playlist `/playlists/{id}/items`. Items expand to tracks in
// album order (an album → its tracks, an artist → all its tracks), as Plex queues and playlists them.
import type { SimTrack } from '../library.js';
import type { SimState, ItemRef, ItemType } from './state.js';
import type { SimSection } from './section.js';
import { TYPE_BY_CODE } from './state.js';
import { BadRequest } from '../render/respond.js';
import { rawPairs, compileQuery, type QueryCache } from '../query/filters.js';

const LIBRARY_ROOT = 'com.plexapp.plugins.library';

export type ContentTarget =
  | { kind: 'items'; keys: string[] }
  /** `path?query` of a section listing, its query still percent-encoded as the client sent it. */
  | { kind: 'section'; query: string }
  | { kind: 'playlist'; id: string };

function decodeOnce(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new BadRequest(`malformed ${what}`);
  }
}

export function parseContentUri(state: SimState, uri: string): ContentTarget {
  const server = uri.match(/^server:\/\/([^/]+)\/([^/]+)(\/.*)$/);
  if (server) {
    if (server[1] !== state.machineIdentifier) throw new BadRequest(`uri names another server: ${server[1]}`);
    if (server[2] !== LIBRARY_ROOT) throw new BadRequest(`uri names an unknown provider: ${server[2]}`);
    return parsePath(state, server[3], uri);
  }
  const library = uri.match(/^library:\/\/([^/]*)\/(item|directory)\/(.+)$/);
  if (library) {
    if (library[1] !== '' && !state.sections.some((s) => s.uuid === library[1]))
      throw new BadRequest(`uri names another library: ${library[1]}`);
    return parsePath(state, decodeOnce(library[3], 'uri'), uri);
  }
  throw new BadRequest(`unsupported uri: ${uri}`);
}

function parsePath(state: SimState, path: string, uri: string): ContentTarget {
  const items = path.match(/^\/library\/metadata\/([\d,]+?)(?:\/children|\/allLeaves)?$/);
  if (items) {
    const keys = items[1].split(',').filter(Boolean);
    if (keys.length === 0) throw new BadRequest(`uri names no items: ${uri}`);
    return { kind: 'items', keys };
  }
  const section = path.match(/^\/library\/sections\/(\d+)\/all(?:\?.*)?$/);
  if (section) {
    sectionOfQuery(state, path);
    return { kind: 'section', query: path };
  }
  const playlist = path.match(/^\/playlists\/(\d+)(?:\/items)?$/);
  if (playlist) return { kind: 'playlist', id: playlist[1] };
  throw new BadRequest(`unsupported uri path: ${path}`);
}

function tracksOf(state: SimState, ref: ItemRef): SimTrack[] {
  if (ref.type === 'track') return [ref.item];
  if (ref.type === 'album') return state.tracksByAlbum.get(ref.item.ratingKey) ?? [];
  return state.tracksOfArtist(ref.item.ratingKey);
}

/** The tracks a list of ratingKeys stands for; an unknown key is a 400, as Plex answers it. */
export function tracksOfKeys(state: SimState, keys: string[]): SimTrack[] {
  const out: SimTrack[] = [];
  for (const key of keys) {
    const ref = state.get(key);
    if (!ref) throw new BadRequest(`unknown item ${key}`);
    out.push(...tracksOf(state, ref));
  }
  return out;
}

/** The section a section query (`/library/sections/{id}/all?…`) runs in; an unknown one is a 400. */
export function sectionOfQuery(state: SimState, query: string): SimSection {
  const id = query.match(/^\/library\/sections\/(\d+)\//)?.[1];
  const section = id === undefined ? undefined : state.section(id);
  if (!section) throw new BadRequest(`uri names an unknown section: ${id ?? query}`);
  return section;
}

function sectionQuery(query: string): { type: ItemType; pairs: [string, string][] } {
  const mark = query.indexOf('?');
  const pairs = mark < 0 ? [] : rawPairs(query.slice(mark + 1));
  const typeCode = pairs.find(([k]) => k === 'type')?.[1];
  const type = typeCode === undefined ? 'track' : TYPE_BY_CODE[typeCode];
  if (!type) throw new BadRequest(`unsupported type ${typeCode} in a music section query`);
  return { type, pairs };
}

/** Throws the 400 Plex gives for a section query it cannot run (unknown field, bad operator or value). */
export function checkSectionQuery(state: SimState, query: string): void {
  const { type, pairs } = sectionQuery(query);
  compileQuery(state, type, pairs);
}

/** A section query's answer now, as tracks (albums and artists expand to theirs). */
export function tracksOfSectionQuery(state: SimState, queries: QueryCache, query: string): SimTrack[] {
  const { type, pairs } = sectionQuery(query);
  const refs = queries.run(state, sectionOfQuery(state, query), type, pairs);
  return type === 'track' ? refs.map((r) => r.item as SimTrack) : refs.flatMap((r) => tracksOf(state, r));
}
