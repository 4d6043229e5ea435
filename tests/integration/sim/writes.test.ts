// Write-side behaviour: ratings, tag edits (single replaces / several add / removal / locks), bulk
// userRating edits, edits without id, playlists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { call, getJson, startSim } from './helpers.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSim({ echoWebhooks: false });
});
afterAll(async () => {
  await sim.close();
});

const unratedTracks = () => sim.state.tracks.filter((t) => t.userRating === undefined);
const item = async (key: string) => (await getJson(sim, `/library/metadata/${key}`)).Metadata[0];
const edit = (query: string) => call(sim, 'PUT', `/library/sections/1/all?${query}`);

describe('PUT /:/rate', () => {
  it('stores decimals rounded to one place, sets lastRatedAt but not updatedAt, answers an empty 200', async () => {
    const track = unratedTracks()[0];
    const before = await item(track.ratingKey);
    const res = await call(sim, 'PUT', `/:/rate?key=${track.ratingKey}&identifier=com.plexapp.plugins.library&rating=7.46`);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const after = await item(track.ratingKey);
    expect(after.userRating).toBe(7.5);
    expect(after.lastRatedAt).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
    expect(after.updatedAt).toBe(before.updatedAt);
    expect(sim.state.getRating(track.ratingKey)).toBe(7.5);
  });

  it('-1 clears (userRating absent again)', async () => {
    const track = sim.state.tracks.find((t) => t.userRating !== undefined)!;
    await call(sim, 'PUT', `/:/rate?key=${track.ratingKey}&identifier=com.plexapp.plugins.library&rating=-1`);
    expect('userRating' in (await item(track.ratingKey))).toBe(false);
  });

  it('rejects bad values and unknown items', async () => {
    const key = sim.state.tracks[0].ratingKey;
    expect((await call(sim, 'PUT', `/:/rate?key=${key}&identifier=com.plexapp.plugins.library&rating=11`)).status).toBe(400);
    expect((await call(sim, 'PUT', `/:/rate?key=${key}&identifier=com.plexapp.plugins.library&rating=abc`)).status).toBe(400);
    expect((await call(sim, 'PUT', `/:/rate?key=${key}&identifier=other&rating=5`)).status).toBe(400);
    expect((await call(sim, 'PUT', '/:/rate?key=999999999&identifier=com.plexapp.plugins.library&rating=5')).status).toBe(404);
  });

  it('keeps full precision when rounding is switched off', async () => {
    const track = unratedTracks()[1];
    await call(sim, 'POST', '/__sim/config?roundRatings=0');
    await call(sim, 'PUT', `/:/rate?key=${track.ratingKey}&identifier=com.plexapp.plugins.library&rating=6.123`);
    await call(sim, 'POST', '/__sim/config?roundRatings=1');
    expect((await item(track.ratingKey)).userRating).toBe(6.123);
  });
});

describe('tag edits', () => {
  it('with one id, adds replace the list; removal removes; mood[].tag= clears; locks show as Field', async () => {
    const track = sim.state.tracks.find((t) => t.moods.length >= 2)!;
    const key = track.ratingKey;
    expect((await edit(`type=10&id=${key}&mood%5B0%5D.tag.tag=Happy&mood%5B1%5D.tag.tag=Calm%20Down&mood.locked=1`)).status).toBe(200);
    let t = await item(key);
    expect(t.Mood.map((m: any) => m.tag)).toEqual(['Happy', 'Calm Down']);
    expect(t.Field).toEqual([{ name: 'mood', locked: true }]);
    expect(t.updatedAt).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
    await edit(`type=10&id=${key}&mood%5B%5D.tag.tag-=${encodeURIComponent(encodeURIComponent('Calm Down'))}`);
    expect((await item(key)).Mood.map((m: any) => m.tag)).toEqual(['Happy']);
    await edit(`type=10&id=${key}&mood%5B%5D.tag=&mood.locked=0`);
    t = await item(key);
    expect(t.Mood).toBeUndefined();
    expect(t.Field).toBeUndefined();
  });

  it('with several ids, adds are appended to each item; genre and style work the same way', async () => {
    const [a, b] = sim.state.tracks.filter((t) => t.moods.length > 0).slice(5, 7);
    const before = a.moods.slice();
    await edit(`id=${a.ratingKey}%2C${b.ratingKey}&mood.locked=1&mood%5B0%5D.tag.tag=Party&type=10`);
    expect((await item(a.ratingKey)).Mood.map((m: any) => m.tag)).toEqual([...before, 'Party']);
    expect((await item(b.ratingKey)).Mood.map((m: any) => m.tag)).toContain('Party');
    const album = sim.state.albums[3];
    await edit(`type=9&id=${album.ratingKey}&genre%5B0%5D.tag.tag=Shoegaze%20Pop&style%5B0%5D.tag.tag=Noise`);
    const got = await item(album.ratingKey);
    expect(got.Genre.map((g: any) => g.tag)).toEqual(['Shoegaze Pop']);
    expect(got.Style.map((g: any) => g.tag)).toEqual(['Noise']);
    // Other tracks of the album share nothing with the edited one.
    expect(sim.state.tracks.filter((t) => t.moods.includes('Party'))).toHaveLength(2);
  });

  it('an edit without id applies to every item of the type and is counted', async () => {
    const before = sim.stats.editWithoutId;
    await edit('type=8&mood%5B0%5D.tag.tag=Everywhere');
    expect(sim.stats.editWithoutId).toBe(before + 1);
    expect(sim.state.artists.every((a) => a.moods.includes('Everywhere'))).toBe(true);
    expect(sim.state.albums.some((a) => a.moods.includes('Everywhere'))).toBe(false);
  });

  it('title edits and bad edits', async () => {
    const track = sim.state.tracks[20];
    await edit(`type=10&id=${track.ratingKey}&title.value=${encodeURIComponent('Renamed – Título')}`);
    expect((await item(track.ratingKey)).title).toBe('Renamed – Título');
    expect((await edit('type=10&id=abc&mood%5B0%5D.tag.tag=x')).status).toBe(400);
    expect((await edit('id=1&mood%5B0%5D.tag.tag=x')).status).toBe(400);
    expect((await edit(`type=10&id=${track.ratingKey}&mood.locked=2`)).status).toBe(400);
  });
});

