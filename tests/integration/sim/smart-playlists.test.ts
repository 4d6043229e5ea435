// Smart playlists: created from a section query URI, rendered with `smart` and `content` as Plex does,
// evaluated live through the section filter engine, their query replaced by `PUT …/items?uri=` (python-plexapi
// `updateFilters`), and refused what Plex refuses them (appending, clearing, removing items).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimTrack } from '../../../src/sim/index.js';
import { call, getJson, startSim } from './helpers.js';

let sim: RunningSimulator;
let now = 0;
beforeAll(async () => {
  sim = await startSim({ tracks: 1500, echoWebhooks: false });
  // Relative dates (`-30d`) are measured from the server clock: pin it just after the last generated play.
  now = Math.max(...sim.state.tracks.map((t) => t.lastViewedAt ?? 0)) + 86_400;
  sim.state.clock = () => now;
});
afterAll(async () => {
  await sim.close();
});

const LIB = 'com.plexapp.plugins.library';
/** A section query inside a `uri=` value, percent-encoded as python-plexapi sends it (operators twice). */
const sectionUri = (query: string) =>
  encodeURIComponent(`server://${sim.machineIdentifier}/${LIB}/library/sections/${sim.musicSectionId}/all?type=10&${query}`);
const DAY = 86_400;

async function createSmart(title: string, query: string): Promise<any> {
  const res = await call(sim, 'POST', `/playlists?type=audio&title=${encodeURIComponent(title)}&smart=1&uri=${sectionUri(query)}`);
  expect(res.status, res.headers.get('x-sim-reason') ?? '').toBe(200);
  return res.json().MediaContainer.Metadata[0];
}
const itemKeys = async (id: string): Promise<string[]> =>
  ((await getJson(sim, `/playlists/${id}/items`)).Metadata ?? []).map((m: any) => m.ratingKey);
const plays = (t: SimTrack) => t.viewCount ?? 0;

describe('smart playlist filters, evaluated with the section filter engine', () => {
  const genreId = () => sim.state.tags.find('genre', sim.state.tracks[0].genres[0])!.id;
  const byLibraryOrder = (keep: (t: SimTrack) => boolean) => sim.state.tracks.filter(keep).map((t) => t.ratingKey);
  it.each<[string, () => string, () => string[]]>([
    ['userRating>>=6', () => 'userRating%3E%3E=6', () => byLibraryOrder((t) => (t.userRating ?? -1) > 6)],
    ['userRating<<=4', () => 'userRating%3C%3C=4', () => byLibraryOrder((t) => t.userRating !== undefined && t.userRating < 4)],
    ['viewCount=0', () => 'viewCount=0', () => byLibraryOrder((t) => plays(t) === 0)],
    ['viewCount>>=5', () => 'viewCount%3E%3E=5', () => byLibraryOrder((t) => plays(t) > 5)],
    [
      'lastViewedAt<<=-3mon',
      () => 'lastViewedAt%3C%3C=-3mon',
      () => byLibraryOrder((t) => t.lastViewedAt !== undefined && t.lastViewedAt < now - 90 * DAY),
    ],
    [
      'lastViewedAt>>=-30d',
      () => 'lastViewedAt%3E%3E=-30d',
      () => byLibraryOrder((t) => t.lastViewedAt !== undefined && t.lastViewedAt > now - 30 * DAY),
    ],
    ['genre=<id>', () => `genre=${genreId()}`, () => byLibraryOrder((t) => t.genres.includes(sim.state.tracks[0].genres[0]))],
    [
      'viewCount=0 and genre, as python-plexapi prefixes them',
      () => `track.viewCount=0&track.genre=${genreId()}`,
      () => byLibraryOrder((t) => plays(t) === 0 && t.genres.includes(sim.state.tracks[0].genres[0])),
    ],
    [
      'sort=viewCount:desc&limit=10',
      () => 'sort=viewCount%3Adesc&limit=10',
      () =>
        sim.state.tracks
          .map((t, i) => ({ t, i }))
          .sort((a, b) => plays(b.t) - plays(a.t) || a.i - b.i)
          .slice(0, 10)
          .map(({ t }) => t.ratingKey),
    ],
  ])('%s', async (name, query, expected) => {
    const want = expected();
    expect(want.length).toBeGreaterThan(0);
    expect(want.length).toBeLessThan(sim.state.tracks.length);
    const playlist = await createSmart(`Smart ${name}`, query());
    expect(await itemKeys(playlist.ratingKey)).toEqual(want);
    expect(playlist.leafCount).toBe(want.length);
  });
});

