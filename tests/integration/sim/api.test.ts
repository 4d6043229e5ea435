// Read-side conformance of the simulator, in JSON and XML.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { call, getJson, startSim } from './helpers.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});

const sample = (name: string): string => readFileSync(new URL(`../../fixtures/plex-samples/${name}`, import.meta.url), 'utf8').trim();

describe('auth and errors', () => {
  it('401 with the PMS page when the token is missing or wrong, header or query', async () => {
    for (const answer of [
      await call(sim, 'GET', '/library/sections', { token: null }),
      await call(sim, 'GET', '/library/sections', { token: 'nope' }),
      await call(sim, 'GET', '/library/sections?X-Plex-Token=nope', { token: null }),
      await call(sim, 'GET', '/', { token: null }),
      await call(sim, 'PUT', '/:/rate?key=1&identifier=com.plexapp.plugins.library&rating=5', { token: null }),
    ]) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toBe('text/html');
      expect(answer.text).toBe(sample('pms-error-401-unauthorized.html'));
    }
    expect((await call(sim, 'GET', `/library/sections?X-Plex-Token=${sim.token}`, { token: null })).status).toBe(200);
  });

  it('answers GET /identity without a token, or with a wrong one, as real Plex does (clients find a server with it)', async () => {
    for (const token of [null, 'nope', sim.token]) {
      const json = await call(sim, 'GET', '/identity', { token });
      expect(json.status, String(token)).toBe(200);
      expect(json.json().MediaContainer).toMatchObject({ machineIdentifier: sim.machineIdentifier, claimed: true });
      const xml = await call(sim, 'GET', '/identity', { token, json: false });
      expect(xml.xml().MediaContainer.machineIdentifier).toBe(sim.machineIdentifier);
    }
  });

  it('404 page for unknown items and routes, 400 for bad values', async () => {
    const missing = await call(sim, 'GET', '/library/metadata/999999999');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe(sample('pms-error-404-not-found.html'));
    expect((await call(sim, 'GET', '/no/such/route')).status).toBe(404);
    expect((await call(sim, 'GET', '/library/sections/7/all')).status).toBe(404);
    expect((await call(sim, 'GET', '/library/sections/1/all?type=10&userRating%3E%3E=abc')).status).toBe(400);
    expect((await call(sim, 'GET', '/library/sections/1/all?type=10&nosuch%3E%3E=1')).status).toBe(400);
    expect((await call(sim, 'GET', '/library/sections/1/all?type=3')).status).toBe(400);
    expect((await call(sim, 'GET', '/library/sections/1/all?type=10', { headers: { 'X-Plex-Container-Start': '-1' } })).status).toBe(400);
  });
});

describe('server and sections', () => {
  it('identity and root in JSON and XML', async () => {
    const id = await getJson(sim, '/identity');
    expect(id.machineIdentifier).toBe(sim.machineIdentifier);
    const root = (await call(sim, 'GET', '/', { json: false })).xml().MediaContainer;
    expect(root.machineIdentifier).toBe(sim.machineIdentifier);
    expect(root.friendlyName).toBeTypeOf('string');
    expect(root.version).toMatch(/^\d+\.\d+/);
  });

  it('lists the music section with its Location', async () => {
    const json = await getJson(sim, '/library/sections');
    expect(json.Directory[0]).toMatchObject({ key: '1', type: 'artist', title: 'Music' });
    expect(json.Directory[0].Location[0].path).toBe('/music');
    const xml = (await call(sim, 'GET', '/library/sections', { json: false })).xml().MediaContainer;
    expect(xml.Directory[0].key).toBe('1');
    expect(xml.Directory[0].Location[0].path).toBe('/music');
  });
});

