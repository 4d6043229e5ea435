// A server with two music sections: each listed, listed from, edited, rated and searched on its own, an
// unknown section answered with a 404, and `sagewire sim --extra-section` starting one.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { call, getJson, startReceiver, startSim, type Receiver } from './helpers.js';
import { spawnCli } from '../../support/spawn-cli.js';
import { waitUntil } from '../../support/wait.js';

const FAMILY = { title: 'Family Music', tracks: 300, seed: 7 };

let sim: RunningSimulator;
let receiver: Receiver;
const dir = mkdtempSync(join(tmpdir(), 'sagewire-sim-sections-'));

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startSim({ extraMusicSections: [FAMILY], webhookUrls: [receiver.url] });
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await sim.webhooks.idle();
  receiver.deliveries.length = 0;
});

const family = () => sim.state.section(2)!;
const keysOf = (items: { ratingKey: string }[]) => new Set(items.map((i) => i.ratingKey));

describe('the section list', () => {
  it('lists both music sections, each type artist with its own id, uuid, title and location', async () => {
    const answer = await getJson(sim, '/library/sections');
    expect(answer.size).toBe(2);
    expect(answer.Directory.map((d: any) => [d.key, d.type, d.title])).toEqual([
      ['1', 'artist', 'Music'],
      ['2', 'artist', 'Family Music'],
    ]);
    const [first, second] = answer.Directory;
    expect(second.uuid).not.toBe(first.uuid);
    expect(second.Location[0].path).not.toBe(first.Location[0].path);
    expect(sim.sections).toEqual([
      { id: 1, title: 'Music' },
      { id: 2, title: 'Family Music' },
    ]);
    expect(sim.musicSectionId).toBe(1);
  });

  it('stays one section when none is asked for', async () => {
    const single = await startSim({ tracks: 200 });
    try {
      expect(single.sections).toEqual([{ id: 1, title: 'Music' }]);
      expect((await getJson(single, '/library/sections')).size).toBe(1);
      expect((await call(single, 'GET', '/library/sections/2/all')).status).toBe(404);
    } finally {
      await single.close();
    }
  });
});

describe('listing a section', () => {
  it('lists each section’s own items, with counts, and no ratingKey in both', async () => {
    const expected: [number, number][] = [
      [1, sim.state.tracks.length],
      [2, FAMILY.tracks],
    ];
    const listed: Set<string>[] = [];
    const counted = sim.stats.requests['GET /library/sections/:id/all'] ?? 0;
    for (const [id, count] of expected) {
      const answer = await getJson(sim, `/library/sections/${id}/all?type=10`);
      expect(answer.totalSize).toBe(count);
      expect(answer.librarySectionID).toBe(id);
      expect(new Set(answer.Metadata.map((m: any) => m.librarySectionID))).toEqual(new Set([id]));
      listed.push(keysOf(answer.Metadata));
    }
    expect(sim.stats.requests['GET /library/sections/:id/all']).toBe(counted + 2);
    expect([...listed[1]].filter((k) => listed[0].has(k))).toEqual([]);
    expect(listed[1]).toEqual(keysOf(family().tracks));
    for (const [type, items] of [
      [8, family().artists],
      [9, family().albums],
    ] as const) {
      expect((await getJson(sim, `/library/sections/2/all?type=${type}`)).totalSize).toBe(items.length);
    }
  });

  it('pages, filters, sorts and describes itself (includeMeta) within the section', async () => {
    const page = await getJson(sim, '/library/sections/2/all?type=10&X-Plex-Container-Start=250&X-Plex-Container-Size=100');
    expect([page.offset, page.size, page.totalSize]).toEqual([250, 50, FAMILY.tracks]);
    const rated = family().tracks.filter((t) => (t.userRating ?? 0) > 4);
    expect(rated.length).toBeGreaterThan(0);
    const filtered = await getJson(sim, '/library/sections/2/all?type=10&userRating%3E%3E=4&sort=userRating:desc');
    expect(keysOf(filtered.Metadata)).toEqual(keysOf(rated));
    const ratings = filtered.Metadata.map((m: any) => m.userRating);
    expect(ratings).toEqual([...ratings].sort((a, b) => b - a));
    const meta = (await getJson(sim, '/library/sections/2/all?type=10&includeMeta=1&X-Plex-Container-Size=0')).Meta;
    expect(meta.Type.map((t: any) => t.key)).toEqual([
      '/library/sections/2/all?type=8',
      '/library/sections/2/all?type=9',
      '/library/sections/2/all?type=10',
    ]);
  });

  it('lists the section’s own tag values, each pointing into the section', async () => {
    const genres = await getJson(sim, '/library/sections/2/genre?type=8');
    const names = new Set(family().artists.flatMap((a) => a.genres));
    expect(new Set(genres.Directory.map((d: any) => d.title))).toEqual(names);
    for (const d of genres.Directory) expect(d.fastKey).toMatch(/^\/library\/sections\/2\/all\?type=8&genre=\d+$/);
    expect((await getJson(sim, '/library/sections/2/collections')).librarySectionID).toBe(2);
  });

  it('answers 404 for an unknown section, on every section route, and changes nothing', async () => {
    const version = sim.state.version;
    for (const [method, path] of [
      ['GET', '/library/sections/3/all?type=10'],
      ['GET', '/library/sections/0/all'],
      ['PUT', '/library/sections/3/all?type=10&mood%5B0%5D.tag.tag=Calm'],
      ['GET', '/library/sections/3/genre?type=8'],
      ['GET', '/library/sections/3/collections'],
    ]) {
      expect((await call(sim, method, path)).status, `${method} ${path}`).toBe(404);
    }
    expect(sim.state.version).toBe(version);
  });
});

