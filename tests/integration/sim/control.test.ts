// Faults and latency, request statistics, config, save/load round trip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { call, getJson, startSim } from './helpers.js';

let sim: RunningSimulator;
const dir = mkdtempSync(join(tmpdir(), 'sagewire-sim-'));
beforeAll(async () => {
  sim = await startSim({ tracks: 800 });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('faults and latency', () => {
  it('adds latency to API requests but not to /__sim', async () => {
    await call(sim, 'POST', '/__sim/faults?latencyMs=500');
    const t0 = Date.now();
    let identityAnswered = false;
    const identity = call(sim, 'GET', '/identity').then(() => (identityAnswered = true));
    // A control request made while the delayed one waits is answered first: it is not delayed.
    await call(sim, 'GET', '/__sim/stats');
    expect(identityAnswered).toBe(false);
    await identity;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(490);
    await call(sim, 'POST', '/__sim/faults?latencyMs=0');
  });

  it('error mode answers 500, drop mode destroys the socket, timeout mode holds then drops', async () => {
    await call(sim, 'POST', '/__sim/faults?rate=1&mode=error');
    expect((await call(sim, 'GET', '/identity')).status).toBe(500);
    expect((await call(sim, 'GET', '/__sim/config')).status).toBe(200); // controls are exempt
    await call(sim, 'POST', '/__sim/faults?mode=drop');
    await expect(call(sim, 'GET', '/identity')).rejects.toThrow();
    await call(sim, 'POST', '/__sim/faults?mode=timeout&timeoutMs=300');
    const t0 = Date.now();
    await expect(call(sim, 'GET', '/identity')).rejects.toThrow();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    await call(sim, 'POST', '/__sim/faults?rate=0&mode=error');
    expect(sim.stats.faults).toMatchObject({ error: 1, drop: 1, timeout: 1 });
  });

  it('phase=after applies the write and then loses the answer', async () => {
    const track = sim.state.tracks.find((t) => t.userRating === undefined)!;
    await call(sim, 'POST', '/__sim/faults?rate=1&mode=error&phase=after');
    const res = await call(sim, 'PUT', `/:/rate?key=${track.ratingKey}&identifier=com.plexapp.plugins.library&rating=3`);
    await call(sim, 'POST', '/__sim/faults?rate=0&phase=before');
    expect(res.status).toBe(500);
    expect(sim.state.getRating(track.ratingKey)).toBe(3);
  });

  it('a partial fault rate hits roughly that share of requests', async () => {
    await call(sim, 'POST', '/__sim/faults?rate=0.3&mode=error');
    let failed = 0;
    for (let i = 0; i < 200; i++) if ((await call(sim, 'GET', '/identity')).status === 500) failed++;
    await call(sim, 'POST', '/__sim/faults?rate=0');
    expect(failed).toBeGreaterThan(35);
    expect(failed).toBeLessThan(90);
  });

  it('rejects bad settings', async () => {
    expect((await call(sim, 'POST', '/__sim/faults?rate=2')).status).toBe(400);
    expect((await call(sim, 'POST', '/__sim/faults?mode=explode')).status).toBe(400);
    expect((await call(sim, 'POST', '/__sim/config?nonsense=1')).status).toBe(400);
  });
});

describe('stats', () => {
  it('counts by method and route template and resets', async () => {
    await call(sim, 'DELETE', '/__sim/stats');
    const [a, b] = sim.state.tracks;
    await call(sim, 'GET', `/library/metadata/${a.ratingKey}`);
    await call(sim, 'GET', `/library/metadata/${a.ratingKey},${b.ratingKey}`);
    await call(sim, 'GET', '/library/sections/1/all?type=10&X-Plex-Container-Size=5');
    await call(sim, 'PUT', `/:/rate?key=${a.ratingKey}&identifier=com.plexapp.plugins.library&rating=5`);
    await call(sim, 'GET', '/library/sections/1/mood?type=10');
    await call(sim, 'GET', '/nowhere');
    const stats = (await call(sim, 'GET', '/__sim/stats')).json();
    expect(stats.requests).toMatchObject({
      'GET /library/metadata/:ids': 2,
      'GET /library/sections/:id/all': 1,
      'PUT /:/rate': 1,
      'GET /library/sections/:id/:tag': 1,
      'GET unmatched': 1,
    });
    expect(stats.rateCalls).toBe(1);
    expect(stats.statuses['404']).toBe(1);
    await call(sim, 'POST', '/__sim/stats/reset');
    expect((await call(sim, 'GET', '/__sim/stats')).json().requests).toEqual({ 'POST /__sim/stats/reset': 1 }); // the reset itself counts
  });
});

describe('save and load', () => {
  it('round-trips the library, ratings, tags and playlists through a file', async () => {
    const track = sim.state.tracks[5];
    sim.state.userRate(track.ratingKey, 6, { notify: false });
    await call(sim, 'PUT', `/library/sections/1/all?type=10&id=${track.ratingKey}&mood%5B0%5D.tag.tag=Saved`);
    const uri = encodeURIComponent(`server://${sim.machineIdentifier}/com.plexapp.plugins.library/library/metadata/${track.ratingKey}`);
    await call(sim, 'POST', `/playlists?type=audio&title=Kept&smart=0&uri=${uri}`);
    const path = join(dir, 'lib.json');
    const saved = (await call(sim, 'POST', `/__sim/save?path=${encodeURIComponent(path)}`)).json();
    expect(saved.tracks).toBe(sim.state.tracks.length);

    const copy = await startSim({ libraryFile: path });
    try {
      expect(copy.machineIdentifier).toBe(sim.machineIdentifier);
      expect(copy.state.tracks).toHaveLength(sim.state.tracks.length);
      const t = (await getJson(copy, `/library/metadata/${track.ratingKey}`)).Metadata[0];
      expect(t.userRating).toBe(6);
      expect(t.Mood.map((m: any) => m.tag)).toEqual(['Saved']);
      expect((await getJson(copy, '/playlists')).Metadata.map((p: any) => p.title)).toContain('Kept');
      const moodA = (await getJson(sim, '/library/sections/1/mood?type=10')).Directory;
      const moodB = (await getJson(copy, '/library/sections/1/mood?type=10')).Directory;
      expect(moodB).toEqual(moodA);
      const taste = (await call(copy, 'GET', '/__sim/taste')).json();
      expect(Object.keys(taste.trackTrue).length).toBeGreaterThan(0);
      // New items continue the ratingKey sequence instead of colliding with saved ones.
      const added = (await call(copy, 'POST', '/__sim/add-album?artist=After%20Load&tracks=6')).json();
      expect(Number(added.albumKey)).toBeGreaterThan(Math.max(...sim.state.tracks.map((x) => Number(x.ratingKey))));
    } finally {
      await copy.close();
    }
  });
});