describe('listing', () => {
  it('pages with headers or query parameters, with size/totalSize/offset and response headers', async () => {
    const total = sim.state.tracks.length;
    const viaHeaders = await call(sim, 'GET', '/library/sections/1/all?type=10', {
      headers: { 'X-Plex-Container-Start': '10', 'X-Plex-Container-Size': '25' },
    });
    const page = viaHeaders.json().MediaContainer;
    expect(page).toMatchObject({ size: 25, totalSize: total, offset: 10 });
    expect(viaHeaders.headers.get('x-plex-container-start')).toBe('10');
    expect(viaHeaders.headers.get('x-plex-container-total-size')).toBe(String(total));
    const viaQuery = await getJson(sim, '/library/sections/1/all?type=10&X-Plex-Container-Start=10&X-Plex-Container-Size=25');
    expect(viaQuery.Metadata.map((t: any) => t.ratingKey)).toEqual(page.Metadata.map((t: any) => t.ratingKey));
    const counts = await getJson(sim, '/library/sections/1/all?type=10&X-Plex-Container-Size=0');
    expect(counts).toMatchObject({ size: 0, totalSize: total });
    expect(counts.Metadata).toBeUndefined();
    const tail = await getJson(sim, `/library/sections/1/all?type=10&X-Plex-Container-Start=${total - 3}&X-Plex-Container-Size=100`);
    expect(tail.size).toBe(3);
    let seen = 0;
    for (let start = 0; start < total; start += 400)
      seen += (await getJson(sim, `/library/sections/1/all?type=10&X-Plex-Container-Start=${start}&X-Plex-Container-Size=400`)).size;
    expect(seen).toBe(total);
  });

  it('shapes tracks, albums and artists as PLEX-API.md says (JSON)', async () => {
    const compTrack = sim.state.tracks.find((t) => t.originalTitle)!;
    const ratedTrack = sim.state.tracks.find((t) => t.userRating !== undefined)!;
    const unrated = sim.state.tracks.find((t) => t.userRating === undefined)!;
    const [c, r, u] = (await getJson(sim, `/library/metadata/${compTrack.ratingKey},${ratedTrack.ratingKey},${unrated.ratingKey}`))
      .Metadata;
    expect(c.originalTitle).toBe(compTrack.originalTitle);
    expect(c.grandparentTitle).toBe('Various Artists');
    for (const t of [c, r, u]) {
      expect(t.type).toBe('track');
      for (const k of ['ratingKey', 'parentRatingKey', 'grandparentRatingKey', 'title', 'parentTitle', 'grandparentTitle', 'thumb', 'key'])
        expect(typeof t[k]).toBe('string');
      for (const k of ['librarySectionID', 'index', 'parentIndex', 'parentYear', 'duration', 'addedAt', 'updatedAt'])
        expect(typeof t[k]).toBe('number');
    }
    expect(r.userRating).toBe(ratedTrack.userRating);
    expect(typeof r.lastRatedAt).toBe('number');
    expect('userRating' in u).toBe(false);
    const moody = sim.state.tracks.find((t) => t.moods.length > 0)!;
    const m = (await getJson(sim, `/library/metadata/${moody.ratingKey}`)).Metadata[0];
    expect(m.Mood[0]).toEqual({ id: expect.any(Number), filter: `mood=${m.Mood[0].id}`, tag: moody.moods[0] });
    const liveAlbum = sim.state.albums.find((a) => a.subformats.includes('Live'))!;
    const album = (await getJson(sim, `/library/metadata/${liveAlbum.ratingKey}`)).Metadata[0];
    expect(album).toMatchObject({
      type: 'album',
      parentRatingKey: liveAlbum.artistKey,
      year: liveAlbum.year,
      leafCount: expect.any(Number),
    });
    expect(album.Subformat[0].tag).toBe('Live');
    const critic = sim.state.albums.find((a) => a.rating !== undefined)!;
    expect((await getJson(sim, `/library/metadata/${critic.ratingKey}`)).Metadata[0].rating).toBe(critic.rating);
    const artist = (await getJson(sim, `/library/metadata/${liveAlbum.artistKey}`)).Metadata[0];
    expect(artist).toMatchObject({ type: 'artist', ratingKey: liveAlbum.artistKey });
    expect(artist.Genre.length).toBeGreaterThan(0);
  });

  it('speaks XML by default: Directory for artists/albums, Track for tracks, escaped attributes', async () => {
    const tricky = sim.state.tracks.find((t) => /['&]/.test(t.title) || /['&]/.test(sim.state.albumOf(t).title))!;
    const xml = (await call(sim, 'GET', `/library/metadata/${tricky.ratingKey}`, { json: false })).xml().MediaContainer;
    expect(xml.Track[0].title).toBe(tricky.title);
    expect(xml.Track[0].ratingKey).toBe(tricky.ratingKey);
    expect(xml.Track[0].duration).toBe(String(tricky.duration));
    const albums = (await call(sim, 'GET', '/library/sections/1/all?type=9&X-Plex-Container-Size=3', { json: false })).xml().MediaContainer;
    expect(albums.Directory.every((d: any) => d.type === 'album')).toBe(true);
    expect(albums.totalSize).toBe(String(sim.state.albums.length));
    const artists = (await call(sim, 'GET', '/library/sections/1/all?type=8&X-Plex-Container-Size=3', { json: false })).xml()
      .MediaContainer;
    expect(artists.Directory[0].type).toBe('artist');
  });

  it('listening history: viewCount, skipCount and lastViewedAt on tracks (omitted when none), filters and sorts', async () => {
    const played = sim.state.tracks.find((t) => t.viewCount && t.skipCount)!;
    const never = sim.state.tracks.find((t) => !t.viewCount && !t.skipCount)!;
    const json = (await getJson(sim, `/library/metadata/${played.ratingKey}`)).Metadata[0];
    expect(json).toMatchObject({ viewCount: played.viewCount, skipCount: played.skipCount, lastViewedAt: played.lastViewedAt });
    const xml = (await call(sim, 'GET', `/library/metadata/${played.ratingKey}`, { json: false })).xml().MediaContainer.Track[0];
    expect(xml).toMatchObject({
      viewCount: String(played.viewCount),
      skipCount: String(played.skipCount),
      lastViewedAt: String(played.lastViewedAt),
    });
    const none = (await getJson(sim, `/library/metadata/${never.ratingKey}`)).Metadata[0];
    expect([none.viewCount, none.skipCount, none.lastViewedAt]).toEqual([undefined, undefined, undefined]);

    const size = (query: string) =>
      getJson(sim, `/library/sections/1/all?type=10&${query}&X-Plex-Container-Size=0`).then((m) => m.totalSize);
    expect(await size('viewCount%3E%3E=0')).toBe(sim.state.tracks.filter((t) => t.viewCount).length);
    expect(await size('skipCount%3E%3E=1')).toBe(sim.state.tracks.filter((t) => (t.skipCount ?? 0) > 1).length);
    expect(await size('lastViewedAt%3E%3E=-36500d')).toBe(sim.state.tracks.filter((t) => t.lastViewedAt !== undefined).length);
    const recent = await getJson(sim, '/library/sections/1/all?type=10&sort=lastViewedAt:desc&X-Plex-Container-Size=5');
    const latest = Math.max(...sim.state.tracks.map((t) => t.lastViewedAt ?? 0));
    expect(recent.Metadata[0].lastViewedAt).toBe(latest);
  });

  it('filters: percent-encoded operators, tags by id, relative dates, title contains, decade, sort', async () => {
    const rated = sim.state.tracks.filter((t) => (t.userRating ?? 0) > 5).length;
    const a = await getJson(sim, '/library/sections/1/all?type=10&userRating%3E%3E=5&X-Plex-Container-Size=0');
    const b = await getJson(sim, '/library/sections/1/all?type=10&userRating>>=5&X-Plex-Container-Size=0');
    expect(a.totalSize).toBe(rated);
    expect(b.totalSize).toBe(rated);
    const low = await getJson(sim, '/library/sections/1/all?type=10&track.userRating%3C%3C=3');
    expect((low.Metadata ?? []).every((t: any) => t.userRating < 3)).toBe(true);
    const moodTrack = sim.state.tracks.find((t) => t.moods.length > 0)!;
    const moodId = sim.state.tags.find('mood', moodTrack.moods[0])!.id;
    const byMood = await getJson(sim, `/library/sections/1/all?type=10&mood=${moodId}`);
    expect(byMood.totalSize).toBe(sim.state.tracks.filter((t) => t.moods.includes(moodTrack.moods[0])).length);
    const notMood = await getJson(sim, `/library/sections/1/all?type=10&mood!=${moodId}&X-Plex-Container-Size=0`);
    expect(notMood.totalSize + byMood.totalSize).toBe(sim.state.tracks.length);
    expect((await getJson(sim, '/library/sections/1/all?type=10&lastRatedAt%3E%3E=-36500d&X-Plex-Container-Size=0')).totalSize).toBe(
      sim.state.tracks.filter((t) => t.lastRatedAt !== undefined).length,
    );
    expect((await getJson(sim, '/library/sections/1/all?type=10&addedAt%3E%3E=-1d&X-Plex-Container-Size=0')).totalSize).toBe(0);
    const word = sim.state.tracks[0].title.split(' ')[0].toLowerCase();
    const byTitle = await getJson(sim, `/library/sections/1/all?type=10&title=${encodeURIComponent(word)}`);
    expect(byTitle.Metadata.every((t: any) => t.title.toLowerCase().includes(word))).toBe(true);
    const decade = await getJson(sim, '/library/sections/1/all?type=9&decade=1990');
    expect((decade.Metadata ?? []).every((x: any) => x.year >= 1990 && x.year < 2000)).toBe(true);
    const year = await getJson(sim, '/library/sections/1/all?type=9&year%3E%3E=2000&sort=year:desc');
    const years = year.Metadata.map((x: any) => x.year);
    expect(years.every((y: number) => y > 2000)).toBe(true);
    expect([...years].sort((p: number, q: number) => q - p)).toEqual(years);
    const artistKey = sim.state.albums[0].artistKey;
    const byArtist = await getJson(sim, `/library/sections/1/all?type=9&artist.id=${artistKey}`);
    expect(byArtist.Metadata.every((x: any) => x.parentRatingKey === artistKey)).toBe(true);
    const updated = await getJson(
      sim,
      `/library/sections/1/all?type=10&updatedAt%3E%3E=${sim.state.tracks[0].updatedAt}&X-Plex-Container-Size=0`,
    );
    expect(updated.totalSize).toBe(sim.state.tracks.filter((t) => t.updatedAt > sim.state.tracks[0].updatedAt).length);
  });

  it('serves a Meta block that names filters, sorts, fields and operators', async () => {
    const answer = await call(
      sim,
      'GET',
      '/library/sections/1/all?includeMeta=1&includeAdvanced=1&X-Plex-Container-Start=0&X-Plex-Container-Size=0',
      { json: false },
    );
    const meta = answer.xml().MediaContainer.Meta[0];
    const track = meta.Type.find((t: any) => t.type === 'track');
    expect(track.key).toBe('/library/sections/1/all?type=10');
    expect(track.Field.map((f: any) => f.key)).toEqual(expect.arrayContaining(['track.userRating', 'track.mood', 'album.year']));
    expect(track.Filter.map((f: any) => f.filter)).toEqual(expect.arrayContaining(['genre', 'mood', 'style']));
    expect(track.Sort.length).toBeGreaterThan(2);
    const integer = meta.FieldType.find((t: any) => t.type === 'integer');
    expect(integer.Operator.map((o: any) => o.key)).toEqual(expect.arrayContaining(['=', '!=', '>>=', '<<=']));
    const json = await getJson(sim, '/library/sections/1/all?includeMeta=1&X-Plex-Container-Size=0');
    expect(json.Meta.Type).toHaveLength(3);
    expect((await getJson(sim, '/library/sections/1/collections?includeMeta=1')).size).toBe(0);
  });
});