describe('items of the second section', () => {
  it('name their section in /library/metadata, children and allLeaves', async () => {
    const album = family().albums[3];
    const track = family().tracks.find((t) => t.albumKey === album.ratingKey)!;
    const one = await getJson(sim, `/library/metadata/${track.ratingKey}`);
    expect(one.librarySectionID).toBe(2);
    expect(one.Metadata[0]).toMatchObject({
      ratingKey: track.ratingKey,
      librarySectionID: 2,
      librarySectionTitle: 'Family Music',
      librarySectionKey: '/library/sections/2',
    });
    const children = await getJson(sim, `/library/metadata/${album.ratingKey}/children`);
    expect(children.librarySectionID).toBe(2);
    expect(children.Metadata.map((m: any) => m.librarySectionID)).toEqual(children.Metadata.map(() => 2));
    const leaves = await getJson(sim, `/library/metadata/${album.artistKey}/allLeaves`);
    expect(leaves.Metadata.map((m: any) => m.librarySectionTitle)).toContain('Family Music');
    const first = sim.state.tracks[0];
    expect((await getJson(sim, `/library/metadata/${first.ratingKey}`)).Metadata[0].librarySectionID).toBe(1);
  });

  it('a person rating one sends media.rate with that section’s id', async () => {
    const track = family().tracks.find((t) => t.userRating === undefined)!;
    expect((await call(sim, 'POST', `/__sim/user-rate?key=${track.ratingKey}&rating=6`)).status).toBe(200);
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.payload).toMatchObject({
      event: 'media.rate',
      rating: 6,
      Metadata: { ratingKey: track.ratingKey, librarySectionID: 2, librarySectionTitle: 'Family Music', userRating: 6 },
    });
    expect(sim.state.getRating(track.ratingKey)).toBe(6);
  });

  it('/:/rate writes one (and echoes it with its section id)', async () => {
    const track = family().tracks.find((t) => t.userRating === undefined)!;
    const res = await call(sim, 'PUT', `/:/rate?key=${track.ratingKey}&identifier=com.plexapp.plugins.library&rating=9`);
    expect(res.status).toBe(200);
    expect(sim.state.getRating(track.ratingKey)).toBe(9);
    const [delivery] = await receiver.waitFor(1);
    expect(delivery.payload.Metadata).toMatchObject({ ratingKey: track.ratingKey, librarySectionID: 2 });
  });
});

describe('bulk edits', () => {
  it('an edit of every track in section 2 leaves section 1 alone', async () => {
    const firstMoods = sim.state.tracks.map((t) => t.moods);
    const res = await call(sim, 'PUT', '/library/sections/2/all?type=10&mood%5B%5D.tag.tag-=Calm&mood%5B0%5D.tag.tag=Sagewire%20Test');
    expect(res.status).toBe(200);
    expect(family().tracks.every((t) => t.moods.includes('Sagewire Test'))).toBe(true);
    expect(sim.state.tracks.map((t) => t.moods)).toEqual(firstMoods);
    expect(sim.state.tracks.some((t) => t.moods.includes('Sagewire Test'))).toBe(false);
    const listed = await getJson(sim, '/library/sections/2/all?type=10&mood=Sagewire%20Test');
    expect(listed.totalSize).toBe(FAMILY.tracks);
    expect((await getJson(sim, '/library/sections/1/all?type=10&mood=Sagewire%20Test')).totalSize).toBe(0);
  });

  it('ids of another section’s items are skipped', async () => {
    const own = family().tracks[0];
    const foreign = sim.state.tracks[0];
    const res = await call(sim, 'PUT', `/library/sections/2/all?type=10&id=${own.ratingKey},${foreign.ratingKey}&title.value=Renamed`);
    expect(res.status).toBe(200);
    expect(own.title).toBe('Renamed');
    expect(foreign.title).not.toBe('Renamed');
  });
});

