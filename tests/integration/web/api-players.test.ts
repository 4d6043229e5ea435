// GET /api/players and POST /api/play through the real composition root and the simulator: what plays,
// every invalid request a 400 naming the field (413/415 for the body), a player that went away (404) or
// refuses (502); the play-now page routes; and the seed flow's `sonic` option with and without sonic analysis.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlexClient } from '../../../src/plex/index.js';
import { waitUntil } from '../../support/wait.js';
import { Client } from './harness.js';
import { API_TOKEN, PASSWORD, startPlaylistApp, type PlaylistApp } from './playlist-support.js';

let h: PlaylistApp;
let plex: PlexClient;
const auth = { authorization: `Bearer ${API_TOKEN}` };

beforeAll(async () => {
  h = await startPlaylistApp();
  plex = new PlexClient({ url: h.sim.url, token: h.sim.token });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  Object.assign(h.sim.config, { sonicAnalysis: true, noSonicAnswer: 'notFound' });
  for (const p of h.sim.players.nowPlaying().players) h.sim.players.set(p.machineIdentifier, { online: true, refuse: false });
});

const play = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json', ...auth }) =>
  fetch(`${h.url}/api/play`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const players = async () =>
  ((await (await fetch(`${h.url}/api/players`, { headers: auth })).json()) as { players: { id: string; name: string }[] }).players;
const nowOn = (id: string) => h.sim.players.nowPlaying().players.find((p) => p.machineIdentifier === id)!;
const keys = (from: number, n: number) => h.sim.state.tracks.slice(from, from + n).map((t) => t.ratingKey);

describe('GET /api/players', () => {
  it('lists the online players by id and name, and needs the token', async () => {
    const listed = await players();
    const online = h.sim.players.nowPlaying().players.filter((p) => p.online);
    expect(listed.map((p) => p.id).sort()).toEqual(online.map((p) => p.machineIdentifier).sort());
    expect(listed[0]).toEqual({ id: expect.any(String), name: expect.any(String), product: expect.anything() });
    expect((await fetch(`${h.url}/api/players`)).status).toBe(401);
  });

  it('leaves out a player that went offline', async () => {
    const [first] = await players();
    h.sim.players.set(first.id, { online: false });
    expect((await players()).map((p) => p.id)).not.toContain(first.id);
  });
});

describe('POST /api/play', () => {
  it('plays a list of tracks: the player starts with the first', async () => {
    const [player] = await players();
    const list = keys(20, 6);
    const res = await play({ player: player.id, ratingKeys: list });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ playing: true, player: { id: player.id, name: player.name }, first: list[0], size: 6 });
    await waitUntil(() => nowOn(player.id).track?.ratingKey === list[0], 'the player to play the first track');
    expect(nowOn(player.id).queueLength).toBe(6);
  });

  it('plays a saved playlist and an album (keys as numbers too)', async () => {
    const [, player] = await players();
    const saved = await plex.createPlaylist('API play', keys(60, 3));
    expect((await play({ player: player.id, playlistRatingKey: Number(saved.ratingKey) })).status).toBe(200);
    await waitUntil(() => nowOn(player.id).track?.ratingKey === keys(60, 1)[0], 'the playlist to play');
    const album = h.sim.state.tracks[200].albumKey;
    const res = await play({ player: player.id, albumRatingKey: album });
    expect(res.status).toBe(200);
    const { first } = await res.json();
    await waitUntil(() => nowOn(player.id).track?.ratingKey === first, 'the album to play');
    expect(h.sim.state.tracks.find((t) => t.ratingKey === first)?.albumKey).toBe(album);
  });

  const many = Array.from({ length: 501 }, (_, i) => i + 1);
  it.each([
    [{}, 'player'],
    [{ player: '' }, 'player'],
    [{ player: 'has space' }, 'player'],
    [{ player: 'p1' }, 'ratingKeys'],
    [{ player: 'p1', ratingKeys: [] }, 'ratingKeys'],
    [{ player: 'p1', ratingKeys: ['12a'] }, 'ratingKeys.0'],
    [{ player: 'p1', ratingKeys: many }, 'ratingKeys'],
    [{ player: 'p1', ratingKeys: ['1'], playlistRatingKey: '2' }, 'playlistRatingKey'],
    [{ player: 'p1', albumRatingKey: -3 }, 'albumRatingKey'],
    [{ player: 'p1', ratingKeys: ['1'], volume: 3 }, 'volume'],
  ])('%o → 400 naming %s, and nothing plays', async (body, field) => {
    const commands = h.sim.players.nowPlaying().commands;
    const res = await play(body);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.field).toBe(field);
    expect(answer.error).toContain(field);
    expect(h.sim.players.nowPlaying().commands).toBe(commands);
  });

  it('rejects bodies that are not JSON, too large, or of another type', async () => {
    expect((await play('{"player": ')).status).toBe(400);
    expect((await play({ player: 'p1', ratingKeys: Array.from({ length: 3000 }, (_, i) => String(1_000_000 + i)) })).status).toBe(413);
    expect((await play('player=p1', { 'content-type': 'application/x-www-form-urlencoded', ...auth })).status).toBe(415);
    expect((await play({ player: 'p1', ratingKeys: ['1'] }, { 'content-type': 'application/json' })).status).toBe(401);
  });

  it('a player that went away is 404 on "player"; one that refuses is 502; a missing playlist 404 on its field', async () => {
    const [a, b] = await players();
    h.sim.players.set(a.id, { online: false });
    const gone = await play({ player: a.id, ratingKeys: keys(0, 2) });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ field: 'player', error: expect.stringContaining('not available any more') });
    h.sim.players.set(b.id, { refuse: true });
    const refused = await play({ player: b.id, ratingKeys: keys(0, 2) });
    expect(refused.status).toBe(502);
    expect((await refused.json()).error).toContain(`${b.name} refused`);
    h.sim.players.set(b.id, { refuse: false });
    const missing = await play({ player: b.id, playlistRatingKey: '987654321' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).field).toBe('playlistRatingKey');
  });
});