describe('items, search, tags, art', () => {
  it('children and allLeaves', async () => {
    const album = sim.state.albums.find((a) => a.kind === 'studio')!;
    const albums = await getJson(sim, `/library/metadata/${album.artistKey}/children`);
    expect(albums.Metadata.map((a: any) => a.ratingKey)).toContain(album.ratingKey);
    const tracks = await getJson(sim, `/library/metadata/${album.ratingKey}/children`);
    expect(tracks.size).toBe(sim.state.tracksByAlbum.get(album.ratingKey)!.length);
    const leaves = await getJson(sim, `/library/metadata/${album.artistKey}/allLeaves`);
    expect(leaves.size).toBe(sim.state.tracksOfArtist(album.artistKey).length);
  });

  it('hub search and section search', async () => {
    const artist = sim.state.artists[2];
    const hubs = await getJson(sim, `/hubs/search?query=${encodeURIComponent(artist.title)}&sectionId=1&limit=5`);
    const artistHub = hubs.Hub.find((h: any) => h.type === 'artist');
    expect(artistHub.Metadata.map((a: any) => a.ratingKey)).toContain(artist.ratingKey);
    expect((await call(sim, 'GET', '/hubs/search')).status).toBe(400);
    const xml = (await call(sim, 'GET', `/hubs/search?query=${encodeURIComponent(artist.title)}`, { json: false })).xml().MediaContainer;
    expect(xml.Hub[0].Directory?.[0]?.type ?? xml.Hub[0].Track?.[0]?.type).toBeDefined();
  });

  it('tag values per type with key = tag id', async () => {
    const moods = await getJson(sim, '/library/sections/1/mood?type=10');
    expect(moods.Directory.length).toBeGreaterThan(5);
    const first = moods.Directory[0];
    expect(sim.state.tags.byTagId(Number(first.key))?.name).toBe(first.title);
    const genres = await getJson(sim, '/library/sections/1/genre?type=9');
    expect(genres.Directory.map((d: any) => d.title)).toContain(sim.state.albums[0].genres[0]);
    expect((await getJson(sim, '/library/sections/1/style?type=8')).Directory.length).toBeGreaterThan(0);
  });

  it('album art is a JPEG', async () => {
    const album = sim.state.albums[0];
    const res = await fetch(`${sim.url}/library/metadata/${album.ratingKey}/thumb/${album.updatedAt}?X-Plex-Token=${sim.token}`);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
  });
});
