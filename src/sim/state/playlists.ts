// Regular (non-smart) audio playlists. Items are referenced by `uri=server://{machineId}/com.plexapp.plugins.library/
// library/metadata/{k1},{k2}`; an album or artist key expands to its tracks, as in Plex.
import type { SimPlaylist, SimTrack } from '../library.js';
import type { SimState } from './state.js';

export class PlaylistError extends Error {}

export class PlaylistStore {
  constructor(private readonly state: SimState) {}

  list(): SimPlaylist[] {
    return this.state.library.playlists;
  }

  get(id: string): SimPlaylist | undefined {
    return this.list().find((p) => p.ratingKey === id);
  }

  /** The ratingKeys a `uri=` parameter names, expanded to tracks; throws on a foreign server or unknown item. */
  tracksFromUri(uri: string): string[] {
    const m = uri.match(/^server:\/\/([^/]+)\/com\.plexapp\.plugins\.library\/library\/metadata\/([\d,]+)$/);
    if (!m) throw new PlaylistError(`unsupported uri: ${uri}`);
    if (m[1] !== this.state.machineIdentifier) throw new PlaylistError(`uri names another server: ${m[1]}`);
    const keys: string[] = [];
    for (const key of m[2].split(',').filter(Boolean)) {
      const ref = this.state.get(key);
      if (!ref) throw new PlaylistError(`unknown item ${key}`);
      const tracks: SimTrack[] =
        ref.type === 'track'
          ? [ref.item]
          : ref.type === 'album'
            ? (this.state.tracksByAlbum.get(key) ?? [])
            : this.state.tracksOfArtist(key);
      for (const t of tracks) keys.push(t.ratingKey);
    }
    return keys;
  }

  create(title: string, trackKeys: string[]): SimPlaylist {
    const now = this.state.clock();
    const playlist: SimPlaylist = { ratingKey: this.state.nextRatingKey(), title, addedAt: now, updatedAt: now, items: [] };
    this.append(playlist, trackKeys);
    this.list().push(playlist);
    return playlist;
  }

  append(playlist: SimPlaylist, trackKeys: string[]): void {
    for (const ratingKey of trackKeys) playlist.items.push({ playlistItemID: this.state.library.nextPlaylistItemId++, ratingKey });
    this.changed(playlist);
  }

  clear(playlist: SimPlaylist): void {
    playlist.items = [];
    this.changed(playlist);
  }

  removeItem(playlist: SimPlaylist, playlistItemID: number): boolean {
    const before = playlist.items.length;
    playlist.items = playlist.items.filter((i) => i.playlistItemID !== playlistItemID);
    this.changed(playlist);
    return playlist.items.length < before;
  }

  delete(id: string): boolean {
    const lists = this.state.library.playlists;
    const index = lists.findIndex((p) => p.ratingKey === id);
    if (index < 0) return false;
    lists.splice(index, 1);
    this.state.version++;
    return true;
  }

  /** Items whose track still exists (a deleted track silently leaves a playlist). */
  liveItems(playlist: SimPlaylist): { playlistItemID: number; track: SimTrack }[] {
    const out: { playlistItemID: number; track: SimTrack }[] = [];
    for (const i of playlist.items) {
      const track = this.state.track(i.ratingKey);
      if (track) out.push({ playlistItemID: i.playlistItemID, track });
    }
    return out;
  }

  private changed(playlist: SimPlaylist): void {
    playlist.updatedAt = this.state.clock();
    this.state.version++;
  }
}
