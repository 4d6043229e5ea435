// Plex items → library cache rows, as pure functions. It lives in the engine because it knows both
// shapes; the Plex client and the database stay unaware of each other. Inputs are read tolerantly
// (a number may arrive as a numeric string, as in XML) because a malformed item must be skipped,
// not crash a sync of 100,000 good ones.
import type { AlbumRow, ArtistRow, CachedItem, ItemTagRow, TagKind, TrackRow } from '../db/library-rows.js';
import type { PlexAlbum, PlexArtist, PlexItem, PlexTag, PlexTrack } from '../plex/types.js';

export type MappedItem =
  | ({ kind: 'artist' } & CachedItem<ArtistRow>)
  | ({ kind: 'album' } & CachedItem<AlbumRow>)
  | ({ kind: 'track' } & CachedItem<TrackRow>);

/** A finite number, from a number or a numeric string; null otherwise. */
function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function int(value: unknown): number | null {
  const n = num(value);
  return n === null ? null : Math.trunc(n);
}

function str(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Plex omits `userRating` when unrated; -1 (a cleared value echoed back) also means unrated. */
function userRating(value: unknown): number | null {
  const n = num(value);
  return n === null || n < 0 ? null : n;
}

/** The critic `rating`: 0 or absent means there is none. */
function criticRating(value: unknown): number | null {
  const n = num(value);
  return n === null || n <= 0 ? null : n;
}

function tagList(key: string, kind: TagKind, list: unknown, out: ItemTagRow[]): void {
  if (!Array.isArray(list)) return;
  for (const entry of list as PlexTag[]) {
    const tag = typeof entry?.tag === 'string' ? entry.tag.trim() : '';
    // The primary key is (item, kind, tag): Plex can repeat a tag, the cache keeps it once.
    if (tag !== '' && !out.some((t) => t.kind === kind && t.tag === tag)) out.push({ item_key: key, kind, tag });
  }
}

export function artistItem(a: PlexArtist): CachedItem<ArtistRow> | null {
  const key = str(a.ratingKey);
  if (!key) return null;
  const tags: ItemTagRow[] = [];
  tagList(key, 'genre', a.Genre, tags);
  tagList(key, 'style', a.Style, tags);
  tagList(key, 'mood', a.Mood, tags);
  return {
    row: {
      rating_key: key,
      title: str(a.title) ?? '',
      user_rating: userRating(a.userRating),
      last_rated_at: int(a.lastRatedAt),
      added_at: int(a.addedAt),
      updated_at: int(a.updatedAt),
      thumb: str(a.thumb),
    },
    tags,
  };
}

export function albumItem(a: PlexAlbum): CachedItem<AlbumRow> | null {
  const key = str(a.ratingKey);
  const artistKey = str(a.parentRatingKey);
  if (!key || !artistKey) return null;
  const tags: ItemTagRow[] = [];
  tagList(key, 'genre', a.Genre, tags);
  tagList(key, 'style', a.Style, tags);
  tagList(key, 'mood', a.Mood, tags);
  tagList(key, 'subformat', a.Subformat, tags);
  const isLive = tags.some((t) => t.kind === 'subformat' && t.tag.toLowerCase() === 'live');
  return {
    row: {
      rating_key: key,
      artist_key: artistKey,
      artist_title: str(a.parentTitle) ?? '',
      title: str(a.title) ?? '',
      year: int(a.year),
      critic_rating: criticRating(a.rating),
      user_rating: userRating(a.userRating),
      last_rated_at: int(a.lastRatedAt),
      leaf_count: int(a.leafCount),
      is_live: isLive ? 1 : 0,
      added_at: int(a.addedAt),
      updated_at: int(a.updatedAt),
      thumb: str(a.thumb),
    },
    tags,
  };
}

export function trackItem(t: PlexTrack): CachedItem<TrackRow> | null {
  const key = str(t.ratingKey);
  const albumKey = str(t.parentRatingKey);
  const artistKey = str(t.grandparentRatingKey);
  if (!key || !albumKey || !artistKey) return null;
  const tags: ItemTagRow[] = [];
  tagList(key, 'genre', t.Genre, tags);
  tagList(key, 'style', t.Style, tags);
  tagList(key, 'mood', t.Mood, tags);
  return {
    row: {
      rating_key: key,
      album_key: albumKey,
      artist_key: artistKey,
      title: str(t.title) ?? '',
      album_title: str(t.parentTitle) ?? '',
      artist_title: str(t.grandparentTitle) ?? '',
      original_title: str(t.originalTitle),
      track_index: int(t.index),
      disc_index: int(t.parentIndex),
      year: int(t.parentYear) ?? int((t as { year?: unknown }).year),
      duration_ms: int(t.duration),
      user_rating: userRating(t.userRating),
      last_rated_at: int(t.lastRatedAt),
      view_count: int(t.viewCount),
      skip_count: int(t.skipCount),
      last_viewed_at: int(t.lastViewedAt),
      added_at: int(t.addedAt),
      updated_at: int(t.updatedAt),
      thumb: str(t.thumb),
    },
    tags,
  };
}

/** Any item by its `type`; null for other types (playlists, clips) or items missing their keys. */
export function mapItem(item: PlexItem): MappedItem | null {
  switch ((item as { type?: unknown }).type) {
    case 'artist': {
      const mapped = artistItem(item as PlexArtist);
      return mapped && { kind: 'artist', ...mapped };
    }
    case 'album': {
      const mapped = albumItem(item as PlexAlbum);
      return mapped && { kind: 'album', ...mapped };
    }
    case 'track': {
      const mapped = trackItem(item as PlexTrack);
      return mapped && { kind: 'track', ...mapped };
    }
    default:
      return null;
  }
}