describe('playlists, search and new albums per section', () => {
  it('a smart playlist of section 2 lists that section’s answer and names its uuid', async () => {
    const query = '/library/sections/2/all?type=10&userRating%3E%3E=4';
    const uri = `server://${sim.machineIdentifier}/com.plexapp.plugins.library${query}`;
    const created = await call(sim, 'POST', `/playlists?type=audio&title=Family%20Smart&smart=1&uri=${encodeURIComponent(uri)}`);
    expect(created.status).toBe(200);
    const playlist = created.json().MediaContainer.Metadata[0];
    expect(playlist.content).toContain(`library://${family().uuid}/directory/`);
    const items = await getJson(sim, `/playlists/${playlist.ratingKey}/items`);
    const expected = family().tracks.filter((t) => (t.userRating ?? 0) > 4);
    expect(keysOf(items.Metadata)).toEqual(keysOf(expected));
    const unknown = `server://${sim.machineIdentifier}/com.plexapp.plugins.library/library/sections/9/all?type=10`;
    expect((await call(sim, 'POST', `/playlists?type=audio&title=X&smart=1&uri=${encodeURIComponent(unknown)}`)).status).toBe(400);
    expect((await call(sim, 'DELETE', `/playlists/${playlist.ratingKey}`)).status).toBe(200);
  });

  it('a regular playlist and a play queue take items of either section', async () => {
    const keys = [family().tracks[5].ratingKey, sim.state.tracks[5].ratingKey];
    const uri = `server://${sim.machineIdentifier}/com.plexapp.plugins.library/library/metadata/${keys.join(',')}`;
    const created = await call(sim, 'POST', `/playlists?type=audio&title=Mixed&uri=${encodeURIComponent(uri)}`);
    const id = created.json().MediaContainer.Metadata[0].ratingKey;
    const items = await getJson(sim, `/playlists/${id}/items`);
    expect(items.Metadata.map((m: any) => [m.ratingKey, m.librarySectionID])).toEqual([
      [keys[0], 2],
      [keys[1], 1],
    ]);
    await call(sim, 'DELETE', `/playlists/${id}`);
    const queue = await call(
      sim,
      'POST',
      `/playQueues?type=audio&uri=${encodeURIComponent(`library:///directory/${encodeURIComponent('/library/sections/2/all?type=9')}`)}`,
    );
    expect(queue.status).toBe(200);
    expect(queue.json().MediaContainer.playQueueTotalCount).toBe(FAMILY.tracks);
  });

  it('hub search keeps to the section asked for', async () => {
    const track = family().tracks.find((t) => !sim.state.tracks.some((o) => o.title === t.title))!;
    const hubs = async (extra: string) =>
      ((await getJson(sim, `/hubs/search?query=${encodeURIComponent(track.title)}${extra}`)).Hub ?? []).flatMap((h: any) =>
        h.Metadata.map((m: any) => m.ratingKey),
      );
    expect(await hubs('&sectionId=2')).toContain(track.ratingKey);
    expect(await hubs('')).toContain(track.ratingKey);
    expect(await hubs('&sectionId=1')).not.toContain(track.ratingKey);
  });

  it('sonic neighbours come from the seed’s own section', async () => {
    const seed = family().tracks[10];
    const near = await getJson(sim, `/library/metadata/${seed.ratingKey}/nearest?maxDistance=1&limit=1000`);
    expect(near.librarySectionID).toBe(2);
    expect(near.Metadata.length).toBe(FAMILY.tracks - 1);
    expect(new Set(near.Metadata.map((m: any) => m.librarySectionID))).toEqual(new Set([2]));
  });

  it('an added album goes to the section asked for, with ratingKeys no section holds', async () => {
    const before = new Set(sim.state.items.keys());
    const res = await call(sim, 'POST', '/__sim/add-album?section=2&artist=Family%20Band&tracks=3');
    expect(res.status).toBe(200);
    const added = res.json();
    expect(added.trackKeys.every((k: string) => !before.has(k))).toBe(true);
    expect(added.trackKeys.map((k: string) => sim.state.sectionOf(k).id)).toEqual([2, 2, 2]);
    expect((await getJson(sim, '/library/sections/2/all?type=10')).totalSize).toBe(FAMILY.tracks + 3);
    expect((await call(sim, 'POST', '/__sim/add-album?section=5&tracks=3')).status).toBe(400);
    const foreignArtist = sim.state.artists[0].ratingKey;
    expect((await call(sim, 'POST', `/__sim/add-album?section=2&artistKey=${foreignArtist}`)).status).toBe(400);
  });
});

