// The play-now pickers on real pages, through the real composition root and the simulator (its request
// counts read from its stats): a page with three pickers asks Plex for its players once, and rendering
// the page asks nothing; ↻ and Play ask anew; the player last played on is preselected by every picker;
// without JavaScript, Play leads to a players page that plays and goes back; a Plex that does not answer
// in time is said so. Its own app, so no earlier look-up is still shared when it starts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../support/wait.js';
import { Client } from './harness.js';
import { PASSWORD, startPlaylistApp, type PlaylistApp } from './playlist-support.js';

let h: PlaylistApp;
let client: Client;
let csrf: string;

beforeAll(async () => {
  h = await startPlaylistApp();
  client = new Client(h.url);
  csrf = await client.signIn(PASSWORD);
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sim.config.latencyMs = 0;
  for (const p of h.sim.players.nowPlaying().players) h.sim.players.set(p.machineIdentifier, { online: true, refuse: false });
});

const clientsAsked = () => h.sim.stats.requests['GET /clients'] ?? 0;
const online = () => h.sim.players.nowPlaying().players.filter((p) => p.online);
const nowOn = (id: string) => h.sim.players.nowPlaying().players.find((p) => p.machineIdentifier === id)!;
const htmx = { 'HX-Request': 'true' };
/** The pickers' loads as htmx makes them: every `hx-get` fired on load. */
const pickerLoads = (html: string) =>
  [...html.matchAll(/hx-get="(\/play-now\/players\?id=[a-z0-9-]+)" hx-trigger="load"/g)].map((m) => m[1]);
const selectedIn = (fragment: string) => /<option value="([^"]+)" selected>/.exec(fragment)?.[1] ?? null;

describe('pickers on a page', () => {
  it('three pickers on the album page: the page asks Plex nothing, the pickers one /clients together; ↻ asks again', async () => {
    const before = clientsAsked();
    const page = await client.post('/playlists/albums', {
      _csrf: csrf,
      prompt: 'something warm',
      provider: 'offline',
      mode: 'library',
      familiarity: 'comfort',
      op: 'new',
    });
    expect(page.status).toBe(200);
    const loads = pickerLoads(page.text);
    expect(loads).toHaveLength(3);
    expect(clientsAsked()).toBe(before);

    const fragments = await Promise.all(loads.map((path) => client.get(path, htmx)));
    expect(fragments.map((f) => f.status)).toEqual([200, 200, 200]);
    expect(clientsAsked()).toBe(before + 1);
    const ids = online().map((p) => p.machineIdentifier);
    for (const f of fragments) for (const id of ids) expect(f.text).toContain(`value="${id}"`);
    // Each picker keeps its own ids; all preselect the same player.
    for (const [i, path] of loads.entries())
      expect(fragments[i].text).toContain(`id="${new URL(path, h.url).searchParams.get('id')}-player"`);
    expect(new Set(fragments.map((f) => selectedIn(f.text))).size).toBe(1);

    await client.get(`${loads[0]}&fresh=1`, htmx);
    expect(clientsAsked()).toBe(before + 2);
  });

  it('Play looks the player up fresh (a player that went away is told), and the next pickers preselect the one played on', async () => {
    // The pickers list by name: the last by name is never the default choice.
    const [chosen] = online().sort((a, b) => b.name.localeCompare(a.name));
    const keys = h.sim.state.tracks.slice(40, 43).map((t) => t.ratingKey);
    // The list the pickers share still has the player, but it went away: Play asks Plex again.
    await client.get('/play-now/players?id=play-a&fresh=1', htmx);
    h.sim.players.set(chosen.machineIdentifier, { online: false });
    const gone = await client.post('/play-now', { _csrf: csrf, player: chosen.machineIdentifier, keys, play_id: 'play-a' }, htmx);
    expect(gone.text).toContain('not available any more');
    h.sim.players.set(chosen.machineIdentifier, { online: true });

    const asked = clientsAsked();
    const res = await client.post('/play-now', { _csrf: csrf, player: chosen.machineIdentifier, keys, play_id: 'play-a' }, htmx);
    expect(res.text).toContain(`data-playing="${chosen.machineIdentifier}"`);
    expect(clientsAsked()).toBe(asked + 1);
    await waitUntil(() => nowOn(chosen.machineIdentifier).track?.ratingKey === keys[0], 'the first track to play');

    const pickers = await Promise.all(['play-b', 'play-c'].map((id) => client.get(`/play-now/players?id=${id}`, htmx)));
    expect(pickers.map((p) => selectedIn(p.text))).toEqual([chosen.machineIdentifier, chosen.machineIdentifier]);
    // The first listed is not the one played on, so the preselection is the remembered one, not a default.
    expect(/<option value="([^"]+)"/.exec(pickers[0].text)?.[1]).not.toBe(chosen.machineIdentifier);

    // A remembered player that is not listed any more: the first one is selected.
    h.sim.players.set(chosen.machineIdentifier, { online: false });
    const without = await client.get('/play-now/players?id=play-d&fresh=1', htmx);
    expect(without.text).not.toContain(`value="${chosen.machineIdentifier}"`);
    expect(selectedIn(without.text)).toBe(/<option value="([^"]+)"/.exec(without.text)?.[1]);
  });

  it('a Plex that does not answer in time: the picker says so and offers ↻, in time', async () => {
    h.sim.config.latencyMs = 4000;
    const started = performance.now();
    const res = await client.get('/play-now/players?id=play-e&fresh=1', htmx);
    expect(performance.now() - started).toBeLessThan(3500);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Plex did not answer within 1.5 s. Look again: ↻.');
    expect(res.text).toContain('disabled');
  });
});

