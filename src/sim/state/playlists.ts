// Audio playlists, regular and smart. Regular ones hold items added through a content URI (`uri=server://…/
// library/metadata/{k1},{k2}`; an album or artist key expands to its tracks, as in Plex). Smart ones hold a
// section query and list its answer live, so a rating change shows at once; Plex refuses to append to,
// clear or remove items from them (their `uri` PUT replaces the query instead).
import type { SimPlaylist, SimTrack } from '../library.js';
import type { SimState } from './state.js';
import type { QueryCache } from '../query/filters.js';
import { parseContentUri, tracksOfKeys, tracksOfSectionQuery, checkSectionQuery } from './content-uri.js';

export class PlaylistError extends Error {}

export class PlaylistStore {
  constructor(
    private readonly state: SimState,
    private readonly queries: QueryCache,
  ) {}

  list(): SimPlaylist[] {
    return this.state.library.playlists;
  }

  get(id: string): SimPlaylist | undefined {
    return this.list().find((p) => p.ratingKey === id);
  }

  /** The ratingKeys a `uri=` parameter names, expanded to tracks; throws on a foreign server or unknown item. */
  tracksFromUri(uri: string): string[] {
    const target = parseContentUri(this.state, uri);
    if (target.kind === 'items') return tracksOfKeys(this.state, target.keys).map((t) => t.ratingKey);
    if (target.kind === 'section') return tracksOfSectionQuery(this.state, this.queries, target.query).map((t) => t.ratingKey);
    const source = this.get(target.id);
    if (!source) throw new PlaylistError(`unknown playlist ${target.id}`);
    return this.tracks(source).map((t) => t.ratingKey);
  }

  /** The section query a smart playlist's `uri=` names; anything else (or a query Plex cannot run) is refused. */
  smartQueryFromUri(uri: string): string {
    const target = parseContentUri(this.state, uri);
    if (target.kind !== 'section') throw new PlaylistError('a smart playlist needs a section query uri (…/library/sections/{id}/all?…)');
    checkSectionQuery(this.state, target.query);
    return target.query;
  }

  /** What the playlist lists now: its items, or for a smart playlist its query's answer. */
  tracks(playlist: SimPlaylist): SimTrack[] {
    if (playlist.smartQuery !== undefined) return tracksOfSectionQuery(this.state, this.queries, playlist.smartQuery);
    return this.liveItems(playlist).map((i) => i.track);
  }

  createSmart(title: string, query: string): SimPlaylist {
    const now = this.state.clock();
    const playlist: SimPlaylist = {
      ratingKey: this.state.nextRatingKey(),
      title,
      addedAt: now,
      updatedAt: now,
      items: [],
      smartQuery: query,
    };
    this.list().push(playlist);
    this.changed(playlist);
    return playlist;
  }

  /** `PUT /playlists/{id}/items?uri=…` on a smart playlist: the new query replaces the old (python-plexapi `updateFilters`). */
  replaceSmartQuery(playlist: SimPlaylist, query: string): void {
    playlist.smartQuery = query;
    this.changed(playlist);
  }

  create(title: string, trackKeys: string[]): SimPlaylist {
    const now = this.state.clock();
    const playlist: SimPlaylist = { ratingKey: this.state.nextRatingKey(), title, addedAt: now, updatedAt: now, items: [] };
    this.append(playlist, trackKeys);
    this.list().push(playlist);
    return playlist;
  }

  append(playlist: SimPlaylist, trackKeys: string[]): void {
    refuseSmart(playlist, 'add items to');
    for (const ratingKey of trackKeys) playlist.items.push({ playlistItemID: this.state.library.nextPlaylistItemId++, ratingKey });
    this.changed(playlist);
  }

  clear(playlist: SimPlaylist): void {
    refuseSmart(playlist, 'clear');
    playlist.items = [];
    this.changed(playlist);
  }

  removeItem(playlist: SimPlaylist, playlistItemID: number): boolean {
    refuseSmart(playlist, 'remove items from');
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

function refuseSmart(playlist: SimPlaylist, action: string): void {
  if (playlist.smartQuery !== undefined) throw new PlaylistError(`cannot ${action} a smart playlist`);
}
