// Plex as the playlist pages need it: the connection in effect now (the environment, or what Setup saved
// since start), a client per connection, the audio playlists to replace or append to, a link that opens
// a playlist in Plex Web, and album art fetched server-side — the token never reaches the browser.
import type { PlexClient } from '../../plex/index.js';
import { SaveError, type PlexPlaylistClient } from '../../playlists/save.js';
import type { PlexConnection, SettingsService } from './settings.js';

/** Plex artwork paths only: `/library/metadata/<id>/thumb|art[/<timestamp>]`. Nothing else is fetched. */
const ART_PATH = /^\/library\/metadata\/(\d{1,12})\/(thumb|art)(?:\/(\d{1,12}))?$/;

export function isPlexArtPath(path: string): boolean {
  return ART_PATH.test(path);
}

export interface ArtImage {
  type: string;
  body: Buffer;
}

export class PlaylistPlex {
  private client: { key: string; plex: PlexClient; url: string } | null = null;

  constructor(
    private readonly settings: SettingsService,
    /** Makes the client for a connection (app.ts). */
    private readonly clientFor: (connection: PlexConnection) => PlexClient,
  ) {}

  /** The client for the connection in effect, or null while Plex is not configured. */
  async current(): Promise<{ plex: PlexClient; url: string } | null> {
    const connection = await this.settings.plexConnection();
    if (!connection) return null;
    const key = `${connection.url}\u0000${connection.token}`;
    if (this.client?.key !== key) {
      this.client = { key, url: connection.url, plex: this.clientFor(connection) };
    }
    return this.client;
  }

  private async require(): Promise<PlexClient> {
    const current = await this.current();
    if (!current) throw new SaveError('saving needs a Plex connection: set PLEX_URL and PLEX_TOKEN (Setup)', null, 503);
    return current.plex;
  }

  /** The port the playlist service saves through, resolving the connection per call. */
  readonly store: PlexPlaylistClient = {
    createPlaylist: async (title, keys) => (await this.require()).createPlaylist(title, keys),
    playlists: async () => (await this.require()).playlists(),
    playlistItems: async (id) => (await this.require()).playlistItems(id),
    appendToPlaylist: async (id, keys) => (await this.require()).appendToPlaylist(id, keys),
    clearPlaylist: async (id) => (await this.require()).clearPlaylist(id),
  };

  /** Audio playlists that are not smart (a smart playlist cannot be replaced or appended to). */
  async playlists(): Promise<{ ratingKey: string; title: string; count: number }[]> {
    const current = await this.current();
    if (!current) return [];
    const lists = await current.plex.playlists(AbortSignal.timeout(5000));
    return lists
      .filter((p) => !(p as { smart?: boolean | number }).smart)
      .map((p) => ({ ratingKey: String(p.ratingKey), title: p.title, count: Number((p as { leafCount?: number }).leafCount ?? 0) }))
      .sort((a, b) => a.title.localeCompare(b.title));
  }

  /** Plex Web's address of a playlist on this server, from the URL the person set (never with the token). */
  async playlistLink(ratingKey: string): Promise<string | null> {
    const current = await this.current();
    if (!current || !/^\d+$/.test(ratingKey)) return null;
    try {
      const { machineIdentifier } = await current.plex.identity(AbortSignal.timeout(3000));
      return (
        `${current.url}/web/index.html#!/server/${encodeURIComponent(machineIdentifier)}` +
        `/playlist?key=${encodeURIComponent(`/playlists/${ratingKey}`)}`
      );
    } catch {
      return null;
    }
  }

  /** Album art by its Plex path; null when the path is not Plex artwork, Plex is not set, or Plex has none. */
  async art(path: string): Promise<ArtImage | null> {
    if (!isPlexArtPath(path)) return null;
    const connection = await this.settings.plexConnection();
    if (!connection) return null;
    const res = await fetch(`${connection.url}${path}`, {
      headers: { 'X-Plex-Token': connection.token, Accept: 'image/*' },
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
    const type = res.headers.get('content-type') ?? '';
    if (!res.ok || !/^image\/(jpeg|png|webp|gif)\b/.test(type)) return null;
    const body = Buffer.from(await res.arrayBuffer());
    return body.length > 8 * 1024 * 1024 ? null : { type: type.split(';')[0], body };
  }
}
