// Play queues: created from tracks, an album, an artist, a playlist (regular or smart) or a section query, in
// each URI form Plex clients send; deterministic shuffle; reading one back with a window; the errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { call, getJson, startSim } from './helpers.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSim({ tracks: 1200 });
});
afterAll(async () => {
  await sim.close();
});

const LIB = 'com.plexapp.plugins.library';
const serverUri = (path: string, s: RunningSimulator = sim) => encodeURIComponent(`server://${s.machineIdentifier}/${LIB}${path}`);
const create = (query: string, s: RunningSimulator = sim) => call(s, 'POST', `/playQueues?${query}`);
const keysOf = (mc: any): string[] => (mc.Metadata ?? []).map((m: any) => m.ratingKey);
const albumWith = (n: number) => sim.state.albums.find((a) => (sim.state.tracksByAlbum.get(a.ratingKey)?.length ?? 0) >= n)!;
const albumTracks = (key: string) => sim.state.tracksByAlbum.get(key)!.map((t) => t.ratingKey);

describe('POST /playQueues', () => {
  it('from a list of tracks: their order, the first selected, every attribute Plex sends', async () => {
    const keys = [sim.state.tracks[5], sim.state.tracks[900], sim.state.tracks[17]].map((t) => t.ratingKey);
    const uri = serverUri(`/library/metadata/${keys.join(',')}`);
    const res = await create(`type=audio&own=1&uri=${uri}`);
    expect(res.status).toBe(200);
    const mc = res.json().MediaContainer;
    expect(keysOf(mc)).toEqual(keys);
    expect(mc).toMatchObject({
      size: 3,
      identifier: LIB,
      playQueueSelectedItemOffset: 0,
      playQueueSelectedMetadataItemID: Number(keys[0]),
      playQueueShuffled: false,
      playQueueSourceURI: decodeURIComponent(uri),
      playQueueTotalCount: 3,
      playQueueVersion: 1,
    });
    expect(typeof mc.playQueueID).toBe('number');
    const itemIds = mc.Metadata.map((m: any) => m.playQueueItemID);
    expect(new Set(itemIds).size).toBe(3);
    expect(mc.playQueueSelectedItemID).toBe(itemIds[0]);
    expect(mc.Metadata[0]).toMatchObject({ type: 'track', title: sim.state.track(keys[0])!.title, parentRatingKey: expect.any(String) });
  });

  it.each([
    ['an album key', (album: string) => serverUri(`/library/metadata/${album}`)],
    ['an album key as python-plexapi sends it (…/children)', (album: string) => serverUri(`/library/metadata/${album}/children`)],
    [
      'library:///directory/ (python-plexapi lists)',
      (album: string) => encodeURIComponent(`library:///directory/${encodeURIComponent(`/library/metadata/${album}`)}`),
    ],
    [
      'library://{uuid}/item/',
      (album: string) =>
        encodeURIComponent(`library://${sim.state.library.section.uuid}/item/${encodeURIComponent(`/library/metadata/${album}`)}`),
    ],
  ])('from %s: the album tracks in order', async (_name, uri) => {
    const album = albumWith(6).ratingKey;
    const mc = (await create(`type=audio&uri=${uri(album)}`)).json().MediaContainer;
    expect(keysOf(mc)).toEqual(albumTracks(album));
  });

  it('from an artist: all its tracks, album by album', async () => {
    const artist = sim.state.artists.find((a) => (sim.state.albumsByArtist.get(a.ratingKey)?.length ?? 0) >= 2)!;
    const mc = (await create(`type=audio&uri=${serverUri(`/library/metadata/${artist.ratingKey}`)}&window=500`)).json().MediaContainer;
    expect(mc.playQueueTotalCount).toBe(sim.state.tracksOfArtist(artist.ratingKey).length);
    expect(keysOf(mc)).toEqual(
      sim.state
        .tracksOfArtist(artist.ratingKey)
        .map((t) => t.ratingKey)
        .slice(0, mc.size),
    );
  });

  it('from a playlist (playlistID, as python-plexapi sends it) and from a smart playlist', async () => {
    const keys = sim.state.tracks.slice(300, 304).map((t) => t.ratingKey);
    const created = await call(
      sim,
      'POST',
      `/playlists?type=audio&title=Q&smart=0&uri=${serverUri(`/library/metadata/${keys.join(',')}`)}`,
    );
    const id = created.json().MediaContainer.Metadata[0].ratingKey;
    const mc = (await create(`type=audio&playlistID=${id}&uri=${serverUri(`/playlists/${id}/items`)}`)).json().MediaContainer;
    expect(keysOf(mc)).toEqual(keys);

    const smartUri = serverUri(`/library/sections/${sim.musicSectionId}/all?type=10&sort=duration:desc&limit=7`);
    const smart = (await call(sim, 'POST', `/playlists?type=audio&title=S&smart=1&uri=${smartUri}`)).json().MediaContainer.Metadata[0];
    const longest = [...sim.state.tracks]
      .sort((a, b) => b.duration - a.duration)
      .slice(0, 7)
      .map((t) => t.ratingKey);
    expect(keysOf((await create(`type=audio&playlistID=${smart.ratingKey}`)).json().MediaContainer)).toEqual(longest);
  });

  it('from a section query uri', async () => {
    const uri = serverUri(`/library/sections/${sim.musicSectionId}/all?type=10&sort=duration:desc&limit=3`);
    const longest = [...sim.state.tracks]
      .sort((a, b) => b.duration - a.duration)
      .slice(0, 3)
      .map((t) => t.ratingKey);
    expect(keysOf((await create(`type=audio&uri=${uri}`)).json().MediaContainer)).toEqual(longest);
  });

  it('key selects the starting track; shuffle=1 keeps it first and shuffles the rest, the same way for the same seed', async () => {
    const album = albumWith(8).ratingKey;
    const tracks = albumTracks(album);
    const uri = serverUri(`/library/metadata/${album}`);
    const started = (await create(`type=audio&uri=${uri}&key=${encodeURIComponent(`/library/metadata/${tracks[3]}`)}`)).json()
      .MediaContainer;
    expect(started).toMatchObject({ playQueueSelectedItemOffset: 3, playQueueSelectedMetadataItemID: Number(tracks[3]) });
    expect(started.playQueueSelectedItemID).toBe(started.Metadata[3].playQueueItemID);

    const twin = await startSim({ tracks: 1200 });
    try {
      const shuffledHere = (await create(`type=audio&uri=${uri}&shuffle=1&key=${tracks[3]}`)).json().MediaContainer;
      // The twin simulator (same seed) gets the same queue id for its first queue only if it made as many: align them.
      const made = shuffledHere.playQueueID - 1;
      for (let i = 0; i < made; i++) await create(`type=audio&uri=${serverUri(`/library/metadata/${tracks[0]}`, twin)}`, twin);
      const shuffledThere = (
        await create(`type=audio&uri=${serverUri(`/library/metadata/${album}`, twin)}&shuffle=1&key=${tracks[3]}`, twin)
      ).json().MediaContainer;
      expect(shuffledHere.playQueueShuffled).toBe(true);
      expect(shuffledHere.playQueueSelectedItemOffset).toBe(0);
      expect(keysOf(shuffledHere)[0]).toBe(tracks[3]);
      expect([...keysOf(shuffledHere)].sort()).toEqual([...tracks].sort());
      expect(keysOf(shuffledHere)).not.toEqual([tracks[3], ...tracks.filter((k) => k !== tracks[3])]);
      expect(keysOf(shuffledThere)).toEqual(keysOf(shuffledHere));
    } finally {
      await twin.close();
    }
  });

  it('answers in XML with Track elements carrying playQueueItemID', async () => {
    const album = albumWith(6).ratingKey;
    const res = await call(sim, 'POST', `/playQueues?type=audio&uri=${serverUri(`/library/metadata/${album}`)}`, { json: false });
    const mc = res.xml().MediaContainer;
    expect(mc.playQueueShuffled).toBe('0');
    expect(mc.playQueueTotalCount).toBe(String(albumTracks(album).length));
    expect(mc.Track.map((t: any) => t.ratingKey)).toEqual(albumTracks(album));
    expect(mc.Track.every((t: any) => /^\d+$/.test(t.playQueueItemID))).toBe(true);
  });

  it.each([
    ['no type', () => `uri=${serverUri(`/library/metadata/${sim.state.tracks[0].ratingKey}`)}`, 400],
    ['a video type', () => `type=video&uri=${serverUri(`/library/metadata/${sim.state.tracks[0].ratingKey}`)}`, 400],
    ['no uri or playlistID', () => 'type=audio', 400],
    ['an unsupported uri', () => `type=audio&uri=${encodeURIComponent('http://example.com/x')}`, 400],
    ['another server', () => `type=audio&uri=${encodeURIComponent(`server://elsewhere/${LIB}/library/metadata/1`)}`, 400],
    [
      'another library uuid',
      () => `type=audio&uri=${encodeURIComponent(`library://nope/item/${encodeURIComponent('/library/metadata/1')}`)}`,
      400,
    ],
    ['an unknown item', () => `type=audio&uri=${serverUri('/library/metadata/987654321')}`, 400],
    [
      'a bad filter in a section uri',
      () => `type=audio&uri=${serverUri(`/library/sections/${sim.musicSectionId}/all?type=10&nosuchfield%3E%3E=1`)}`,
      400,
    ],
    [
      'an empty result',
      () => `type=audio&uri=${serverUri(`/library/sections/${sim.musicSectionId}/all?type=10&title==no such title at all`)}`,
      400,
    ],
    [
      'a key outside the source',
      () => `type=audio&uri=${serverUri(`/library/metadata/${sim.state.tracks[0].ratingKey}`)}&key=${sim.state.tracks[1].ratingKey}`,
      400,
    ],
    ['a bad shuffle', () => `type=audio&uri=${serverUri(`/library/metadata/${sim.state.tracks[0].ratingKey}`)}&shuffle=yes`, 400],
    ['an unknown playlist', () => 'type=audio&playlistID=987654321', 404],
  ])('refuses %s', async (_name, query, status) => {
    const before = (await create(`type=audio&uri=${serverUri(`/library/metadata/${sim.state.tracks[0].ratingKey}`)}`)).json().MediaContainer
      .playQueueID;
    const res = await create(query());
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('text/html');
    const after = (await create(`type=audio&uri=${serverUri(`/library/metadata/${sim.state.tracks[0].ratingKey}`)}`)).json().MediaContainer
      .playQueueID;
    expect(after).toBe(before + 1); // no queue was made by the refused request
  });
});

describe('GET /playQueues/{id}', () => {
  it('reads a queue back, windowed around the selected item or a given centre', async () => {
    const keys = sim.state.tracks.slice(100, 130).map((t) => t.ratingKey);
    const created = (await create(`type=audio&uri=${serverUri(`/library/metadata/${keys.join(',')}`)}&key=${keys[10]}`)).json()
      .MediaContainer;
    const id = created.playQueueID;
    const whole = await getJson(sim, `/playQueues/${id}?own=1&window=100`);
    expect(keysOf(whole)).toEqual(keys);
    expect(whole).toMatchObject({ playQueueID: id, playQueueTotalCount: 30, playQueueSelectedItemOffset: 10, size: 30 });

    expect(keysOf(await getJson(sim, `/playQueues/${id}?window=2`))).toEqual(keys.slice(8, 13));
    expect(keysOf(await getJson(sim, `/playQueues/${id}?window=2&includeBefore=0`))).toEqual(keys.slice(11, 13));
    expect(keysOf(await getJson(sim, `/playQueues/${id}?window=2&includeAfter=0`))).toEqual(keys.slice(8, 10));
    const center = whole.Metadata[20].playQueueItemID;
    const centred = await getJson(sim, `/playQueues/${id}?window=1&center=${center}`);
    expect(keysOf(centred)).toEqual(keys.slice(19, 22));
    expect(centred.playQueueSelectedItemOffset).toBe(10); // centring does not move the selection
  });

  it('404 for an unknown queue, 400 for a bad id or centre', async () => {
    expect((await call(sim, 'GET', '/playQueues/987654')).status).toBe(404);
    expect((await call(sim, 'GET', '/playQueues/abc')).status).toBe(400);
    const id = (await create(`type=audio&uri=${serverUri(`/library/metadata/${sim.state.tracks[0].ratingKey}`)}`)).json().MediaContainer
      .playQueueID;
    expect((await call(sim, 'GET', `/playQueues/${id}?center=1`)).status).toBe(400);
    expect((await call(sim, 'GET', `/playQueues/${id}?window=-1`)).status).toBe(400);
  });
});