describe('a smart playlist', () => {
  it('renders smart and its content URI (JSON and XML), and lists without playlistItemIDs', async () => {
    const playlist = await createSmart('Top rated', 'userRating%3E%3E=8&sort=userRating%3Adesc');
    expect(playlist).toMatchObject({ smart: true, playlistType: 'audio', type: 'playlist', key: `/playlists/${playlist.ratingKey}/items` });
    const uuid = sim.state.library.section.uuid;
    const inner = `/library/sections/${sim.musicSectionId}/all?type=10&userRating%3E%3E=8&sort=userRating%3Adesc`;
    expect(playlist.content).toBe(`library://${uuid}/directory/${encodeURIComponent(inner)}`);
    const xml = (await call(sim, 'GET', `/playlists/${playlist.ratingKey}`, { json: false })).xml().MediaContainer.Playlist[0];
    expect(xml).toMatchObject({ smart: '1', content: playlist.content });
    const items = await getJson(sim, `/playlists/${playlist.ratingKey}/items`);
    expect(items.smart).toBe(true);
    expect(items.Metadata.every((m: any) => m.playlistItemID === undefined && m.userRating > 8)).toBe(true);
    const listed = (await getJson(sim, '/playlists?playlistType=audio')).Metadata.find((p: any) => p.ratingKey === playlist.ratingKey);
    expect(listed).toMatchObject({ smart: true, leafCount: items.Metadata.length });
    const regularOnly = (await getJson(sim, '/playlists?playlistType=audio&smart=0')).Metadata ?? [];
    expect(regularOnly.some((p: any) => p.smart)).toBe(false);
    expect((await getJson(sim, '/playlists?smart=1')).Metadata.every((p: any) => p.smart)).toBe(true);
  });

  it('shows a rating change at once', async () => {
    const playlist = await createSmart('Nines', 'userRating%3E%3E=8.5');
    const track = sim.state.tracks.find((t) => t.userRating === undefined)!;
    expect(await itemKeys(playlist.ratingKey)).not.toContain(track.ratingKey);
    await call(sim, 'PUT', `/:/rate?key=${track.ratingKey}&identifier=${LIB}&rating=9`);
    expect(await itemKeys(playlist.ratingKey)).toContain(track.ratingKey);
    expect((await getJson(sim, `/playlists/${playlist.ratingKey}`)).Metadata[0].leafCount).toBe(
      (await itemKeys(playlist.ratingKey)).length,
    );
    await call(sim, 'PUT', `/:/rate?key=${track.ratingKey}&identifier=${LIB}&rating=-1`);
    expect(await itemKeys(playlist.ratingKey)).not.toContain(track.ratingKey);
  });

  it('PUT …/items?uri= replaces its query (python-plexapi updateFilters)', async () => {
    const playlist = await createSmart('Unplayed', 'viewCount=0');
    const res = await call(
      sim,
      'PUT',
      `/playlists/${playlist.ratingKey}/items?uri=${sectionUri('viewCount%3E%3E=5&sort=viewCount%3Adesc&limit=3')}`,
    );
    expect(res.status).toBe(200);
    const keys = await itemKeys(playlist.ratingKey);
    expect(keys).toHaveLength(3);
    expect(keys.map((k) => plays(sim.state.track(k)!))).toEqual(
      sim.state.tracks
        .map(plays)
        .sort((a, b) => b - a)
        .slice(0, 3),
    );
    expect(res.json().MediaContainer.Metadata[0].content).toContain(encodeURIComponent('viewCount%3E%3E=5'));
  });

  it('refuses appending items, clearing, removing an item, and a query it cannot run; nothing changes', async () => {
    const playlist = await createSmart('Guarded', 'viewCount%3E%3E=5');
    const before = await itemKeys(playlist.ratingKey);
    const trackUri = encodeURIComponent(`server://${sim.machineIdentifier}/${LIB}/library/metadata/${sim.state.tracks[0].ratingKey}`);
    expect((await call(sim, 'PUT', `/playlists/${playlist.ratingKey}/items?uri=${trackUri}`)).status).toBe(400);
    expect((await call(sim, 'DELETE', `/playlists/${playlist.ratingKey}/items`)).status).toBe(400);
    expect((await call(sim, 'DELETE', `/playlists/${playlist.ratingKey}/items/1`)).status).toBe(400);
    expect((await call(sim, 'PUT', `/playlists/${playlist.ratingKey}/items?uri=${sectionUri('nosuchfield%3E%3E=1')}`)).status).toBe(400);
    expect(await itemKeys(playlist.ratingKey)).toEqual(before);
  });

  it.each([
    [
      'a track list uri',
      () => encodeURIComponent(`server://${sim.machineIdentifier}/${LIB}/library/metadata/${sim.state.tracks[0].ratingKey}`),
    ],
    ['an unknown field', () => sectionUri('nosuchfield%3E%3E=1')],
    ['a bad value', () => sectionUri('userRating%3E%3E=lots')],
    ['a bad date', () => sectionUri('lastViewedAt%3C%3C=yesterday')],
    ['another section', () => encodeURIComponent(`server://${sim.machineIdentifier}/${LIB}/library/sections/99/all?type=10`)],
  ])('is not created from %s (400)', async (_name, uri) => {
    const count = (await getJson(sim, '/playlists')).totalSize;
    const res = await call(sim, 'POST', `/playlists?type=audio&title=Nope&smart=1&uri=${uri()}`);
    expect(res.status).toBe(400);
    expect((await getJson(sim, '/playlists')).totalSize).toBe(count);
  });

  it('keeps its query in the library data (what /__sim/save writes) and is deleted like any playlist', async () => {
    const playlist = await createSmart('Kept', 'viewCount=0');
    expect(sim.state.library.playlists.find((p) => p.ratingKey === playlist.ratingKey)?.smartQuery).toContain('viewCount=0');
    expect((await call(sim, 'DELETE', `/playlists/${playlist.ratingKey}`)).status).toBe(200);
    expect((await call(sim, 'GET', `/playlists/${playlist.ratingKey}`)).status).toBe(404);
  });
});
