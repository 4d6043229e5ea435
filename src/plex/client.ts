// The one Plex client of the product: reads (identity, sections, paged listings, multi-id metadata,
// search, tag vocabularies) here; writes are delegated to edits.ts and playlists.ts. JSON only.
import { checkedKeys, chunkKeys } from './edit-query.js';
import { editField, editTags, editUserRating, rate, type TagEdit } from './edits.js';
import { PlexNotFoundError, PlexResponseError, PlexUsageError } from './errors.js';
import { mapLimited, type Limiter } from './limit.js';
import { pagedListing } from './paging.js';
import { PlayerOps } from './players.js';
import { PlaylistOps } from './playlists.js';
import { sonicallySimilar, type SonicAnswer, type SonicOptions } from './sonic.js';
import { PlexTransport, type PlexRequestEvent, type QueryParams, type RequestCounters } from './transport.js';
import { VERSION } from '../version.js';
import type {
  PlexFilters,
  PlexHub,
  PlexIdentity,
  PlexItem,
  PlexItemOfType,
  PlexItemTypeCode,
  PlexMediaContainer,
  PlexPage,
  PlexPlaylist,
  PlexPlayer,
  PlexPlayQueue,
  PlexResponse,
  PlayQueueSource,
  PlexSection,
  PlexTagField,
  PlexTagValue,
  PlexTrack,
} from './types.js';

export interface PlexClientOptions {
  url: string;
  token: string;
  /** Stable per installation (Plex lists devices by it). */
  clientIdentifier?: string;
  /** Sent as X-Plex-Version; default Sagewire's package version. */
  version?: string;
  timeoutMs?: number;
  retries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Called after every attempt; for request counting and debug logging. */
  onRequest?: (event: PlexRequestEvent) => void;
  /** Ids per multi-id metadata request. Default 150. */
  metadataChunkSize?: number;
}

export interface ListOptions {
  filters?: PlexFilters;
  /** Default 1000. */
  pageSize?: number;
  /** Pages in flight at once. Default 1. */
  concurrency?: number;
  limiter?: Limiter;
  signal?: AbortSignal;
  /** Extra query parameters, e.g. `sort`. */
  extra?: QueryParams;
}

type Container<M = never, D = never> = PlexMediaContainer<M, D> & Record<string, unknown>;

export class PlexClient {
  readonly transport: PlexTransport;
  private readonly metadataChunkSize: number;
  private machineIdentifier: string | null = null;
  private readonly playlistOps: PlaylistOps;
  private readonly playerOps: PlayerOps;

  constructor(options: PlexClientOptions) {
    this.transport = new PlexTransport({
      url: options.url,
      token: options.token,
      clientIdentifier: options.clientIdentifier ?? 'sagewire',
      product: 'Sagewire',
      version: options.version ?? VERSION,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      retryBaseMs: options.retryBaseMs,
      retryMaxMs: options.retryMaxMs,
      onRequest: options.onRequest,
    });
    this.metadataChunkSize = options.metadataChunkSize ?? 150;
    this.playlistOps = new PlaylistOps(this.transport, () => this.serverMachineIdentifier());
    this.playerOps = new PlayerOps(this.transport, () => this.serverMachineIdentifier());
  }

  /** The server's base URL as shown in messages (no credentials, no query). */
  get serverUrl(): string {
    return this.transport.serverUrl;
  }

  get counters(): Readonly<RequestCounters> {
    return this.transport.counters;
  }

  /** Plex's clock (epoch s) at its latest answer, from the `Date` header; null if none was sent. */
  get lastServerTime(): number | null {
    return this.transport.lastServerTime;
  }

  // ── server and sections ─────────────────────────────────────────────────────────────────────

  async identity(signal?: AbortSignal): Promise<PlexIdentity> {
    const mc = await this.getContainer<Container>('/identity', [], signal);
    if (typeof mc.machineIdentifier !== 'string') throw this.unreadable('GET', '/identity', 'no machineIdentifier');
    this.machineIdentifier = mc.machineIdentifier;
    return {
      machineIdentifier: mc.machineIdentifier,
      version: mc.version as string | undefined,
      claimed: mc.claimed as boolean | undefined,
    };
  }

