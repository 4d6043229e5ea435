// The player and sonic calls of the Plex client: what is sent (parameters as python-plexapi sends them,
// never retried), how answers are read, and how "no sonic analysis" is told apart from a missing track.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlexClient, PlexHttpError, PlexNotFoundError, PlexUsageError } from '../../../src/plex/index.js';
import { playerOf, playQueueParams, serverAddress } from '../../../src/plex/players.js';
import { neighboursOf } from '../../../src/plex/sonic.js';
import { html, json, startLocalServer, type LocalServer } from './local-server.js';

const MID = 'abc123server';

describe('pure parts', () => {
  it.each([
    [
      {
        machineIdentifier: 'p1',
        name: 'Kitchen',
        product: 'Plexamp',
        host: '10.0.0.5',
        port: '32500',
        protocolCapabilities: 'timeline,playback,playqueues',
      },
      {
        machineIdentifier: 'p1',
        name: 'Kitchen',
        product: 'Plexamp',
        host: '10.0.0.5',
        port: 32500,
        protocolCapabilities: ['timeline', 'playback', 'playqueues'],
      },
    ],
    [
      { machineIdentifier: 'p2', title: 'Phone', port: 0 },
      { machineIdentifier: 'p2', name: 'Phone', product: null, host: null, port: null, protocolCapabilities: [] },
    ],
    [
      { machineIdentifier: 'p3', address: '10.0.0.9', port: 32400 },
      { machineIdentifier: 'p3', name: 'p3', product: null, host: '10.0.0.9', port: 32400, protocolCapabilities: [] },
    ],
    [{ name: 'no id' }, null],
  ])('reads a /clients Server element %j', (element, expected) => {
    expect(playerOf(element)).toEqual(expected);
  });

  it.each([
    [
      { tracks: ['3', 1, '2'] },
      [
        ['type', 'audio'],
        ['own', 1],
        ['uri', `server://${MID}/com.plexapp.plugins.library/library/metadata/3,1,2`],
      ],
    ],
    [
      { playlist: 77 },
      [
        ['type', 'audio'],
        ['own', 1],
        ['playlistID', '77'],
        ['uri', `server://${MID}/com.plexapp.plugins.library/playlists/77/items`],
      ],
    ],
    [
      { album: '12' },
      [
        ['type', 'audio'],
        ['own', 1],
        ['uri', `server://${MID}/com.plexapp.plugins.library/library/metadata/12`],
      ],
    ],
  ])('queues %j', (source, expected) => {
    expect(playQueueParams(MID, source)).toEqual(expected);
  });

  it.each([
    [{ tracks: [] }],
    [{ tracks: ['1', 'x'] }],
    [{ playlist: '1,2' }],
    [{ album: '' }],
    [{ tracks: Array.from({ length: 501 }, (_, i) => i + 1) }],
  ])('refuses to queue %j', (source) => {
    expect(() => playQueueParams(MID, source)).toThrow(PlexUsageError);
  });

  it.each([
    ['http://192.168.1.10:32400', { protocol: 'http', address: '192.168.1.10', port: 32400 }],
    ['https://plex.example.org', { protocol: 'https', address: 'plex.example.org', port: 443 }],
    ['http://[::1]:32400/prefix', { protocol: 'http', address: '::1', port: 32400 }],
  ])('the server as a player reaches it: %s', (url, expected) => {
    expect(serverAddress(url)).toEqual(expected);
  });

  it('orders neighbours nearest first, drops the seed and non-tracks, keeps the server order on ties', () => {
    const t = (key: string, distance?: number | string, type = 'track') => ({ ratingKey: key, type, distance }) as never;
    const out = neighboursOf([t('9', 0.3), t('1', 0), t('5', 0.1), t('6', 0.1), t('7'), t('8', 0.05, 'album'), t('4', 'x')], '1');
    expect(out.map((n) => [n.track.ratingKey, n.distance])).toEqual([
      ['5', 0.1],
      ['6', 0.1],
      ['9', 0.3],
      ['7', null],
      ['4', null],
    ]);
  });
});

