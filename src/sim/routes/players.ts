// Players as the server shows and drives them: `GET /clients` lists the connected ones, and
// `GET /player/playback/{command}` with `X-Plex-Target-Client-Identifier` (header or query) is forwarded to
// that player, as PMS does for controllers that do not talk to players directly.
//
// How failures look (python-plexapi issue threads quoting real servers):
//  - a player the server does not know, or cannot reach (offline players drop out of `/clients`): PMS answers
//    500 with `<Response code="…" status="… Unable to find player with identifier …">`;
//  - a player that is reached but will not take the command: its own refusal is relayed, 406 Not Acceptable,
//    as Plex Media Player answers commands it does not accept;
//  - bad parameters (no target, unknown queue, a key not in the queue): 400.
// A successful command answers what the player says: Plexamp and Plex for Android send the bare text `OK`
// (python-plexapi special-cases them for it), other players `<Response code="200" status="OK"/>`. Clients
// must look at the status only.
import type { Router, RouterContext } from '@koa/router';
import type { SimDeps } from './deps.js';
import type { SimPlayer } from '../state/players.js';
import type { PlayQueueStore, SimPlayQueue } from '../state/play-queues.js';
import { BadRequest, plexParam, sendContainer } from '../render/respond.js';
import { escapeXml } from '../render/xml.js';

const BARE_OK_PRODUCTS = /^(Plexamp|Plex for Android)/;

function xmlResponse(ctx: RouterContext, status: number, code: number, message: string): void {
  ctx.status = status;
  ctx.type = 'text/xml;charset=utf-8';
  ctx.set('X-Plex-Protocol', '1.0');
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response code="${code}" status="${escapeXml(message)}"/>\n`;
}

function single(ctx: RouterContext, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The queue a `containerKey` (`/playQueues/{id}?window=100&own=1`) names. */
function queueOf(queues: PlayQueueStore, containerKey: string | undefined): SimPlayQueue {
  const m = containerKey?.match(/^\/playQueues\/(\d+)(?:\?.*)?$/);
  if (!m) throw new BadRequest('containerKey must be /playQueues/{id}');
  const queue = queues.get(Number(m[1]));
  if (!queue) throw new BadRequest(`no play queue ${m[1]}`);
  return queue;
}

/** Index of the entry `key` (`/library/metadata/{k}`) names, the selected entry first when it matches. */
function entryOf(queue: SimPlayQueue, key: string | undefined): number {
  if (key === undefined || key === '') return queue.selected;
  const m = key.match(/^(?:\/library\/metadata\/)?(\d+)$/);
  if (!m) throw new BadRequest('key must be /library/metadata/{ratingKey}');
  if (queue.items[queue.selected]?.ratingKey === m[1]) return queue.selected;
  const index = queue.items.findIndex((i) => i.ratingKey === m[1]);
  if (index < 0) throw new BadRequest(`key ${m[1]} is not in play queue ${queue.id}`);
  return index;
}

export function playerRoutes(router: Router, deps: SimDeps): void {
  const { state, players, playQueues } = deps;

  router.get('/clients', (ctx) => {
    const online = players.online();
    sendContainer(ctx, {
      size: online.length,
      Server: online.map((p) => ({
        name: p.name,
        host: p.host,
        address: p.host,
        port: p.port,
        machineIdentifier: p.machineIdentifier,
        version: p.version,
        protocol: 'plex',
        product: p.product,
        deviceClass: p.deviceClass,
        protocolVersion: '1',
        protocolCapabilities: p.protocolCapabilities,
      })),
    });
  });

  // python-plexapi's playMedia asks for a transient token to hand to the player.
  let tokens = 0;
  router.get('/security/token', (ctx) => {
    const type = single(ctx, 'type') ?? 'delegation';
    if (type !== 'delegation') throw new BadRequest('type must be delegation');
    tokens++;
    sendContainer(ctx, { size: 0, token: `transient-${state.machineIdentifier.slice(0, 8)}-${String(tokens).padStart(6, '0')}` });
  });

  router.get('/player/playback/:command', (ctx, next) => {
    const command = ctx.params.command;
    const target = plexParam(ctx, 'X-Plex-Target-Client-Identifier');
    if (!['playMedia', 'play', 'pause', 'stop', 'skipNext', 'skipPrevious'].includes(command)) return next();
    if (!target) throw new BadRequest('X-Plex-Target-Client-Identifier is required');

    let apply: (player: SimPlayer) => void;
    let refs: { playQueueID: number | null; ratingKey: string | null } = { playQueueID: null, ratingKey: null };
    if (command === 'playMedia') {
      const server = single(ctx, 'machineIdentifier');
      if (server !== undefined && server !== state.machineIdentifier)
        throw new BadRequest(`machineIdentifier names another server: ${server}`);
      const type = single(ctx, 'type');
      if (type !== undefined && type !== 'music' && type !== 'audio') throw new BadRequest('type must be music');
      const queue = queueOf(playQueues, single(ctx, 'containerKey'));
      const index = entryOf(queue, single(ctx, 'key'));
      const offsetRaw = single(ctx, 'offset') ?? '0';
      const offsetMs = Number(offsetRaw);
      if (offsetRaw === '' || !Number.isInteger(offsetMs) || offsetMs < 0)
        throw new BadRequest('offset must be a non-negative integer (ms)');
      refs = { playQueueID: queue.id, ratingKey: queue.items[index].ratingKey };
      apply = (player) => {
        playQueues.select(queue, index);
        player.playQueueID = queue.id;
        player.offsetMs = offsetMs;
        player.state = 'playing';
        player.startedAt = Date.now();
      };
    } else {
      apply = (player) => step(playQueues, player, command);
    }

    const outcome = players.command(target, command, refs, apply);
    if (outcome === 'unknown' || outcome === 'unreachable') {
      return xmlResponse(ctx, 500, 2000, `Unable to find player with identifier ${target}`);
    }
    if (outcome === 'refused') return xmlResponse(ctx, 406, 406, 'Not Acceptable');
    const player = players.find(target)!;
    if (BARE_OK_PRODUCTS.test(player.product)) {
      ctx.status = 200;
      ctx.type = 'text/plain';
      ctx.body = 'OK';
      return;
    }
    xmlResponse(ctx, 200, 200, 'OK');
  });
}

/** play / pause / stop / skipNext / skipPrevious on the player's current queue. */
function step(queues: PlayQueueStore, player: SimPlayer, command: string): void {
  const queue = player.playQueueID === null ? undefined : queues.get(player.playQueueID);
  switch (command) {
    case 'play':
      if (queue) player.state = 'playing';
      return;
    case 'pause':
      if (player.state === 'playing') player.state = 'paused';
      return;
    case 'stop':
      player.state = 'stopped';
      return;
    case 'skipNext':
    case 'skipPrevious': {
      if (!queue) return;
      const index = queue.selected + (command === 'skipNext' ? 1 : -1);
      if (index >= queue.items.length) {
        player.state = 'stopped';
        return;
      }
      queues.select(queue, Math.max(0, index));
      player.offsetMs = 0;
    }
  }
}