  async sections(signal?: AbortSignal): Promise<PlexSection[]> {
    const mc = await this.getContainer<Container<never, PlexSection>>('/library/sections', [], signal);
    return (mc.Directory ?? []).map((d) => ({ ...d, key: String(d.key) }));
  }

  /** The music section (`type="artist"`) by title (case-insensitive) or id; a clear error lists the others. */
  async musicSection(titleOrId: string | number, signal?: AbortSignal): Promise<PlexSection> {
    const music = (await this.sections(signal)).filter((s) => s.type === 'artist');
    const wanted = String(titleOrId).trim();
    const found =
      music.find((s) => s.title === wanted) ??
      music.find((s) => s.title.toLowerCase() === wanted.toLowerCase()) ??
      music.find((s) => s.key === wanted);
    if (found) return found;
    const available =
      music.length > 0
        ? `its music libraries are ${music.map((s) => `"${s.title}" (id ${s.key})`).join(', ')}`
        : 'it has no music libraries';
    throw new PlexNotFoundError(
      this.serverUrl,
      'GET',
      '/library/sections',
      `no music library "${wanted}"; ${available}; set PLEX_MUSIC_LIBRARY to one of them`,
    );
  }

  // ── listings ────────────────────────────────────────────────────────────────────────────────

  /** One page of `…/all?type=`. */
  async listPage<T extends PlexItemTypeCode>(
    sectionId: number | string,
    type: T,
    start: number,
    size: number,
    options: Omit<ListOptions, 'pageSize' | 'concurrency' | 'limiter'> = {},
  ): Promise<PlexPage<PlexItemOfType<T>>> {
    return this.page<PlexItemOfType<T>>(this.sectionPath(sectionId, '/all'), this.listQuery(type, options), start, size, options.signal);
  }

  /** Every page of `…/all?type=`, several in flight when `concurrency` > 1, yielded as they arrive. */
  listItems<T extends PlexItemTypeCode>(
    sectionId: number | string,
    type: T,
    options: ListOptions = {},
  ): AsyncGenerator<PlexPage<PlexItemOfType<T>>> {
    const path = this.sectionPath(sectionId, '/all');
    const query = this.listQuery(type, options);
    return pagedListing<PlexItemOfType<T>>((start, size, signal) => this.page(path, query, start, size, signal), {
      pageSize: options.pageSize ?? 1000,
      concurrency: options.concurrency,
      limiter: options.limiter,
      signal: options.signal,
    });
  }

  /** How many items match, without fetching them (container size 0). */
  async countItems(
    sectionId: number | string,
    type: PlexItemTypeCode,
    options: Pick<ListOptions, 'filters' | 'signal'> = {},
  ): Promise<number> {
    const path = this.sectionPath(sectionId, '/all');
    const page = await this.page<PlexItem>(path, this.listQuery(type, options), 0, 0, options.signal);
    return page.totalSize;
  }

  /**
   * Items by rating key, many per request (`/library/metadata/1,2,3`), chunked to keep URLs short.
   * Keys that no longer exist are simply absent from the result.
   */
  async metadata(keys: readonly (string | number)[], options: { signal?: AbortSignal; concurrency?: number } = {}): Promise<PlexItem[]> {
    if (keys.length === 0) return [];
    const chunks = chunkKeys(checkedKeys(keys, 'metadata'), this.metadataChunkSize);
    const results = await mapLimited(chunks, options.concurrency ?? 4, (chunk) => this.metadataChunk(chunk, options.signal));
    return results.flat();
  }

  /** A 404 for several ids might mean only one is gone: halve and ask again, so no live item is lost. */
  private async metadataChunk(keys: string[], signal?: AbortSignal): Promise<PlexItem[]> {
    try {
      const mc = await this.getContainer<Container<PlexItem>>(`/library/metadata/${keys.join(',')}`, [], signal);
      return mc.Metadata ?? [];
    } catch (err) {
      if (!(err instanceof PlexNotFoundError)) throw err;
      if (keys.length === 1) return [];
      const half = Math.ceil(keys.length / 2);
      return [...(await this.metadataChunk(keys.slice(0, half), signal)), ...(await this.metadataChunk(keys.slice(half), signal))];
    }
  }

