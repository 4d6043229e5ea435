// Webhooks as Plex sends them, received by a real local multipart receiver.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { call, startReceiver, startSim, type Receiver } from './helpers.js';

let sim: RunningSimulator;
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startSim();
  expect((await call(sim, 'POST', `/__sim/webhooks?url=${encodeURIComponent(receiver.url)}`)).status).toBe(200);
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(async () => {
  await sim.webhooks.idle();
  receiver.deliveries.length = 0;
  receiver.status = 200;
  Object.assign(sim.config, {
    echoWebhooks: true,
    ratingAsString: false,
    clearedRating: 'minus1',
    libraryNewLevel: 'album',
    webhookThumb: true,
  });
});

const unrated = (i: number) => sim.state.tracks.filter((t) => t.userRating === undefined)[i];

describe('media.rate', () => {
  it('a person rating: multipart payload + JPEG thumb, Plex user agent, user/owner true, rating 8.0', async () => {
    const track = unrated(0);
    const res = await call(sim, 'POST', `/__sim/user-rate?key=${track.ratingKey}&rating=8`);
    expect(res.json()).toMatchObject({ ratingKey: track.ratingKey, rating: 8 });
    const [d] = await receiver.waitFor(1);
    expect(d.headers['user-agent']).toMatch(/^PlexMediaServer\/\d/);
    expect(d.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(d.rawPayload).toContain('"rating":8.0');
    expect(d.payload).toMatchObject({
      event: 'media.rate',
      user: true,
      owner: true,
      rating: 8,
      Account: { id: 1, title: expect.any(String) },
      Server: { uuid: sim.machineIdentifier },
      Player: { title: expect.any(String) },
      Metadata: { librarySectionType: 'artist', ratingKey: track.ratingKey, type: 'track', userRating: 8, lastRatedAt: expect.any(Number) },
    });
    const thumb = d.parts.get('thumb')!;
    expect(thumb.contentType).toBe('image/jpeg');
    expect([...thumb.data.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect(sim.state.getRating(track.ratingKey)).toBe(8);
  });

  it('rating as a string when switched; cleared ratings in each configured style', async () => {
    const track = unrated(1);
    sim.config.ratingAsString = true;
    sim.state.userRate(track.ratingKey, 10);
    sim.state.userRate(track.ratingKey, null);
    sim.config.ratingAsString = false;
    sim.config.clearedRating = 'absent';
    sim.state.userRate(track.ratingKey, null);
    sim.config.clearedRating = 'empty';
    sim.state.userRate(track.ratingKey, null);
    const ds = await receiver.waitFor(4);
    expect(ds[0].rawPayload).toContain('"rating":"10"');
    expect(ds[1].payload.rating).toBe('-1');
    expect('userRating' in ds[1].payload.Metadata).toBe(false);
    expect('rating' in ds[2].payload).toBe(false);
    expect(ds[3].payload.rating).toBe('');
  });

  it('notify=0 stores without a webhook', async () => {
    const track = unrated(2);
    await call(sim, 'POST', `/__sim/user-rate?key=${track.ratingKey}&rating=4&notify=0`);
    await sim.webhooks.idle();
    expect(receiver.deliveries).toHaveLength(0);
    expect(sim.state.getRating(track.ratingKey)).toBe(4);
  });

  it('a shared account rates: user false, other account, owner rating untouched', async () => {
    const track = sim.state.tracks.find((t) => t.userRating !== undefined)!;
    const ownerRating = track.userRating;
    await call(sim, 'POST', `/__sim/user-rate?key=${track.ratingKey}&rating=2&account=7`);
    const [d] = await receiver.waitFor(1);
    expect(d.payload).toMatchObject({ user: false, owner: true, Account: { id: 7 }, rating: 2, Metadata: { userRating: 2 } });
    expect(sim.state.getRating(track.ratingKey)).toBe(ownerRating);
    expect(sim.state.getRating(track.ratingKey, 7)).toBe(2);
    expect((await call(sim, 'GET', `/library/metadata/${track.ratingKey}`)).json().MediaContainer.Metadata[0].userRating).toBe(ownerRating);
  });

  it('API writes echo by default and not when switched off; bulk userRating edits echo too', async () => {
    const [a, b, c] = [unrated(3), unrated(4), unrated(5)];
    await call(sim, 'PUT', `/:/rate?key=${a.ratingKey}&identifier=com.plexapp.plugins.library&rating=6.4`);
    await call(sim, 'PUT', `/library/sections/1/all?type=10&id=${b.ratingKey},${c.ratingKey}&userRating.value=5.5`);
    const ds = await receiver.waitFor(3);
    expect(ds.map((d) => d.payload.Metadata.ratingKey)).toEqual([a.ratingKey, b.ratingKey, c.ratingKey]);
    expect(ds[0].payload).toMatchObject({ user: true, rating: 6.4 });
    expect(ds[0].payload.Player).toBeUndefined();
    receiver.deliveries.length = 0;
    await call(sim, 'POST', '/__sim/config?echo=0');
    await call(sim, 'PUT', `/:/rate?key=${a.ratingKey}&identifier=com.plexapp.plugins.library&rating=3`);
    await sim.webhooks.idle();
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('delivers in order per receiver without blocking the request', async () => {
    const track = unrated(6);
    for (let r = 1; r <= 8; r++) sim.state.userRate(track.ratingKey, r);
    const ds = await receiver.waitFor(8);
    expect(ds.map((d) => d.payload.rating)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('a failed delivery is counted and not retried', async () => {
    receiver.status = 500;
    const before = sim.stats.webhooks.failed;
    sim.state.userRate(unrated(7).ratingKey, 9);
    await receiver.waitFor(1);
    // A retry would be queued before the failed delivery settles: once the queue is idle, none is coming.
    await sim.webhooks.idle();
    expect(receiver.deliveries).toHaveLength(1);
    expect(sim.stats.webhooks.failed).toBe(before + 1);
    const stats = (await call(sim, 'GET', '/__sim/stats')).json();
    expect(stats.webhooks.delivered).toBeGreaterThan(0);
  });
});

describe('library.new', () => {
  it('add-album adds an album with tracks and announces it (album level by default, track level when switched)', async () => {
    const res = (await call(sim, 'POST', '/__sim/add-album?artist=Brand%20New%20Band&tracks=7&title=D%C3%A9but')).json();
    expect(res.trackKeys).toHaveLength(7);
    const [d] = await receiver.waitFor(1);
    expect(d.payload).toMatchObject({
      event: 'library.new',
      Metadata: { type: 'album', ratingKey: res.albumKey, title: 'Début', parentTitle: 'Brand New Band' },
    });
    const album = (await call(sim, 'GET', `/library/metadata/${res.albumKey}/children`)).json().MediaContainer;
    expect(album.size).toBe(7);
    const recent = (await call(sim, 'GET', '/library/sections/1/all?type=9&addedAt%3E%3E=-1h')).json().MediaContainer;
    expect(recent.Metadata.map((a: any) => a.ratingKey)).toContain(res.albumKey);
    receiver.deliveries.length = 0;
    sim.config.libraryNewLevel = 'track';
    const again = (await call(sim, 'POST', `/__sim/add-album?artistKey=${res.artistKey}&tracks=3`)).json();
    const ds = await receiver.waitFor(3);
    expect(ds.map((x) => x.payload.Metadata.ratingKey)).toEqual(again.trackKeys);
    expect(again.artistKey).toBe(res.artistKey);
  });

  it('unregistering stops deliveries', async () => {
    await call(sim, 'DELETE', `/__sim/webhooks?url=${encodeURIComponent(receiver.url)}`);
    sim.state.userRate(unrated(8).ratingKey, 5);
    await sim.webhooks.idle();
    expect(receiver.deliveries).toHaveLength(0);
    await call(sim, 'POST', `/__sim/webhooks?url=${encodeURIComponent(receiver.url)}`);
  });
});
