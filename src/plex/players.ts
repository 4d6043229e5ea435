// Players and play queues, as Plex's own clients drive them: the server lists the players it knows
// (`GET /clients`), a play queue is created on the server (`POST /playQueues`), and the player is told
// to play it through the server, which forwards the command to the player named by the
// `X-Plex-Target-Client-Identifier` header. Neither creating a queue nor a playback command is idempotent (a
// second attempt makes a second queue, or restarts playback), so both are sent once and never retried.
// Nothing here is cached: a player that went away must show up as gone on the next call. A command's answer
// is whatever the player said (Plexamp: a bare `OK`, others XML), so only its status is read.
import { checkedKeys, libraryUri } from './edit-query.js';
import { PlexResponseError, PlexUsageError } from './errors.js';
import type { PlexTransport, QueryParams } from './transport.js';
import type { PlayQueueSource, PlexPlayer, PlexPlayQueue, PlexResponse } from './types.js';

const LIBRARY = 'com.plexapp.plugins.library';
/** Keys per play queue; a queue of a generated list is at most 100 tracks, this keeps the URI short. */
const MAX_QUEUE_KEYS = 500;

interface ClientsContainer {
  Server?: Record<string, unknown>[];
}

interface PlayQueueContainer {
  playQueueID?: number | string;
  playQueueSelectedMetadataItemID?: number | string;
  playQueueSelectedItemID?: number | string;
  playQueueTotalCount?: number;
  size?: number;
  Metadata?: { ratingKey?: string | number; playQueueItemID?: number | string }[];
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : null;

/** One `Server` element of `/clients`, or null when it has no identifier to send commands to. */
export function playerOf(element: Record<string, unknown>): PlexPlayer | null {
  const machineIdentifier = text(element.machineIdentifier);
  if (!machineIdentifier) return null;
  const port = Number(element.port);
  return {
    machineIdentifier,
    name: text(element.name) ?? text(element.title) ?? machineIdentifier,
    product: text(element.product),
    host: text(element.host) ?? text(element.address),
    port: Number.isInteger(port) && port > 0 ? port : null,
    protocolCapabilities: (text(element.protocolCapabilities) ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
  };
}

/** The `/playQueues` parameters for a source: a list of tracks, a saved playlist, or an album. */
export function playQueueParams(machineIdentifier: string, source: PlayQueueSource): QueryParams {
  const base: [string, string | number][] = [
    ['type', 'audio'],
    ['own', 1],
  ];
  if ('tracks' in source) {
    const keys = checkedKeys(source.tracks, 'play queue');
    if (keys.length > MAX_QUEUE_KEYS) throw new PlexUsageError(`plex: a play queue takes at most ${MAX_QUEUE_KEYS} tracks`);
    return [...base, ['uri', libraryUri(machineIdentifier, keys)]];
  }
  if ('playlist' in source) {
    const [id] = checkedKeys([source.playlist], 'play queue of a playlist');
    return [...base, ['playlistID', id], ['uri', `server://${machineIdentifier}/${LIBRARY}/playlists/${id}/items`]];
  }
  const [album] = checkedKeys([source.album], 'play queue of an album');
  return [...base, ['uri', libraryUri(machineIdentifier, [album])]];
}

/** Where the player fetches the media from: this server as the client reaches it. */
export function serverAddress(serverUrl: string): { protocol: string; address: string; port: number } {
  const url = new URL(serverUrl);
  const protocol = url.protocol.replace(':', '');
  const port = url.port ? Number(url.port) : protocol === 'https' ? 443 : 80;
  return { protocol, address: url.hostname.replace(/^\[|\]$/g, ''), port };
}

export class PlayerOps {
  /** Plex players expect each command of a controller to carry a larger id than the one before. */
  private commandId = 0;

  constructor(
    private readonly transport: PlexTransport,
    private readonly machineIdentifier: () => Promise<string>,
  ) {}

  /** The players that accept playback commands, as the server lists them now. */
  async list(signal?: AbortSignal): Promise<PlexPlayer[]> {
    const body = await this.transport.request<PlexResponse<ClientsContainer>>('GET', '/clients', { idempotent: true, signal });
    const elements = body?.MediaContainer?.Server ?? [];
    if (!Array.isArray(elements)) throw new PlexResponseError(this.transport.serverUrl, 'GET', '/clients', 'Server is not a list');
    return elements.map(playerOf).filter((p): p is PlexPlayer => p?.protocolCapabilities.includes('playback') === true);
  }

  async createPlayQueue(source: PlayQueueSource): Promise<PlexPlayQueue> {
    const query = playQueueParams(await this.machineIdentifier(), source);
    const body = await this.transport.request<PlexResponse<PlayQueueContainer>>('POST', '/playQueues', { query, idempotent: false });
    const mc = body?.MediaContainer;
    const id = text(mc?.playQueueID);
    if (!mc || !id) throw new PlexResponseError(this.transport.serverUrl, 'POST', '/playQueues', 'no playQueueID in the answer');
    const items = mc.Metadata ?? [];
    const selectedItem = text(mc.playQueueSelectedItemID);
    const selected =
      text(mc.playQueueSelectedMetadataItemID) ??
      text(items.find((m) => selectedItem !== null && text(m.playQueueItemID) === selectedItem)?.ratingKey) ??
      text(items[0]?.ratingKey);
    if (!selected) throw new PlexResponseError(this.transport.serverUrl, 'POST', '/playQueues', 'the queue is empty');
    return { playQueueID: id, selectedKey: selected, size: Number(mc.playQueueTotalCount ?? mc.size ?? items.length) };
  }

  /** Tells the player to play the queue from its selected item, through the server. */
  async playMedia(playerId: string, queue: PlexPlayQueue): Promise<void> {
    const player = playerId.trim();
    if (player === '' || /[\s,]/.test(player)) throw new PlexUsageError(`plex: "${playerId}" is not a player's machineIdentifier`);
    const [selected] = checkedKeys([queue.selectedKey], 'playMedia');
    const [queueId] = checkedKeys([queue.playQueueID], 'playMedia');
    const { protocol, address, port } = serverAddress(this.transport.serverUrl);
    this.commandId += 1;
    await this.command('/player/playback/playMedia', player, [
      ['providerIdentifier', LIBRARY],
      ['machineIdentifier', await this.machineIdentifier()],
      ['protocol', protocol],
      ['address', address],
      ['port', port],
      ['offset', 0],
      ['key', `/library/metadata/${selected}`],
      ['type', 'music'],
      ['containerKey', `/playQueues/${queueId}?window=100&own=1`],
      ['commandID', this.commandId],
    ]);
  }

  /**
   * A command goes to the server, which forwards it to the player the target header names (as Plex's own
   * controllers and python-plexapi send it). The player's answer is relayed as it is: JSON, XML, or
   * Plexamp's bare `OK`. Only the 2xx status counts.
   */
  private async command(path: string, player: string, query: QueryParams): Promise<void> {
    try {
      await this.transport.request('GET', path, { query, idempotent: false, headers: { 'X-Plex-Target-Client-Identifier': player } });
    } catch (err) {
      if (!(err instanceof PlexResponseError)) throw err;
    }
  }
}