describe('the play-now page routes', () => {
  it('lists players as a picker and plays a form’s keys, with CSRF', async () => {
    const client = new Client(h.url);
    const csrf = await client.signIn(PASSWORD);
    // Fresh (↻): the players were switched back on behind the server's back after the last look-up.
    const picker = await client.get('/play-now/players?id=play-x&fresh=1', { 'HX-Request': 'true' });
    expect(picker.status).toBe(200);
    const [player] = await players();
    expect(picker.text).toContain(`value="${player.id}"`);
    expect(picker.text).toContain('id="play-x-player"');
    const list = keys(300, 4);
    const res = await client.post('/play-now', { _csrf: csrf, player: player.id, play_id: 'play-x', keys: list }, { 'HX-Request': 'true' });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`data-playing="${player.id}"`);
    await waitUntil(() => nowOn(player.id).track?.ratingKey === list[0], 'the form’s first track to play');
    const noPlayer = await client.post('/play-now', { _csrf: csrf, keys: list[0] }, { 'HX-Request': 'true' });
    expect(noPlayer.text).toContain('Choose a player first.');
    const noCsrf = await client.post('/play-now', { player: player.id, keys: list[0] }, { 'HX-Request': 'true' });
    expect(noCsrf.status).toBe(403);
  });
});

describe('sonic neighbours in the seed flow', () => {
  const generate = (body: unknown) =>
    fetch(`${h.url}/api/playlists/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(body),
    });

  it('favours the seed’s neighbours when asked, and says so when the server has no sonic analysis', async () => {
    const seed = h.sim.state.tracks[120].ratingKey;
    const near = (await plex.sonicallySimilar(seed, { limit: 50 })).neighbours.map((n) => n.track.ratingKey);
    expect(near.length).toBeGreaterThan(5);
    const request = { seedRatingKey: seed, count: 15, provider: 'offline' };
    const plain = await (await generate(request)).json();
    const sonic = await (await generate({ ...request, sonic: true })).json();
    const share = (body: { tracks: { ratingKey: string }[] }) => body.tracks.filter((t) => near.includes(t.ratingKey)).length;
    expect(sonic.warnings.join(' ')).not.toContain('sonic');
    expect(share(sonic)).toBeGreaterThan(share(plain));
    expect(share(sonic)).toBeGreaterThanOrEqual(5);

    h.sim.config.sonicAnalysis = false;
    const without = await (await generate({ ...request, sonic: true })).json();
    expect(without.warnings.join(' ')).toContain('this Plex server has no sonic analysis');
    expect(without.tracks).toHaveLength(15);
  });

  it('rejects a sonic that is not a boolean, naming it', async () => {
    const res = await generate({ seedRatingKey: h.sim.state.tracks[0].ratingKey, sonic: 'yes' });
    expect(res.status).toBe(400);
    expect((await res.json()).field).toBe('sonic');
  });
});