  /** Albums of an artist, or tracks of an album. */
  async children(key: string | number, signal?: AbortSignal): Promise<PlexItem[]> {
    return this.collect<PlexItem>(`/library/metadata/${checkedKeys([key], 'children')[0]}/children`, [], signal);
  }

  /** Every track under an artist or album. */
  async allLeaves(key: string | number, signal?: AbortSignal): Promise<PlexTrack[]> {
    return this.collect<PlexTrack>(`/library/metadata/${checkedKeys([key], 'allLeaves')[0]}/allLeaves`, [], signal);
  }

  async search(query: string, sectionId: number | string, limit = 10, signal?: AbortSignal): Promise<PlexItem[]> {
    const params: QueryParams = [
      ['query', query],
      ['sectionId', this.sectionId(sectionId)],
      ['limit', limit],
    ];
    const mc = await this.getContainer<Container & { Hub?: PlexHub[] }>('/hubs/search', params, signal);
    const musical = new Set(['artist', 'album', 'track']);
    return (mc.Hub ?? []).filter((h) => musical.has(h.type)).flatMap((h) => h.Metadata ?? []);
  }

  /** The genre, mood or style vocabulary of a section for one item type; `key` is the tag id for filters. */
  async tagValues(
    sectionId: number | string,
    field: PlexTagField,
    type: PlexItemTypeCode = 10,
    signal?: AbortSignal,
  ): Promise<PlexTagValue[]> {
    const mc = await this.getContainer<Container<never, PlexTagValue>>(this.sectionPath(sectionId, `/${field}`), [['type', type]], signal);
    return (mc.Directory ?? []).map((d) => ({ ...d, key: String(d.key) }));
  }

  // ── writes ──────────────────────────────────────────────────────────────────────────────────

  /** Sets (0–10) or clears (null) the rating of the token's account, via `/:/rate`. */
  rate(key: string | number, rating: number | null): Promise<void> {
    return rate(this.transport, key, rating);
  }

  /** Adds and/or removes tags without ever dropping an item's other tags (see edits.ts). */
  editTags(sectionId: number | string, type: PlexItemTypeCode, ids: readonly (string | number)[], edit: TagEdit): Promise<void> {
    return editTags(this.transport, (keys) => this.metadata(keys), this.sectionId(sectionId), type, ids, edit);
  }

  editField(
    sectionId: number | string,
    type: PlexItemTypeCode,
    ids: readonly (string | number)[],
    field: string,
    value: string | number,
    options: { locked?: boolean } = {},
  ): Promise<void> {
    return editField(this.transport, this.sectionId(sectionId), type, ids, field, value, options.locked ?? true);
  }

  /** The several-id `userRating.value` edit (one request for many items); null clears. */
  editUserRating(
    sectionId: number | string,
    type: PlexItemTypeCode,
    ids: readonly (string | number)[],
    value: number | null,
  ): Promise<void> {
    return editUserRating(this.transport, this.sectionId(sectionId), type, ids, value);
  }

  createPlaylist(title: string, keys: readonly (string | number)[]): Promise<PlexPlaylist> {
    return this.playlistOps.create(title, keys);
  }

  playlists(signal?: AbortSignal): Promise<PlexPlaylist[]> {
    return this.playlistOps.list(signal);
  }

  /** A smart playlist over a section's tracks; `filterQuery` in Plex's syntax (`userRating>>=7.9&viewCount=0&sort=…&limit=…`). */
  createSmartPlaylist(title: string, sectionId: number | string, filterQuery: string): Promise<PlexPlaylist> {
    return this.playlistOps.createSmart(title, sectionId, filterQuery);
  }

  /** Replaces a smart playlist's filter (the section's search it re-runs). */
  updateSmartPlaylist(id: string | number, sectionId: number | string, filterQuery: string): Promise<void> {
    return this.playlistOps.updateSmart(id, sectionId, filterQuery);
  }

