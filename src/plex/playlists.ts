// Playlist writes. Creating and appending are NOT idempotent (a second attempt makes a second
// playlist, or adds the tracks twice), so they are sent once and a failure is reported, never
// retried blindly; the caller can look at the playlist and decide. Clearing and deleting are
// idempotent and retried; a 404 on a retried delete means an earlier attempt already did it.
// Smart playlists hold a section search instead of items (`…/sections/{id}/all?type=10&{filters}`); Plex
// re-runs it whenever the playlist is read. Setting a smart playlist's search again is idempotent.
import { checkedKeys, chunkKeys, libraryUri } from './edit-query.js';
import { PlexResponseError, PlexUsageError } from './errors.js';
import type { PlexTransport } from './transport.js';
import type { PlexMediaContainer, PlexPlaylist, PlexResponse } from './types.js';

/** Keys per create/append request; keeps the `uri` parameter well under URL limits. */
const KEYS_PER_REQUEST = 200;

export class PlaylistOps {
  constructor(
    private readonly transport: PlexTransport,
    private readonly machineIdentifier: () => Promise<string>,
  ) {}

  async create(title: string, keys: readonly (string | number)[]): Promise<PlexPlaylist> {
    const name = title.trim();
    if (name === '') throw new PlexUsageError('plex: a playlist needs a title');
    const [first, ...rest] = chunkKeys(checkedKeys(keys, 'playlist creation'), KEYS_PER_REQUEST);
    const uri = libraryUri(await this.machineIdentifier(), first);
    const body = await this.transport.request<PlexResponse<PlexMediaContainer<PlexPlaylist>>>('POST', '/playlists', {
      query: [
        ['type', 'audio'],
        ['title', name],
        ['smart', 0],
        ['uri', uri],
      ],
      idempotent: false,
    });
    const playlist = body?.MediaContainer?.Metadata?.[0];
    if (!playlist?.ratingKey) throw new PlexResponseError(this.transport.serverUrl, 'POST', '/playlists', 'no playlist in the answer');
    for (const chunk of rest) await this.appendChunk(playlist.ratingKey, chunk);
    return playlist;
  }

  /** A smart playlist of the section's tracks that match `filterQuery` (Plex's syntax, e.g. `userRating>>=7.9&sort=…`). */
  async createSmart(title: string, sectionId: string | number, filterQuery: string): Promise<PlexPlaylist> {
    const name = title.trim();
    if (name === '') throw new PlexUsageError('plex: a playlist needs a title');
    const uri = await this.sectionSearchUri(sectionId, filterQuery);
    const body = await this.transport.request<PlexResponse<PlexMediaContainer<PlexPlaylist>>>('POST', '/playlists', {
      query: [
        ['type', 'audio'],
        ['title', name],
        ['smart', 1],
        ['uri', uri],
      ],
      idempotent: false,
    });
    const playlist = body?.MediaContainer?.Metadata?.[0];
    if (!playlist?.ratingKey) throw new PlexResponseError(this.transport.serverUrl, 'POST', '/playlists', 'no playlist in the answer');
    return playlist;
  }

  /** Replaces a smart playlist's search, as Plex Web's "edit filters" and python-plexapi's `updateFilters` do. */
  async updateSmart(id: string | number, sectionId: string | number, filterQuery: string): Promise<void> {
    const [playlistId] = checkedKeys([id], 'smart playlist update');
    const uri = await this.sectionSearchUri(sectionId, filterQuery);
    await this.transport.request('PUT', `/playlists/${playlistId}/items`, { query: [['uri', uri]], idempotent: true });
  }

  async list(signal?: AbortSignal): Promise<PlexPlaylist[]> {
    const body = await this.transport.request<PlexResponse<PlexMediaContainer<PlexPlaylist>>>('GET', '/playlists', {
      query: [['playlistType', 'audio']],
      idempotent: true,
      signal,
    });
    return body?.MediaContainer?.Metadata ?? [];
  }

  async append(id: string | number, keys: readonly (string | number)[]): Promise<void> {
    const [playlistId] = checkedKeys([id], 'playlist append');
    for (const chunk of chunkKeys(checkedKeys(keys, 'playlist append'), KEYS_PER_REQUEST)) await this.appendChunk(playlistId, chunk);
  }

  async clear(id: string | number): Promise<void> {
    const [playlistId] = checkedKeys([id], 'playlist clear');
    await this.transport.request('DELETE', `/playlists/${playlistId}/items`, { idempotent: true });
  }

  async removeItem(id: string | number, playlistItemID: string | number): Promise<void> {
    const [playlistId, itemId] = [checkedKeys([id], 'playlist item removal')[0], checkedKeys([playlistItemID], 'playlist item removal')[0]];
    await this.transport.request('DELETE', `/playlists/${playlistId}/items/${itemId}`, { idempotent: true, notFoundOnRetryIsDone: true });
  }

  async delete(id: string | number): Promise<void> {
    const [playlistId] = checkedKeys([id], 'playlist deletion');
    await this.transport.request('DELETE', `/playlists/${playlistId}`, { idempotent: true, notFoundOnRetryIsDone: true });
  }

  /**
   * `server://{machineId}/com.plexapp.plugins.library/library/sections/{id}/all?type=10&{filters}`. Each
   * `key=value` of the filter query is percent-encoded on its own (the operator is part of the key), and
   * the whole URI is encoded again as the `uri` value, so Plex reads back exactly the filter given.
   */
  private async sectionSearchUri(sectionId: string | number, filterQuery: string): Promise<string> {
    const section = String(sectionId).trim();
    if (!/^\d+$/.test(section)) throw new PlexUsageError(`plex: "${section}" is not a library section id`);
    const parts = filterQuery.split('&').filter(Boolean);
    if (parts.length === 0) throw new PlexUsageError('plex: a smart playlist needs a filter');
    const encoded = parts.map((part) => {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new PlexUsageError(`plex: "${part}" is not a filter (expected field=value)`);
      const key = part.slice(0, eq);
      if (key === 'type') throw new PlexUsageError('plex: a smart playlist of tracks sets its own type');
      return `${encodeURIComponent(key)}=${encodeURIComponent(part.slice(eq + 1))}`;
    });
    const machine = await this.machineIdentifier();
    return `server://${machine}/com.plexapp.plugins.library/library/sections/${section}/all?type=10&${encoded.join('&')}`;
  }

  private async appendChunk(playlistId: string, keys: string[]): Promise<void> {
    const uri = libraryUri(await this.machineIdentifier(), keys);
    await this.transport.request('PUT', `/playlists/${playlistId}/items`, { query: [['uri', uri]], idempotent: false });
  }
}
