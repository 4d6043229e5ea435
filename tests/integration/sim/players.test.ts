// Simulated players: `/clients` (JSON and XML), playback commands through the server with
// X-Plex-Target-Client-Identifier (header or query), what a player that is unknown, offline or refusing
// answers, the control API (`/__sim/players`, `/__sim/now-playing`) and the in-process handle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { call, getJson, startSim } from './helpers.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSim({ tracks: 800 });
});
afterAll(async () => {
  await sim.close();
});

const players = () => sim.players.nowPlaying().players;
const living = () => players().find((p) => p.name === 'Living Room')!;
const kitchen = () => players().find((p) => p.name === 'Kitchen')!;
const metadataUri = (keys: string[]) =>
  encodeURIComponent(`server://${sim.machineIdentifier}/com.plexapp.plugins.library/library/metadata/${keys.join(',')}`);

async function queueOf(keys: string[]): Promise<number> {
  const res = await call(sim, 'POST', `/playQueues?type=audio&own=1&uri=${metadataUri(keys)}`);
  expect(res.status).toBe(200);
  return res.json().MediaContainer.playQueueID;
}

function playMediaPath(queueId: number, key: string, extra = '', offset: string | number = 0): string {
  const containerKey = encodeURIComponent(`/playQueues/${queueId}?window=100&own=1`);
  return (
    `/player/playback/playMedia?providerIdentifier=com.plexapp.plugins.library&machineIdentifier=${sim.machineIdentifier}` +
    `&protocol=http&address=127.0.0.1&port=32400&offset=${offset}&key=${encodeURIComponent(`/library/metadata/${key}`)}` +
    `&type=music&containerKey=${containerKey}&commandID=1${extra}`
  );
}

describe('GET /clients', () => {
  it('lists the default players as Server elements with what python-plexapi reads (JSON)', async () => {
    const mc = await getJson(sim, '/clients');
    expect(mc.size).toBe(2);
    const byName = Object.fromEntries(mc.Server.map((s: any) => [s.name, s]));
    expect(byName['Living Room']).toMatchObject({ product: 'Plexamp', protocol: 'plex', host: '127.0.0.1', address: '127.0.0.1' });
    expect(byName.Kitchen).toMatchObject({ product: 'Plex for Android (Mobile)', deviceClass: 'phone' });
    for (const s of mc.Server) {
      expect(s.machineIdentifier).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-A[0-9A-F]{3}-[0-9A-F]{12}$/);
      expect(typeof s.port).toBe('number');
      expect(s.protocolCapabilities.split(',')).toEqual(expect.arrayContaining(['timeline', 'playback', 'playqueues']));
      expect(s).toHaveProperty('version');
      expect(s).toHaveProperty('protocolVersion');
    }
  });

  it('answers the same in XML, every attribute a string', async () => {
    const res = await call(sim, 'GET', '/clients', { json: false });
    const mc = res.xml().MediaContainer;
    expect(mc.size).toBe('2');
    const server = mc.Server.find((s: any) => s.name === 'Living Room');
    expect(server.port).toBe('32500');
    expect(server.machineIdentifier).toBe(living().machineIdentifier);
  });

  it('derives the same machineIdentifiers on every run, and takes custom players', async () => {
    const again = await startSim({ tracks: 800 });
    const custom = await startSim({
      tracks: 200,
      players: [{ name: 'Office', product: 'Plexamp', machineIdentifier: 'office-1', port: 40000 }],
    });
    try {
      expect(again.players.nowPlaying().players.map((p) => p.machineIdentifier)).toEqual(players().map((p) => p.machineIdentifier));
      const mc = await getJson(custom, '/clients');
      expect(mc.Server).toEqual([expect.objectContaining({ name: 'Office', machineIdentifier: 'office-1', port: 40000 })]);
    } finally {
      await again.close();
      await custom.close();
    }
  });

  it('leaves out a player taken offline, and lists it again when it returns', async () => {
    const id = kitchen().machineIdentifier;
    const res = await call(sim, 'POST', `/__sim/players?machineIdentifier=${id}&online=0`);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ machineIdentifier: id, online: false });
    expect((await getJson(sim, '/clients')).Server.map((s: any) => s.name)).toEqual(['Living Room']);
    await call(sim, 'POST', `/__sim/players?machineIdentifier=${id}&online=1`);
    expect((await getJson(sim, '/clients')).size).toBe(2);
  });

  it('refuses bad control requests', async () => {
    expect((await call(sim, 'POST', '/__sim/players?online=0')).status).toBe(400);
    expect((await call(sim, 'POST', `/__sim/players?machineIdentifier=${living().machineIdentifier}&online=maybe`)).status).toBe(400);
    expect((await call(sim, 'POST', '/__sim/players?machineIdentifier=nobody&online=0')).status).toBe(404);
    expect(living().online).toBe(true);
  });
});

