// Row shapes of the library cache, as the repository reads and writes them.
import type { Selectable } from 'kysely';
import type { AlbumTable, ArtistTable, ItemTagTable, TrackTable } from './tables/library.js';

export type ArtistRow = Selectable<ArtistTable>;
export type AlbumRow = Selectable<AlbumTable>;
export type TrackRow = Selectable<TrackTable>;
export type ItemTagRow = Selectable<ItemTagTable>;
export type TagKind = ItemTagRow['kind'];
export type LibraryKind = 'artist' | 'album' | 'track';

/** One cached item with its tags; the tags replace whatever the cache held for it. */
export interface CachedItem<R> {
  row: R;
  tags: ItemTagRow[];
}

export interface LibraryCounts {
  artists: number;
  albums: number;
  tracks: number;
}