describe('against a scripted server', () => {
  let server: LocalServer;
  let plex: PlexClient;
  beforeEach(async () => {
    server = await startLocalServer();
    plex = new PlexClient({ url: server.url, token: 'tok', retryBaseMs: 1, retryMaxMs: 2 });
  });
  afterEach(() => server.close());

  const identity = (res: Parameters<Parameters<LocalServer['handle']>[0]>[1]) => json(res, { MediaContainer: { machineIdentifier: MID } });

  it('lists only players that take playback commands, fresh on every call', async () => {
    let clients = [
      { name: 'Kitchen', machineIdentifier: 'k1', protocolCapabilities: 'timeline,playback,playqueues', port: 32500 },
      { name: 'Remote only', machineIdentifier: 'r1', protocolCapabilities: 'timeline,navigation' },
    ];
    server.handle((req, res) =>
      req.path === '/clients' ? json(res, { MediaContainer: { size: clients.length, Server: clients } }) : html(res, 404, ''),
    );
    expect((await plex.players()).map((p) => p.machineIdentifier)).toEqual(['k1']);
    clients = [];
    expect(await plex.players()).toEqual([]);
    expect(server.seen.filter((s) => s.path === '/clients')).toHaveLength(2);
  });

  it('creates a queue and sends playMedia through the server with the target player as a header and increasing commandIDs, once each', async () => {
    server.handle((req, res) => {
      if (req.path === '/identity') return identity(res);
      if (req.path === '/playQueues')
        return json(res, {
          MediaContainer: {
            playQueueID: 42,
            playQueueSelectedItemID: 1002,
            size: 2,
            Metadata: [
              { ratingKey: '7', playQueueItemID: 1001 },
              { ratingKey: '8', playQueueItemID: 1002 },
            ],
          },
        });
      return json(res, {});
    });
    const queue = await plex.createPlayQueue({ tracks: ['7', '8'] });
    expect(queue).toEqual({ playQueueID: '42', selectedKey: '8', size: 2 });
    await plex.playMedia('k1', queue);
    await plex.playMedia('k1', queue);
    const post = server.seen.find((s) => s.path === '/playQueues')!;
    expect(post.method).toBe('POST');
    expect(Object.fromEntries(post.query)).toEqual({
      type: 'audio',
      own: '1',
      uri: `server://${MID}/com.plexapp.plugins.library/library/metadata/7,8`,
    });
    const commands = server.seen.filter((s) => s.path === '/player/playback/playMedia');
    expect(commands.map((c) => c.method)).toEqual(['GET', 'GET']);
    const host = new URL(server.url);
    expect(commands.map((c) => c.headers['x-plex-target-client-identifier'])).toEqual(['k1', 'k1']);
    expect(Object.fromEntries(commands[0].query)).toEqual({
      providerIdentifier: 'com.plexapp.plugins.library',
      machineIdentifier: MID,
      protocol: 'http',
      address: host.hostname,
      port: host.port,
      offset: '0',
      key: '/library/metadata/8',
      type: 'music',
      containerKey: '/playQueues/42?window=100&own=1',
      commandID: '1',
    });
    expect(commands[1].query.get('commandID')).toBe('2');
    expect(commands[0].headers['x-plex-token']).toBe('tok');
  });

  it.each([
    ['playQueues', '/playQueues'],
    ['playMedia', '/player/playback/playMedia'],
  ])('never retries %s (a second attempt would queue or play twice)', async (_name, path) => {
    server.handle((req, res) => {
      if (req.path === '/identity') return identity(res);
      if (req.path === path) return html(res, 500, 'boom');
      return json(res, { MediaContainer: { playQueueID: 1, Metadata: [{ ratingKey: '5' }] } });
    });
    const err = await plex
      .createPlayQueue({ album: '3' })
      .then((q) => plex.playMedia('k1', q))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlexHttpError);
    expect(server.seen.filter((s) => s.path === path)).toHaveLength(1);
  });

  it('says a player is gone with the server’s 404 to playMedia', async () => {
    server.handle((req, res) => (req.path === '/identity' ? identity(res) : html(res, 404, 'Not Found')));
    await expect(plex.playMedia('gone', { playQueueID: '1', selectedKey: '2', size: 1 })).rejects.toBeInstanceOf(PlexNotFoundError);
  });

  it('answers an unreadable play queue with a clear error', async () => {
    server.handle((req, res) => (req.path === '/identity' ? identity(res) : json(res, { MediaContainer: { size: 0 } })));
    await expect(plex.createPlayQueue({ playlist: '9' })).rejects.toThrow(/no playQueueID/);
  });

  it.each([
    ['a server with sonic analysis', 200, true, ['11', '12']],
    ['a server without (404 on /nearest, the track exists)', 404, false, []],
    ['a server without (400)', 400, false, []],
  ])('sonicallySimilar on %s', async (_name, status, available, keys) => {
    server.handle((req, res) => {
      if (req.path === '/library/metadata/10/nearest') {
        if (status !== 200) return html(res, status, 'no');
        return json(res, {
          MediaContainer: {
            Metadata: [
              { ratingKey: '12', type: 'track', distance: 0.2 },
              { ratingKey: '11', type: 'track', distance: 0.1 },
            ],
          },
        });
      }
      if (req.path === '/library/metadata/10') return json(res, { MediaContainer: { Metadata: [{ ratingKey: '10', type: 'track' }] } });
      return html(res, 404, '');
    });
    const answer = await plex.sonicallySimilar('10', { limit: 50, maxDistance: 0.4 });
    expect(answer.available).toBe(available);
    expect(answer.neighbours.map((n) => n.track.ratingKey)).toEqual(keys);
    expect(Object.fromEntries(server.seen[0].query)).toEqual({ limit: '50', maxDistance: '0.4' });
  });

  it('sonicallySimilar of a track that is gone is a not-found, not "no sonic analysis"', async () => {
    server.handle((_req, res) => html(res, 404, 'Not Found'));
    await expect(plex.sonicallySimilar('10')).rejects.toBeInstanceOf(PlexNotFoundError);
  });
});
