// The library cache: what Plex holds for the configured music section, as of the last sync.
// Ratings are in Plex points (0–10); `null` means unrated (Plex omits the field).
import type { Generated } from 'kysely';

export interface ArtistTable {
  rating_key: string;
  title: string;
  user_rating: number | null;
  last_rated_at: number | null;
  added_at: number | null;
  updated_at: number | null;
  thumb: string | null;
}

export interface AlbumTable {
  rating_key: string;
  artist_key: string;
  artist_title: string;
  title: string;
  year: number | null;
  /** Plex's critic `rating` (0–10); null when absent or 0. */
  critic_rating: number | null;
  user_rating: number | null;
  last_rated_at: number | null;
  leaf_count: number | null;
  /** 1 when the album has the `Live` subformat. */
  is_live: number;
  added_at: number | null;
  updated_at: number | null;
  thumb: string | null;
}

export interface TrackTable {
  rating_key: string;
  album_key: string;
  artist_key: string;
  title: string;
  album_title: string;
  artist_title: string;
  /** Track artist when it differs from the album artist (compilations). */
  original_title: string | null;
  track_index: number | null;
  disc_index: number | null;
  year: number | null;
  duration_ms: number | null;
  user_rating: number | null;
  last_rated_at: number | null;
  /** Plex `viewCount` (plays), `skipCount` and `lastViewedAt` (epoch seconds); null when Plex omits them. */
  view_count: number | null;
  skip_count: number | null;
  last_viewed_at: number | null;
  added_at: number | null;
  updated_at: number | null;
  thumb: string | null;
}

/** Genres, styles, moods (and album subformats) of every cached item. */
export interface ItemTagTable {
  item_key: string;
  kind: 'genre' | 'style' | 'mood' | 'subformat';
  tag: string;
}

/** One row per synced section: watermarks for incremental syncs. */
export interface SyncStateTable {
  section_id: number;
  section_uuid: string | null;
  machine_identifier: string | null;
  last_full_sync_at: number | null;
  last_sync_at: number | null;
  /** Highest `updatedAt` / `addedAt` / `lastRatedAt` seen, in Plex epoch seconds. */
  watermark_updated_at: number | null;
  watermark_added_at: number | null;
  watermark_rated_at: number | null;
  last_deletion_scan_at: number | null;
  id: Generated<number>;
}
