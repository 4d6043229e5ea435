// Play now and sonic neighbours against the simulator: the players it lists, a list / playlist / album
// played on one (what the player then plays), a player that went away or refuses, and servers with and
// without sonic analysis.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlexClient } from '../../../src/plex/index.js';
import { PlayNow, PlayNowError, type PlayNowPlex } from '../../../src/playlists/play-now.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { waitUntil } from '../../support/wait.js';

let sim: RunningSimulator;
let plex: PlexClient;
let playNow: PlayNow;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, tracks: 600, seed: 3, log: { warn() {}, error() {} } as never });
});
afterAll(() => sim.close());
beforeEach(() => {
  Object.assign(sim.config, { sonicAnalysis: true, noSonicAnswer: 'notFound', latencyMs: 0, faultRate: 0 });
  for (const p of sim.players.nowPlaying().players) sim.players.set(p.machineIdentifier, { online: true, refuse: false });
  plex = new PlexClient({ url: sim.url, token: sim.token, retryBaseMs: 1, retryMaxMs: 5 });
  playNow = new PlayNow(async () => plex);
});

const nowOn = (id: string) => sim.players.nowPlaying().players.find((p) => p.machineIdentifier === id)!;
const tracksOfAlbum = (albumKey: string) => sim.state.tracks.filter((t) => t.albumKey === albumKey);

describe('players', () => {
  it('lists the players that take playback commands, with names and products', async () => {
    const players = await plex.players();
    expect(players.length).toBeGreaterThan(0);
    for (const p of players) {
      expect(p.protocolCapabilities).toContain('playback');
      expect(p.machineIdentifier).toMatch(/\S/);
    }
    const listed = new Set(players.map((p) => p.machineIdentifier));
    const online = sim.players.nowPlaying().players.filter((p) => p.online);
    for (const p of online) expect(listed.has(p.machineIdentifier) || !p.online).toBe(true);
  });

  it('plays a generated list on a player: it starts with the first track, the whole list queued', async () => {
    const player = (await plex.players())[0];
    const keys = sim.state.tracks.slice(10, 15).map((t) => t.ratingKey);
    const before = sim.players.nowPlaying().commands;
    const result = await playNow.play(player.machineIdentifier, { ratingKeys: keys });
    expect(result).toMatchObject({ player: { id: player.machineIdentifier, name: player.name }, first: keys[0], size: 5 });
    await waitUntil(() => nowOn(player.machineIdentifier).track?.ratingKey === keys[0], 'the player to play the first track');
    const entry = nowOn(player.machineIdentifier);
    expect(entry.queueLength).toBe(5);
    expect(String(entry.playQueueID)).toBe(result.playQueueID);
    expect(sim.players.nowPlaying().commands).toBe(before + 1);
  });

  it('plays a saved playlist and an album', async () => {
    const keys = sim.state.tracks.slice(40, 44).map((t) => t.ratingKey);
    const playlist = await plex.createPlaylist('Play me', keys);
    const player = (await plex.players()).at(-1)!;
    await playNow.play(player.machineIdentifier, { playlistRatingKey: playlist.ratingKey });
    await waitUntil(() => nowOn(player.machineIdentifier).track?.ratingKey === keys[0], 'the playlist’s first track');
    expect(nowOn(player.machineIdentifier).queueLength).toBe(4);

    const albumKey = sim.state.tracks[100].albumKey;
    const album = tracksOfAlbum(albumKey);
    const result = await playNow.play(player.machineIdentifier, { albumRatingKey: albumKey });
    expect(result.size).toBe(album.length);
    await waitUntil(() => album.some((t) => t.ratingKey === nowOn(player.machineIdentifier).track?.ratingKey), 'a track of the album');
    expect(nowOn(player.machineIdentifier).track?.ratingKey).toBe(result.first);
  });

  it('a player that went offline is gone (404 on "player"), and nothing is queued for it', async () => {
    const player = (await plex.players())[0];
    sim.players.set(player.machineIdentifier, { online: false });
    expect((await plex.players()).map((p) => p.machineIdentifier)).not.toContain(player.machineIdentifier);
    const commands = sim.players.nowPlaying().commands;
    const err = await playNow.play(player.machineIdentifier, { ratingKeys: [sim.state.tracks[0].ratingKey] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlayNowError);
    expect(err).toMatchObject({ problem: 'player-gone', status: 404, field: 'player' });
    expect(sim.players.nowPlaying().commands).toBe(commands);
  });

  it('a player that refuses is reported as refused (502), once', async () => {
    const player = (await plex.players())[0];
    sim.players.set(player.machineIdentifier, { refuse: true });
    const commands = sim.players.nowPlaying().commands;
    const err = await playNow.play(player.machineIdentifier, { ratingKeys: [sim.state.tracks[1].ratingKey] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ problem: 'refused', status: 502 });
    expect((err as Error).message).toContain(player.name);
    expect(sim.players.nowPlaying().commands).toBe(commands + 1);
  });

  it('a player that goes away between the queue and the command is told apart from a refusal (409 on "player")', async () => {
    const player = (await plex.players())[0];
    // The phone falls asleep while the queue is being created.
    const sleepy: PlayNowPlex = {
      players: (signal) => plex.players(signal),
      createPlayQueue: async (source) => {
        const queue = await plex.createPlayQueue(source);
        sim.players.set(player.machineIdentifier, { online: false });
        return queue;
      },
      playMedia: (id, queue) => plex.playMedia(id, queue),
    };
    const err = await new PlayNow(async () => sleepy)
      .play(player.machineIdentifier, { ratingKeys: [sim.state.tracks[2].ratingKey] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ problem: 'player-gone', status: 409, field: 'player' });
    expect((err as Error).message).toContain(`${player.name} went away`);
  });

  it('a missing album is a 404 naming albumRatingKey', async () => {
    const player = (await plex.players())[0];
    const err = await playNow.play(player.machineIdentifier, { albumRatingKey: '987654321' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 404, field: 'albumRatingKey' });
  });
});

describe('sonic neighbours', () => {
  it('answers a seed’s nearest tracks, nearest first, without the seed', async () => {
    const seed = sim.state.tracks[50].ratingKey;
    const answer = await plex.sonicallySimilar(seed, { limit: 20 });
    expect(answer.available).toBe(true);
    expect(answer.neighbours.length).toBeGreaterThan(0);
    expect(answer.neighbours.length).toBeLessThanOrEqual(20);
    expect(answer.neighbours.map((n) => n.track.ratingKey)).not.toContain(seed);
    const distances = answer.neighbours.map((n) => n.distance!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it.each(['notFound', 'empty'] as const)('a server without sonic analysis (answering %s) says so, or finds none', async (mode) => {
    Object.assign(sim.config, { sonicAnalysis: false, noSonicAnswer: mode });
    const answer = await plex.sonicallySimilar(sim.state.tracks[50].ratingKey);
    expect(answer.neighbours).toEqual([]);
    // An empty 200 cannot be told apart from "nothing near": only the 404 form says "no sonic analysis".
    expect(answer.available).toBe(mode === 'empty');
  });
});
