// Saving a playlist to Plex through a narrow port: create, replace (clear + append) or append skipping
// tracks already there. Creating and appending are not idempotent in Plex, so nothing here retries them.
import type { PlexPlaylist, PlexTrack } from '../plex/index.js';
import type { SaveMode } from '../db/tables/playlists.js';

export interface PlaylistStore {
  create(title: string, keys: readonly string[]): Promise<{ ratingKey: string; title: string }>;
  find(ratingKey: string): Promise<{ ratingKey: string; title: string } | null>;
  items(ratingKey: string): Promise<string[]>;
  append(ratingKey: string, keys: readonly string[]): Promise<void>;
  clear(ratingKey: string): Promise<void>;
}

/** The Plex client's playlist methods, as much of it as saving needs. */
export interface PlexPlaylistClient {
  createPlaylist(title: string, keys: readonly (string | number)[]): Promise<PlexPlaylist>;
  playlists(): Promise<PlexPlaylist[]>;
  playlistItems(id: string | number): Promise<PlexTrack[]>;
  appendToPlaylist(id: string | number, keys: readonly (string | number)[]): Promise<void>;
  clearPlaylist(id: string | number): Promise<void>;
}

export function plexPlaylistStore(client: PlexPlaylistClient): PlaylistStore {
  return {
    async create(title, keys) {
      const created = await client.createPlaylist(title, keys);
      return { ratingKey: String(created.ratingKey), title: created.title ?? title };
    },
    async find(ratingKey) {
      const found = (await client.playlists()).find((p) => String(p.ratingKey) === ratingKey);
      return found ? { ratingKey: String(found.ratingKey), title: found.title } : null;
    },
    async items(ratingKey) {
      return (await client.playlistItems(ratingKey)).map((t) => String(t.ratingKey));
    },
    append: (ratingKey, keys) => client.appendToPlaylist(ratingKey, keys),
    clear: (ratingKey) => client.clearPlaylist(ratingKey),
  };
}

export class SaveError extends Error {
  constructor(
    message: string,
    readonly field: string | null,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SaveError';
  }
}

export interface SaveRequest {
  mode: SaveMode;
  title?: string;
  playlistRatingKey?: string;
}

export interface SavedPlaylist {
  ratingKey: string;
  title: string;
  mode: SaveMode;
  added: number;
  /** Append: tracks already in the playlist, not added again. */
  skipped: number;
}

export async function savePlaylist(
  store: PlaylistStore,
  request: SaveRequest,
  keys: readonly string[],
  fallbackTitle: string,
): Promise<SavedPlaylist> {
  const unique = [...new Set(keys)];
  if (request.mode === 'create') {
    const title = (request.title ?? fallbackTitle).trim() || 'Sagewire mix';
    const created = await store.create(title, unique);
    return { ...created, mode: 'create', added: unique.length, skipped: 0 };
  }
  const key = request.playlistRatingKey;
  if (!key) throw new SaveError(`save.playlistRatingKey is required for mode "${request.mode}"`, 'save.playlistRatingKey', 400);
  const existing = await store.find(key);
  if (!existing) throw new SaveError(`save.playlistRatingKey: no audio playlist ${key} in Plex`, 'save.playlistRatingKey', 400);
  if (request.mode === 'replace') {
    await store.clear(key);
    if (unique.length > 0) await store.append(key, unique);
    return { ...existing, mode: 'replace', added: unique.length, skipped: 0 };
  }
  const present = new Set(await store.items(key));
  const fresh = unique.filter((k) => !present.has(k));
  if (fresh.length > 0) await store.append(key, fresh);
  return { ...existing, mode: 'append', added: fresh.length, skipped: unique.length - fresh.length };
}
