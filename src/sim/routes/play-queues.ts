// `POST /playQueues?type=audio&uri=…|playlistID=…&shuffle=0|1&key=…` creates a queue; `GET /playQueues/{id}`
// reads one (`window`, `center`, `includeBefore`, `includeAfter` as Plex pages them). The answer is a
// MediaContainer of the queue's attributes with the tracks of the window, each with its playQueueItemID.
// Bad or missing type, uri, key or shuffle, unknown items, and an empty result are 400; an unknown playlist
// or queue is 404.
import type { Router, RouterContext } from '@koa/router';
import type { SimDeps } from './deps.js';
import { libraryAttrs } from './deps.js';
import type { SimPlayQueue } from '../state/play-queues.js';
import type { SimTrack } from '../library.js';
import { renderTrack } from '../render/items.js';
import { BadRequest, sendContainer } from '../render/respond.js';
import { NotFound } from '../http/errors.js';
import { parseContentUri, tracksOfKeys, tracksOfSectionQuery } from '../state/content-uri.js';

/** Entries on each side of the centre when the client does not say (players ask for 50–100). */
const DEFAULT_WINDOW = 50;

function single(ctx: RouterContext, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[0] : v;
}

function flag(ctx: RouterContext, name: string, fallback: boolean): boolean {
  const raw = single(ctx, name);
  if (raw === undefined) return fallback;
  if (raw !== '0' && raw !== '1') throw new BadRequest(`${name} must be 0 or 1`);
  return raw === '1';
}

function count(ctx: RouterContext, name: string, fallback: number): number {
  const raw = single(ctx, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw === '' || !Number.isInteger(n) || n < 0) throw new BadRequest(`${name} must be a non-negative integer`);
  return n;
}

export function playQueueRoutes(router: Router, deps: SimDeps): void {
  const { state, playlists, playQueues, queries } = deps;

  const send = (ctx: RouterContext, queue: SimPlayQueue, center?: number): void => {
    const window = count(ctx, 'window', DEFAULT_WINDOW);
    const entries = playQueues.window(queue, {
      center,
      window,
      includeBefore: flag(ctx, 'includeBefore', true),
      includeAfter: flag(ctx, 'includeAfter', true),
    });
    const metadata = entries
      .map((entry) => ({ entry, track: state.track(entry.ratingKey) }))
      .filter((e): e is { entry: (typeof entries)[number]; track: SimTrack } => e.track !== undefined)
      .map(({ entry, track }) => ({ ...renderTrack(state, track), playQueueItemID: entry.playQueueItemID }));
    const selected = queue.items[queue.selected];
    const attrs = libraryAttrs(state.sectionOf(selected.ratingKey));
    sendContainer(ctx, {
      size: metadata.length,
      identifier: attrs.identifier,
      mediaTagPrefix: attrs.mediaTagPrefix,
      mediaTagVersion: attrs.mediaTagVersion,
      playQueueID: queue.id,
      playQueueSelectedItemID: selected.playQueueItemID,
      playQueueSelectedItemOffset: queue.selected,
      playQueueSelectedMetadataItemID: Number(selected.ratingKey),
      playQueueShuffled: queue.shuffled,
      playQueueSourceURI: queue.sourceURI,
      playQueueTotalCount: queue.items.length,
      playQueueVersion: queue.version,
      Metadata: metadata.length > 0 ? metadata : undefined,
    });
  };

  router.post('/playQueues', (ctx) => {
    const type = single(ctx, 'type');
    if (type === undefined) throw new BadRequest('type is required');
    if (type !== 'audio') throw new BadRequest(`type must be audio in a music library, not ${type}`);
    const uri = single(ctx, 'uri');
    const playlistID = single(ctx, 'playlistID');
    let tracks: SimTrack[];
    let sourceURI: string;
    if (playlistID !== undefined) {
      if (!/^\d+$/.test(playlistID)) throw new BadRequest('playlistID must be a playlist ratingKey');
      const playlist = playlists.get(playlistID);
      if (!playlist) throw new NotFound();
      tracks = playlists.tracks(playlist);
      sourceURI = uri ?? `server://${state.machineIdentifier}/com.plexapp.plugins.library/playlists/${playlistID}/items`;
    } else {
      if (uri === undefined || uri === '') throw new BadRequest('uri or playlistID is required');
      const target = parseContentUri(state, uri);
      if (target.kind === 'items') tracks = tracksOfKeys(state, target.keys);
      else if (target.kind === 'section') tracks = tracksOfSectionQuery(state, queries, target.query);
      else {
        const playlist = playlists.get(target.id);
        if (!playlist) throw new NotFound();
        tracks = playlists.tracks(playlist);
      }
      sourceURI = uri;
    }
    const key = single(ctx, 'key');
    let startKey: string | undefined;
    if (key !== undefined && key !== '') {
      const m = key.match(/^(?:\/library\/metadata\/)?(\d+)$/);
      if (!m) throw new BadRequest('key must be /library/metadata/{ratingKey}');
      startKey = m[1];
    }
    const queue = playQueues.create({
      trackKeys: tracks.map((t) => t.ratingKey),
      sourceURI,
      shuffle: flag(ctx, 'shuffle', false),
      startKey,
    });
    send(ctx, queue);
  });

  router.get('/playQueues/:id', (ctx) => {
    if (!/^\d+$/.test(ctx.params.id)) throw new BadRequest('bad play queue id');
    const queue = playQueues.get(Number(ctx.params.id));
    if (!queue) throw new NotFound();
    const centerRaw = single(ctx, 'center');
    let center: number | undefined;
    if (centerRaw !== undefined) {
      center = queue.items.findIndex((i) => String(i.playQueueItemID) === centerRaw);
      if (center < 0) throw new BadRequest(`center ${centerRaw} is not an item of play queue ${queue.id}`);
    }
    send(ctx, queue, center);
  });
}