  playlistItems(id: string | number, signal?: AbortSignal): Promise<PlexTrack[]> {
    return this.collect<PlexTrack>(`/playlists/${checkedKeys([id], 'playlistItems')[0]}/items`, [], signal);
  }

  appendToPlaylist(id: string | number, keys: readonly (string | number)[]): Promise<void> {
    return this.playlistOps.append(id, keys);
  }

  clearPlaylist(id: string | number): Promise<void> {
    return this.playlistOps.clear(id);
  }

  removePlaylistItem(id: string | number, playlistItemID: string | number): Promise<void> {
    return this.playlistOps.removeItem(id, playlistItemID);
  }

  deletePlaylist(id: string | number): Promise<void> {
    return this.playlistOps.delete(id);
  }

  // ── players and sonic analysis ──────────────────────────────────────────────────────────────

  /** The players the server knows now that accept playback commands (never cached). */
  players(signal?: AbortSignal): Promise<PlexPlayer[]> {
    return this.playerOps.list(signal);
  }

  /** A play queue on the server of tracks, a saved playlist or an album; sent once, never retried. */
  createPlayQueue(source: PlayQueueSource): Promise<PlexPlayQueue> {
    return this.playerOps.createPlayQueue(source);
  }

  /** Tells a player (by machineIdentifier) to play a queue, through the server; sent once, never retried. */
  playMedia(playerId: string, queue: PlexPlayQueue): Promise<void> {
    return this.playerOps.playMedia(playerId, queue);
  }

  /** The track's sonic neighbours, nearest first; `available: false` when the server has no sonic analysis. */
  sonicallySimilar(key: string | number, options: SonicOptions = {}): Promise<SonicAnswer> {
    return sonicallySimilar(this.transport, key, options);
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────

  private async serverMachineIdentifier(): Promise<string> {
    return this.machineIdentifier ?? (await this.identity()).machineIdentifier;
  }

  private sectionId(sectionId: number | string): string {
    const id = String(sectionId).trim();
    if (!/^\d+$/.test(id)) throw new PlexUsageError(`plex: "${id}" is not a library section id`);
    return id;
  }

  private sectionPath(sectionId: number | string, tail: string): string {
    return `/library/sections/${this.sectionId(sectionId)}${tail}`;
  }

  private listQuery(type: PlexItemTypeCode, options: Pick<ListOptions, 'filters' | 'extra'>): QueryParams {
    const query: [string, string | number][] = [['type', type]];
    for (const [key, value] of Object.entries(options.filters ?? {})) {
      // Plex spells operators into the key: `updatedAt>>=5` is key `updatedAt>>`, value 5.
      query.push([key, value]);
    }
    return [...query, ...(options.extra ?? [])];
  }

  private async page<T>(path: string, query: QueryParams, start: number, size: number, signal?: AbortSignal): Promise<PlexPage<T>> {
    const params: QueryParams = [...query, ['X-Plex-Container-Start', start], ['X-Plex-Container-Size', size]];
    const mc = await this.getContainer<Container<T, T>>(path, params, signal);
    const items = mc.Metadata ?? mc.Directory ?? [];
    const totalSize = typeof mc.totalSize === 'number' ? mc.totalSize : Number(mc.totalSize ?? Number.NaN);
    return { items, offset: typeof mc.offset === 'number' ? mc.offset : start, totalSize };
  }

  private async collect<T>(path: string, query: QueryParams, signal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    for await (const page of pagedListing<T>((start, size, s) => this.page<T>(path, query, start, size, s), { pageSize: 1000, signal })) {
      out.push(...page.items);
    }
    return out;
  }

  private async getContainer<C>(path: string, query: QueryParams, signal?: AbortSignal): Promise<C> {
    const body = await this.transport.request<PlexResponse<C>>('GET', path, { query, idempotent: true, signal });
    if (!body || typeof body !== 'object' || !body.MediaContainer || typeof body.MediaContainer !== 'object') {
      throw this.unreadable('GET', path, 'no MediaContainer');
    }
    return body.MediaContainer;
  }

  private unreadable(method: string, path: string, detail: string): PlexResponseError {
    return new PlexResponseError(this.serverUrl, method, path, detail);
  }
}