describe('without JavaScript', () => {
  it('Play with no player listed answers a players page; choosing one plays and goes back to the page', async () => {
    const album = h.sim.state.tracks[100].albumKey;
    const back = '/playlists/albums';
    const referer = { referer: `${h.url}${back}` };
    const page = await client.post('/play-now', { _csrf: csrf, play_album: album, play_id: 'play-album-1' }, referer);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Play on a Plex player');
    expect(page.text).toContain(`name="play_album" value="${album}"`);
    expect(page.text).toContain(`name="back" value="${back}"`);
    const ids = online().map((p) => p.machineIdentifier);
    for (const id of ids) expect(page.text).toContain(`name="player" value="${id}"`);
    expect(page.text).toMatch(/name="player" value="[^"]+" checked/);

    // ↻ without JavaScript: the same page, asked anew.
    const asked = clientsAsked();
    const again = await client.post('/play-now', { _csrf: Client.csrfOf(page.text), play_album: album, look: '1', back });
    expect(again.text).toContain(`name="play_album" value="${album}"`);
    expect(clientsAsked()).toBe(asked + 1);

    const player = ids[0];
    const res = await client.post('/play-now', { _csrf: csrf, player, play_album: album, back });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(back);
    await waitUntil(() => h.sim.state.tracks.find((t) => t.ratingKey === nowOn(player).track?.ratingKey)?.albumKey === album, 'the album');
    expect((await client.get(back)).text).toContain('Playing on');

    // A player that went away: the players page again, saying so, the target still carried.
    h.sim.players.set(player, { online: false });
    const gone = await client.post('/play-now', { _csrf: csrf, player, play_album: album, back });
    expect(gone.status).toBe(200);
    expect(gone.text).toContain('not available any more');
    expect(gone.text).toContain(`name="play_album" value="${album}"`);
    // A back address off the site is not followed.
    h.sim.players.set(player, { online: true });
    const offSite = await client.post('/play-now', { _csrf: csrf, player, play_album: album, back: '//evil.example/' });
    expect(offSite.headers.get('location')).toBe('/');
  });

  it('the review form’s keys travel to the players page', async () => {
    const keys = h.sim.state.tracks.slice(10, 14).map((t) => t.ratingKey);
    const page = await client.post('/play-now', {
      _csrf: csrf,
      keys: [...keys, 'not-a-key'],
      title: 'x',
      mode: 'create',
      play_id: 'play-list',
    });
    expect(page.status).toBe(200);
    expect([...page.text.matchAll(/name="keys" value="([^"]+)"/g)].map((m) => m[1])).toEqual(keys);
    expect(page.text).toContain('4 tracks');
  });
});