describe('playMedia through the server', () => {
  it('starts the target player on the queue at key (header form), answering the bare OK Plexamp sends', async () => {
    const keys = sim.state.tracks.slice(10, 14).map((t) => t.ratingKey);
    const queueId = await queueOf(keys);
    const before = sim.players.nowPlaying().commands;
    const next = sim.players.nextCommand();
    const res = await call(sim, 'GET', playMediaPath(queueId, keys[2], '', 15000), {
      headers: { 'X-Plex-Target-Client-Identifier': living().machineIdentifier },
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('OK');
    expect(await next).toMatchObject({ outcome: 'accepted', command: 'playMedia', playQueueID: queueId, ratingKey: keys[2] });
    const track = sim.state.track(keys[2])!;
    expect(living()).toMatchObject({
      state: 'playing',
      playQueueID: queueId,
      queueLength: 4,
      offsetMs: 15000,
      track: { ratingKey: keys[2], title: track.title, album: sim.state.albumOf(track).title },
    });
    expect(living().startedAt).toBeGreaterThan(0);
    expect(sim.players.nowPlaying().commands).toBe(before + 1);
    // The queue's selection follows the player, and its version grows.
    const queue = await getJson(sim, `/playQueues/${queueId}`);
    expect(queue).toMatchObject({ playQueueSelectedItemOffset: 2, playQueueSelectedMetadataItemID: Number(keys[2]), playQueueVersion: 2 });
  });

  it('takes the target as a query parameter too; other players answer an XML Response', async () => {
    const keys = sim.state.tracks.slice(20, 23).map((t) => t.ratingKey);
    const queueId = await queueOf(keys);
    const res = await call(
      sim,
      'GET',
      playMediaPath(queueId, keys[0], `&X-Plex-Target-Client-Identifier=${encodeURIComponent(kitchen().machineIdentifier)}`),
    );
    expect(res.status).toBe(200);
    expect(kitchen()).toMatchObject({ state: 'playing', playQueueID: queueId, track: { ratingKey: keys[0] } });

    const custom = await startSim({ tracks: 200, players: [{ name: 'Den', product: 'Plex HTPC', machineIdentifier: 'den-1' }] });
    try {
      const key = custom.state.tracks[0].ratingKey;
      const uri = encodeURIComponent(`server://${custom.machineIdentifier}/com.plexapp.plugins.library/library/metadata/${key}`);
      const queue = (await call(custom, 'POST', `/playQueues?type=audio&uri=${uri}`)).json().MediaContainer.playQueueID;
      const answer = await call(
        custom,
        'GET',
        `/player/playback/playMedia?key=%2Flibrary%2Fmetadata%2F${key}&containerKey=%2FplayQueues%2F${queue}&type=music&X-Plex-Target-Client-Identifier=den-1`,
      );
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/xml/);
      expect(answer.xml().Response).toEqual([{ code: '200', status: 'OK' }]);
    } finally {
      await custom.close();
    }
  });

  it('unknown and offline players: 500 "Unable to find player", nothing changes', async () => {
    const keys = sim.state.tracks.slice(30, 32).map((t) => t.ratingKey);
    const queueId = await queueOf(keys);
    const unknown = await call(sim, 'GET', playMediaPath(queueId, keys[0]), {
      headers: { 'X-Plex-Target-Client-Identifier': 'no-such-player' },
    });
    expect(unknown.status).toBe(500);
    expect(unknown.xml().Response[0].status).toContain('Unable to find player with identifier no-such-player');

    const id = kitchen().machineIdentifier;
    sim.players.set(id, { online: false });
    try {
      expect(kitchen().state).toBe('stopped'); // a player that drops off stops playing
      const before = kitchen();
      const offline = await call(sim, 'GET', playMediaPath(queueId, keys[0]), { headers: { 'X-Plex-Target-Client-Identifier': id } });
      expect(offline.status).toBe(500);
      expect(kitchen()).toMatchObject({
        state: 'stopped',
        playQueueID: before.playQueueID,
        commands: before.commands,
        rejected: before.rejected + 1,
      });
    } finally {
      sim.players.set(id, { online: true });
    }
    expect(sim.stats.playback).toMatchObject({ unknown: 1, unreachable: 1 });
  });

  it('a player that refuses answers 406 and keeps playing what it played', async () => {
    const keys = sim.state.tracks.slice(40, 42).map((t) => t.ratingKey);
    const queueId = await queueOf(keys);
    const id = living().machineIdentifier;
    const before = living();
    await call(sim, 'POST', `/__sim/players?machineIdentifier=${id}&refuse=1`);
    const next = sim.players.nextCommand();
    const res = await call(sim, 'GET', playMediaPath(queueId, keys[0]), { headers: { 'X-Plex-Target-Client-Identifier': id } });
    await call(sim, 'POST', `/__sim/players?machineIdentifier=${id}&refuse=0`);
    expect(res.status).toBe(406);
    expect((await next).outcome).toBe('refused');
    expect(living()).toMatchObject({ playQueueID: before.playQueueID, track: before.track, commands: before.commands });
  });

  it.each([
    ['no target', (q: number, k: string) => playMediaPath(q, k), false],
    ['an unknown queue', (_q: number, k: string) => playMediaPath(999_999, k), true],
    ['a key not in the queue', (q: number) => playMediaPath(q, sim.state.tracks[700].ratingKey), true],
    ['a malformed key', (q: number) => playMediaPath(q, 'abc'), true],
    ['another server', (q: number, k: string) => playMediaPath(q, k).replace(sim.machineIdentifier, 'elsewhere'), true],
    ['a negative offset', (q: number, k: string) => playMediaPath(q, k, '', -5), true],
    ['a fractional offset', (q: number, k: string) => playMediaPath(q, k, '', 1.5), true],
    ['a video type', (q: number, k: string) => playMediaPath(q, k).replace('type=music', 'type=video'), true],
  ])('answers 400 for %s and changes nothing', async (_name, path, withTarget) => {
    const keys = sim.state.tracks.slice(50, 52).map((t) => t.ratingKey);
    const queueId = await queueOf(keys);
    const before = sim.players.nowPlaying();
    const headers: Record<string, string> = withTarget ? { 'X-Plex-Target-Client-Identifier': living().machineIdentifier } : {};
    const res = await call(sim, 'GET', path(queueId, keys[0]), { headers });
    expect(res.status).toBe(400);
    expect(sim.players.nowPlaying()).toEqual(before);
  });

  it('stop, pause, play and skipNext act on the current queue', async () => {
    const keys = sim.state.tracks.slice(60, 62).map((t) => t.ratingKey);
    const queueId = await queueOf(keys);
    const headers = { 'X-Plex-Target-Client-Identifier': living().machineIdentifier };
    await call(sim, 'GET', playMediaPath(queueId, keys[0]), { headers });
    const command = async (name: string) =>
      expect((await call(sim, 'GET', `/player/playback/${name}?type=music`, { headers })).status).toBe(200);
    await command('pause');
    expect(living().state).toBe('paused');
    await command('play');
    await command('skipNext');
    expect(living()).toMatchObject({ state: 'playing', track: { ratingKey: keys[1] } });
    await command('skipNext'); // past the end
    expect(living().state).toBe('stopped');
    await command('stop');
    expect((await call(sim, 'GET', '/player/playback/rewindTheTape', { headers })).status).toBe(404);
  });

  it('counts commands by route, and fault injection applies to them', async () => {
    const keys = sim.state.tracks.slice(70, 72).map((t) => t.ratingKey);
    const queueId = await queueOf(keys);
    const headers = { 'X-Plex-Target-Client-Identifier': living().machineIdentifier };
    await call(sim, 'DELETE', '/__sim/stats');
    await call(sim, 'GET', playMediaPath(queueId, keys[1]), { headers });
    expect(sim.stats.requests['GET /player/playback/:command']).toBe(1);
    expect(sim.stats.playback).toEqual({ accepted: 1 });

    const before = sim.players.nowPlaying();
    await call(sim, 'POST', '/__sim/faults?rate=1&mode=error');
    const faulted = await call(sim, 'GET', playMediaPath(queueId, keys[0]), { headers });
    await call(sim, 'POST', '/__sim/faults?rate=0');
    expect(faulted.status).toBe(500);
    expect(sim.players.nowPlaying()).toEqual(before); // the fault came before the command reached the player
  });
});

describe('GET /__sim/now-playing', () => {
  it('lists every player with its state and a command counter', async () => {
    const body = (await call(sim, 'GET', '/__sim/now-playing')).json();
    expect(body.commands).toBe(sim.players.nowPlaying().commands);
    expect(body.players).toHaveLength(2);
    for (const p of body.players) {
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining([
          'machineIdentifier',
          'name',
          'online',
          'state',
          'playQueueID',
          'track',
          'queueLength',
          'commands',
          'startedAt',
        ]),
      );
    }
  });

  it('?after=N waits for the next command', async () => {
    const keys = sim.state.tracks.slice(80, 82).map((t) => t.ratingKey);
    const queueId = await queueOf(keys);
    const { commands } = sim.players.nowPlaying();
    let answered = false;
    const waiting = call(sim, 'GET', `/__sim/now-playing?after=${commands}&waitMs=30000`).then((r) => {
      answered = true;
      return r.json();
    });
    await call(sim, 'GET', '/__sim/stats'); // the server has taken the waiting request in by now
    expect(answered).toBe(false);
    await call(sim, 'GET', playMediaPath(queueId, keys[1]), {
      headers: { 'X-Plex-Target-Client-Identifier': kitchen().machineIdentifier },
    });
    const body = await waiting;
    expect(body.commands).toBe(commands + 1);
    expect(body.players.find((p: any) => p.name === 'Kitchen').track.ratingKey).toBe(keys[1]);
    expect((await call(sim, 'GET', '/__sim/now-playing?after=-1')).status).toBe(400);
  });
});