describe('userRating.value edits', () => {
  it('on: behave like /:/rate on each id (rounded, lastRatedAt)', async () => {
    const [a, b] = unratedTracks().slice(10, 12);
    await edit(`type=10&id=${a.ratingKey},${b.ratingKey}&userRating.value=6.26`);
    expect(sim.state.getRating(a.ratingKey)).toBe(6.3);
    expect((await item(b.ratingKey)).userRating).toBe(6.3);
    expect(b.lastRatedAt).toBeDefined();
  });

  it('off: ignored with a 200 and counted', async () => {
    const [a, b] = unratedTracks().slice(20, 22);
    await call(sim, 'POST', '/__sim/config?bulkRatingEdits=0');
    const res = await edit(`type=10&id=${a.ratingKey},${b.ratingKey}&userRating.value=4`);
    await call(sim, 'POST', '/__sim/config?bulkRatingEdits=1');
    expect(res.status).toBe(200);
    expect(sim.state.getRating(a.ratingKey)).toBeUndefined();
    expect(sim.stats.ignoredRatingEdits).toBeGreaterThan(0);
  });
});

describe('playlists', () => {
  it('create, list, items, append, remove one item, clear, delete', async () => {
    const [t1, t2, t3] = sim.state.tracks.slice(30, 33);
    const uri = (keys: string) =>
      encodeURIComponent(`server://${sim.machineIdentifier}/com.plexapp.plugins.library/library/metadata/${keys}`);
    const created = await call(
      sim,
      'POST',
      `/playlists?type=audio&title=Road%20Trip&smart=0&uri=${uri(`${t1.ratingKey},${t2.ratingKey}`)}`,
    );
    expect(created.status).toBe(200);
    const pl = created.json().MediaContainer.Metadata[0];
    expect(pl).toMatchObject({ type: 'playlist', title: 'Road Trip', playlistType: 'audio', smart: false, leafCount: 2 });
    const id = pl.ratingKey;
    expect((await getJson(sim, '/playlists?playlistType=audio')).Metadata.map((p: any) => p.ratingKey)).toContain(id);
    expect((await getJson(sim, `/playlists/${id}`)).Metadata[0].title).toBe('Road Trip');
    await call(sim, 'PUT', `/playlists/${id}/items?uri=${uri(t3.ratingKey)}`);
    let items = (await getJson(sim, `/playlists/${id}/items`)).Metadata;
    expect(items.map((t: any) => t.ratingKey)).toEqual([t1.ratingKey, t2.ratingKey, t3.ratingKey]);
    expect(items.every((t: any) => typeof t.playlistItemID === 'number')).toBe(true);
    await call(sim, 'DELETE', `/playlists/${id}/items/${items[1].playlistItemID}`);
    items = (await getJson(sim, `/playlists/${id}/items`)).Metadata;
    expect(items.map((t: any) => t.ratingKey)).toEqual([t1.ratingKey, t3.ratingKey]);
    const xml = (await call(sim, 'GET', `/playlists/${id}/items`, { json: false })).xml().MediaContainer;
    expect(xml.Track).toHaveLength(2);
    await call(sim, 'DELETE', `/playlists/${id}/items`);
    expect((await getJson(sim, `/playlists/${id}/items`)).size).toBe(0);
    expect((await call(sim, 'DELETE', `/playlists/${id}`)).status).toBe(200);
    expect((await call(sim, 'GET', `/playlists/${id}`)).status).toBe(404);
  });

  it('expands an album uri to its tracks and rejects foreign servers and bad input', async () => {
    const album = sim.state.albums[1];
    const uri = encodeURIComponent(`server://${sim.machineIdentifier}/com.plexapp.plugins.library/library/metadata/${album.ratingKey}`);
    const pl = (await call(sim, 'POST', `/playlists?type=audio&title=Album&smart=0&uri=${uri}`)).json().MediaContainer.Metadata[0];
    expect(pl.leafCount).toBe(sim.state.tracksByAlbum.get(album.ratingKey)!.length);
    const foreign = encodeURIComponent('server://0000/com.plexapp.plugins.library/library/metadata/1');
    expect((await call(sim, 'POST', `/playlists?type=audio&title=X&smart=0&uri=${foreign}`)).status).toBe(400);
    expect((await call(sim, 'POST', `/playlists?type=video&title=X&smart=0&uri=${uri}`)).status).toBe(400);
    expect((await call(sim, 'POST', `/playlists?type=audio&smart=0&uri=${uri}`)).status).toBe(400);
  });
});
