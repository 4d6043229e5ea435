// What the incremental engine asks Plex directly (beyond the writer's port), and how the answers reach
// the library cache: the items events name (one multi-id read per batch: Plex is the truth, the payload
// only a trigger) and the subtrees of new items (`library.new`, or a rating on an item the cache lacks).
// Every item read is upserted into the cache, so a later full pass plans from what Plex holds now.
import type { LibraryRepo } from '../../db/library-repo.js';
import type { LibraryKind } from '../../db/library-rows.js';
import type { PlexClient } from '../../plex/client.js';
import type { PlexItem } from '../../plex/types.js';
import { mapItem, type MappedItem } from '../../library/sync-mapping.js';

export type LivePlex = Pick<PlexClient, 'metadata' | 'children' | 'allLeaves' | 'identity' | 'musicSection' | 'listItems' | 'counters'>;

export interface ReadItem {
  kind: LibraryKind;
  rating: number | null;
  albumKey: string | null;
  artistKey: string | null;
}

export interface EventItems {
  /** Items of this section, by key. */
  found: Map<string, ReadItem>;
  /** Keys Plex returned that are not music of this section (a movie, another library). */
  foreign: Map<string, string>;
}

const ORDER: Record<LibraryKind, number> = { artist: 0, album: 1, track: 2 };

/** Upserts mapped items parents-first, one short transaction per kind. */
export function storeMapped(repo: LibraryRepo, items: readonly MappedItem[]): void {
  const byKind = new Map<LibraryKind, MappedItem[]>();
  for (const item of [...items].sort((a, b) => ORDER[a.kind] - ORDER[b.kind])) {
    byKind.set(item.kind, [...(byKind.get(item.kind) ?? []), item]);
  }
  for (const [kind, list] of byKind) repo.upsert(kind, list as never);
}

function sectionOf(item: PlexItem): string | null {
  const id = (item as { librarySectionID?: unknown }).librarySectionID;
  return id === undefined || id === null ? null : String(id);
}

/** Reads the named items (chunked multi-id requests), stores them in the cache, and returns their facts. */
export async function readEventItems(
  plex: LivePlex,
  repo: LibraryRepo,
  sectionId: string,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<EventItems> {
  const result: EventItems = { found: new Map(), foreign: new Map() };
  if (keys.length === 0) return result;
  const items = await plex.metadata(keys, { signal });
  const mapped: MappedItem[] = [];
  for (const item of items) {
    const key = String((item as { ratingKey?: unknown }).ratingKey ?? '');
    const section = sectionOf(item);
    const one = mapItem(item);
    if (!one) {
      result.foreign.set(key, `not an artist, album or track (${String((item as { type?: unknown }).type ?? 'no type')})`);
      continue;
    }
    if (section !== null && section !== sectionId) {
      result.foreign.set(key, 'other library section');
      continue;
    }
    mapped.push(one);
    const row = one.row as { user_rating: number | null; album_key?: string; artist_key?: string };
    result.found.set(one.row.rating_key, {
      kind: one.kind,
      rating: row.user_rating,
      albumKey: one.kind === 'track' ? (row.album_key ?? null) : one.kind === 'album' ? one.row.rating_key : null,
      artistKey: one.kind === 'artist' ? one.row.rating_key : (row.artist_key ?? null),
    });
  }
  storeMapped(repo, mapped);
  return result;
}

/**
 * Fetches whole subtrees into the cache: for an artist, its albums and every track (`children` +
 * `allLeaves`); for an album, the album, its tracks and (when the cache lacks it) its artist. A new
 * track is fetched through its album. Returns how many items were stored.
 */
export async function fetchSubtrees(
  plex: LivePlex,
  repo: LibraryRepo,
  cached: (kind: LibraryKind, key: string) => boolean,
  targets: { artists: Iterable<string>; albums: Iterable<string> },
  signal?: AbortSignal,
): Promise<number> {
  const mapped: MappedItem[] = [];
  const keep = (items: readonly PlexItem[]) => {
    for (const item of items) {
      const one = mapItem(item);
      if (one) mapped.push(one);
    }
  };
  const artists = new Set(targets.artists);
  for (const artist of artists) {
    keep(await plex.metadata([artist], { signal }));
    keep(await plex.children(artist, signal));
    keep(await plex.allLeaves(artist, signal));
  }
  const albums = [...new Set(targets.albums)];
  if (albums.length > 0) {
    const albumItems = await plex.metadata(albums, { signal });
    keep(albumItems);
    const missingArtists = new Set<string>();
    for (const album of albumItems) {
      const artist = (album as { parentRatingKey?: unknown }).parentRatingKey;
      if (artist !== undefined && !artists.has(String(artist)) && !cached('artist', String(artist))) missingArtists.add(String(artist));
    }
    if (missingArtists.size > 0) keep(await plex.metadata([...missingArtists], { signal }));
    for (const album of albums) keep(await plex.children(album, signal));
  }
  storeMapped(repo, mapped);
  return mapped.length;
}
