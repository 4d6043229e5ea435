// The rating-driven smart playlists against the simulator through the composition root: listed with the
// cache's counts, created in Plex with Plex's own filters (so Plex evaluates them: a rating given later in a
// Plex client shows up without Sagewire), updated in place on a second click, and the errors of the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlexClient } from '../../../src/plex/index.js';
import { SmartPlaylistError, SmartPlaylists } from '../../../src/web/services/smart-playlists.js';
import { waitUntil } from '../../support/wait.js';
import { API_TOKEN, startPlaylistApp, type PlaylistApp } from '../web/playlist-support.js';

let h: PlaylistApp;
let plex: PlexClient;

beforeAll(async () => {
  h = await startPlaylistApp({ tracks: 600 });
  plex = new PlexClient({ url: h.sim.url, token: h.sim.token });
});
afterAll(async () => h?.close());

const api = (method: 'GET' | 'POST', path: string) =>
  fetch(`${h.url}/api/playlists/smart${path}`, { method, headers: { Authorization: `Bearer ${API_TOKEN}` } });
const sim = (path: string) =>
  fetch(`${h.sim.url}${path}`, { method: 'POST', headers: { 'X-Plex-Token': h.sim.token, Accept: 'application/json' } });

interface Listed {
  id: string;
  filter: string;
  matching: number;
  playlist: { ratingKey: string; title: string } | null;
}

/** Hidden gems as Plex has them: rated above 7.9, never played, best first, at most 200. */
function hiddenGemsInPlex(): string[] {
  return h.sim.state.library.tracks
    .filter((t) => (t.userRating ?? 0) > 7.9 && !t.viewCount)
    .sort((a, b) => b.userRating! - a.userRating!)
    .slice(0, 200)
    .map((t) => t.ratingKey);
}

describe('smart playlists that use the ratings', () => {
  let gems = '';

  it('lists each definition with its filter and how many tracks match now', async () => {
    const res = await api('GET', '');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { connected: boolean; playlists: Listed[] };
    expect(body.connected).toBe(true);
    expect(body.playlists.map((p) => p.id)).toEqual(['four-stars', 'hidden-gems', 'rediscover', 'heavy-rotation']);
    expect(body.playlists.every((p) => p.playlist === null)).toBe(true);
    const rows = await h.app.database.db.selectFrom('tracks').select(['user_rating', 'view_count']).execute();
    const cached = rows.filter((r) => (r.user_rating ?? 0) >= 8 && !r.view_count).length;
    expect(cached).toBeGreaterThan(0);
    expect(body.playlists.find((p) => p.id === 'hidden-gems')!.matching).toBe(cached);
    expect(body.playlists.find((p) => p.id === 'four-stars')!.filter).toBe('userRating>>=7.9&sort=userRating:desc&limit=500');
  });

  it('creates a smart playlist whose items Plex chooses by the filter', async () => {
    const res = await api('POST', '/hidden-gems');
    expect(res.status).toBe(201);
    const body = (await res.json()) as { ratingKey: string; title: string; filter: string };
    expect(body).toMatchObject({ title: 'Hidden gems', filter: 'userRating>>=7.9&viewCount=0&sort=userRating:desc&limit=200' });
    gems = body.ratingKey;
    const listed = (await plex.playlists()).find((p) => p.ratingKey === gems)!;
    expect(Boolean(listed.smart)).toBe(true);
    const expected = hiddenGemsInPlex();
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set((await plex.playlistItems(gems)).map((t) => t.ratingKey))).toEqual(new Set(expected));
  });

  it('stays live: a track rated later in a Plex client appears without Sagewire', async () => {
    const track = h.sim.state.library.tracks.find((t) => t.userRating === undefined && !t.viewCount)!;
    expect((await sim(`/__sim/user-rate?key=${track.ratingKey}&rating=10&notify=0`)).status).toBe(200);
    await waitUntil(
      async () => (await plex.playlistItems(gems)).some((t) => t.ratingKey === track.ratingKey),
      'the new 5★ track in Hidden gems',
    );
  });

  it('updates the playlist it made instead of making another', async () => {
    const res = await api('POST', '/hidden-gems');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ratingKey: string }).ratingKey).toBe(gems);
    expect((await plex.playlists()).filter((p) => p.title === 'Hidden gems')).toHaveLength(1);
    const listed = ((await (await api('GET', '')).json()) as { playlists: Listed[] }).playlists;
    expect(listed.find((p) => p.id === 'hidden-gems')!.playlist).toMatchObject({ ratingKey: gems, title: 'Hidden gems' });
    expect(listed.find((p) => p.id === 'four-stars')!.playlist).toBeNull();
  });

  it('answers 404 for an unknown playlist and 502 when Plex refuses', async () => {
    const unknown = await api('POST', '/most-loved');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain('most-loved');
    expect((await sim('/__sim/faults?rate=1&mode=error')).status).toBe(200);
    try {
      const refused = await api('POST', '/four-stars');
      expect(refused.status).toBe(502);
      expect(((await refused.json()) as { error: string }).error).toMatch(/^Plex refused the smart playlist/);
    } finally {
      await sim('/__sim/faults?rate=0');
    }
    expect((await plex.playlists()).filter((p) => p.title === '4★ and up')).toHaveLength(0);
  });

  it('answers 503 while Plex is not connected', async () => {
    const smart = new SmartPlaylists({
      db: h.app.database.db,
      plex: { current: async () => null, playlistLink: async () => null },
      count: () => 0,
    });
    const refused = await smart.save('four-stars').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SmartPlaylistError);
    expect((refused as SmartPlaylistError).status).toBe(503);
    const overview = await smart.overview();
    expect(overview.connected).toBe(false);
    expect(overview.problem).toMatch(/not connected/);
  });
});