describe('generation and files', () => {
  it('gives every section disjoint ratingKeys, its own seed’s names, and the same library for the same options', async () => {
    const opts = { tracks: 400, seed: 3, log: () => {}, extraMusicSections: [{ title: 'Audiobooks', tracks: 120 }, FAMILY] };
    const a = await startSimulator(opts);
    const b = await startSimulator(opts);
    try {
      expect(a.sections.map((s) => s.id)).toEqual([1, 2, 3]);
      const bySection = a.state.sections.map((s) => keysOf([...s.artists, ...s.albums, ...s.tracks]));
      const all = bySection.flatMap((keys) => [...keys]);
      expect(new Set(all).size).toBe(all.length);
      expect(a.state.sections.map((s) => s.tracks.length)).toEqual([400, 120, FAMILY.tracks]);
      expect(Number(a.state.library.nextRatingKey)).toBeGreaterThan(Math.max(...all.map(Number)));
      expect(b.state.sections[2].tracks.map((t) => t.title)).toEqual(a.state.sections[2].tracks.map((t) => t.title));
      expect(a.state.sections[2].artists.map((x) => x.title)).not.toEqual(a.state.sections[1].artists.map((x) => x.title));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a duplicate title or an empty section, saying which', async () => {
    await expect(startSim({ tracks: 100, extraMusicSections: [{ title: 'music', tracks: 10 }] })).rejects.toThrow(/already titled "music"/);
    await expect(startSim({ tracks: 100, extraMusicSections: [{ title: 'Empty', tracks: 0 }] })).rejects.toThrow(
      /"Empty" needs a positive/,
    );
  });

  it('saves the extra sections with the library and loads them back', async () => {
    const path = join(dir, 'two-sections.json');
    sim.save(path);
    const loaded = await startSimulator({ libraryFile: path, log: () => {} });
    try {
      expect(loaded.sections).toEqual(sim.sections);
      const track = family().tracks[20];
      expect((await getJson(loaded, `/library/metadata/${track.ratingKey}`)).Metadata[0]).toMatchObject({
        title: track.title,
        librarySectionID: 2,
      });
      expect((await getJson(loaded, '/library/sections/2/all?type=10')).totalSize).toBe(family().tracks.length);
    } finally {
      await loaded.close();
    }
  });
});

describe('sagewire sim --extra-section', () => {
  it('starts a server with the extra section and prints every section', async () => {
    const cli = spawnCli(['sim', '--port', '0', '--tracks', '200', '--extra-section', 'Family: Kids:150:7'], {});
    try {
      await waitUntil(() => cli.stdout().includes('control API'), 'the simulator to start', 30_000);
      expect(cli.stdout()).toMatch(/section 2 +"Family: Kids": \d+ artists, \d+ albums, 150 tracks/);
      const url = /listening on (http:\/\/\S+)/.exec(cli.stdout())![1];
      const res = await fetch(`${url}/library/sections`, { headers: { 'X-Plex-Token': 'sim-token', Accept: 'application/json' } });
      const listed = (await res.json()).MediaContainer.Directory.map((d: any) => d.title);
      expect(listed).toEqual(['Music', 'Family: Kids']);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  }, 60_000);

  it('refuses a malformed value, naming the flag', async () => {
    const cli = spawnCli(['sim', '--port', '0', '--tracks', '50', '--extra-section', 'Family Music'], {});
    const { code } = await cli.exited;
    expect(code).not.toBe(0);
    expect(cli.stderr()).toContain('--extra-section must be "TITLE:TRACKS"');
  }, 60_000);
});
