// Sonic neighbours: `/library/metadata/{key}/nearest` with its defaults and parameters, JSON and XML,
// determinism, exclusions, and the two answers of a server without sonic analysis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { call, getJson, startSim } from './helpers.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSim({ tracks: 2000 });
});
afterAll(async () => {
  await sim.close();
});

const seedTrack = () => sim.state.tracks[777];
const nearest = (key: string, query = '') => getJson(sim, `/library/metadata/${key}/nearest${query}`);

describe('GET /library/metadata/{key}/nearest', () => {
  it('answers full track elements with a distance, nearest first, within 0.25, at most 50, without the seed', async () => {
    const seed = seedTrack();
    const mc = await nearest(seed.ratingKey);
    const items = mc.Metadata;
    expect(mc.size).toBe(items.length);
    expect(items.length).toBeGreaterThan(5);
    expect(items.length).toBeLessThanOrEqual(50);
    const distances = items.map((m: any) => m.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    for (const m of items) {
      expect(typeof m.distance).toBe('number');
      expect(m.distance).toBeGreaterThanOrEqual(0);
      expect(m.distance).toBeLessThanOrEqual(0.25);
      expect(m).toMatchObject({
        type: 'track',
        ratingKey: expect.any(String),
        grandparentTitle: expect.any(String),
        Media: expect.any(Array),
      });
    }
    expect(items.map((m: any) => m.ratingKey)).not.toContain(seed.ratingKey);
    // Plausible neighbours: most share the seed's genre, and some come from other artists.
    const genre = seed.genres[0];
    expect(items.filter((m: any) => m.Genre?.some((g: any) => g.tag === genre)).length).toBeGreaterThan(items.length / 2);
    const artistKey = sim.state.albumOf(seed).artistKey;
    expect(items.some((m: any) => m.grandparentRatingKey !== artistKey)).toBe(true);
  });

  it('honours limit and maxDistance, and is the same on every call and every run of the seed', async () => {
    const key = seedTrack().ratingKey;
    const wide = await nearest(key, '?limit=500&maxDistance=0.6');
    expect(wide.Metadata.length).toBeGreaterThan(50);
    expect(wide.Metadata.every((m: any) => m.distance <= 0.6)).toBe(true);
    const few = await nearest(key, '?limit=3&maxDistance=0.6');
    expect(few.Metadata.map((m: any) => m.ratingKey)).toEqual(wide.Metadata.slice(0, 3).map((m: any) => m.ratingKey));
    const tight = await nearest(key, '?maxDistance=0.1');
    expect((tight.Metadata ?? []).every((m: any) => m.distance <= 0.1)).toBe(true);

    const twin = await startSim({ tracks: 2000 });
    try {
      const there = await getJson(twin, `/library/metadata/${key}/nearest?limit=500&maxDistance=0.6`);
      expect(there.Metadata.map((m: any) => [m.ratingKey, m.distance])).toEqual(wide.Metadata.map((m: any) => [m.ratingKey, m.distance]));
    } finally {
      await twin.close();
    }
  });

  it('distances are symmetric', async () => {
    const key = seedTrack().ratingKey;
    const first = (await nearest(key)).Metadata[4];
    const back = await nearest(first.ratingKey, '?limit=5000&maxDistance=1');
    expect(back.Metadata.find((m: any) => m.ratingKey === key).distance).toBe(first.distance);
  });

  it('follows tag edits: a track moved to a genre of its own moves away from its neighbours', async () => {
    const seed = sim.state.tracks[1500];
    const [first] = (await nearest(seed.ratingKey)).Metadata;
    const edit = await call(
      sim,
      'PUT',
      `/library/sections/${sim.musicSectionId}/all?type=10&id=${seed.ratingKey}&genre%5B0%5D.tag.tag=Sim%20Only%20Genre`,
    );
    expect(edit.status).toBe(200);
    const after = await nearest(seed.ratingKey, '?limit=5000&maxDistance=1');
    const moved = after.Metadata.find((m: any) => m.ratingKey === first.ratingKey);
    expect(moved.distance).toBeCloseTo(first.distance + 0.32, 4);
  });

  it('excludeParentID leaves out the seed album, excludeParentID=-1 (Plex Web) nothing', async () => {
    const seed = seedTrack();
    const all = await nearest(seed.ratingKey, '?limit=500&maxDistance=0.4&excludeParentID=-1');
    expect(all.Metadata.some((m: any) => m.parentRatingKey === seed.albumKey)).toBe(true);
    const other = await nearest(seed.ratingKey, `?limit=500&maxDistance=0.4&excludeParentID=${seed.albumKey}`);
    expect(other.Metadata.some((m: any) => m.parentRatingKey === seed.albumKey)).toBe(false);
    expect(other.Metadata.length).toBe(all.Metadata.filter((m: any) => m.parentRatingKey !== seed.albumKey).length);
  });

  it('takes album seeds (sonically similar albums)', async () => {
    const album = sim.state.albumOf(seedTrack());
    const mc = await nearest(album.ratingKey, '?maxDistance=0.5');
    expect(mc.Metadata.length).toBeGreaterThan(0);
    expect(mc.Metadata.every((m: any) => m.type === 'album' && m.ratingKey !== album.ratingKey)).toBe(true);
  });

  it('answers XML with Track elements and a distance attribute', async () => {
    const res = await call(sim, 'GET', `/library/metadata/${seedTrack().ratingKey}/nearest?limit=4`, { json: false });
    const tracks = res.xml().MediaContainer.Track;
    expect(tracks).toHaveLength(4);
    for (const t of tracks) expect(t.distance).toMatch(/^0(\.\d+)?$/);
  });

  it.each([
    ['?limit=0', 400],
    ['?limit=abc', 400],
    ['?maxDistance=1.5', 400],
    ['?maxDistance=-0.1', 400],
    ['?excludeParentID=x', 400],
  ])('refuses %s', async (query, status) => {
    expect((await call(sim, 'GET', `/library/metadata/${seedTrack().ratingKey}/nearest${query}`)).status).toBe(status);
  });

  it('404 for an unknown item, 400 for a malformed key', async () => {
    expect((await call(sim, 'GET', '/library/metadata/987654321/nearest')).status).toBe(404);
    expect((await call(sim, 'GET', '/library/metadata/abc/nearest')).status).toBe(400);
  });
});

describe('a server without sonic analysis', () => {
  it('answers the 404 page by default, or an empty container when so switched, while the track itself exists', async () => {
    const key = seedTrack().ratingKey;
    await call(sim, 'POST', '/__sim/config?sonicAnalysis=0');
    try {
      const missing = await call(sim, 'GET', `/library/metadata/${key}/nearest`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toBe('text/html');
      expect((await call(sim, 'GET', `/library/metadata/${key}`)).status).toBe(200);
      await call(sim, 'POST', '/__sim/config?noSonicAnswer=empty');
      const empty = await nearest(key);
      expect(empty.size).toBe(0);
      expect(empty.Metadata).toBeUndefined();
    } finally {
      await call(sim, 'POST', '/__sim/config?sonicAnalysis=1&noSonicAnswer=notFound');
    }
    expect((await nearest(key)).size).toBeGreaterThan(0);
  });

  it('is a start option too', async () => {
    const plain = await startSim({ tracks: 200, sonicAnalysis: false });
    try {
      expect((await call(plain, 'GET', `/library/metadata/${plain.state.tracks[0].ratingKey}/nearest`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
