// Conformance: real Plex samples and the simulator's answers go through the same code path
// (mapItem, the one the sync uses). The simulator's XML, converted to the JSON shape the way
// PLEX-API.md describes, must map to exactly the rows its JSON maps to: if the two renderings
// disagreed, the cache would depend on which one a server chose.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapItem } from '../../../src/library/sync-mapping.js';
import { PlexClient, type PlexItem } from '../../../src/plex/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { plexXmlToJson } from '../../unit/plex/xml-to-json.js';

const samples = new URL('../../fixtures/plex-samples/', import.meta.url);

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, tracks: 800, seed: 3 });
});
afterAll(() => sim.close());

async function simXml(path: string): Promise<PlexItem[]> {
  const res = await fetch(`${sim.url}${path}`, { headers: { 'X-Plex-Token': sim.token } }); // no Accept: XML, as Plex defaults
  expect(res.headers.get('content-type')).toMatch(/xml/);
  return plexXmlToJson(await res.text()).MediaContainer.Metadata as unknown as PlexItem[];
}

describe('conformance of mapping across samples, simulator JSON and simulator XML', () => {
  it('maps the spec JSON album and the captured XML track', () => {
    const json = JSON.parse(readFileSync(new URL('pms-json-section-albums-spec-example.json', samples), 'utf8')) as {
      MediaContainer: { Metadata: PlexItem[] };
    };
    const xml = plexXmlToJson(readFileSync(new URL('pms-xml-track-metadata-excerpt-2026.xml', samples), 'utf8'));
    expect(mapItem(json.MediaContainer.Metadata[0])).toMatchObject({
      kind: 'album',
      row: { rating_key: '265', critic_rating: 8, user_rating: null },
    });
    expect(mapItem(xml.MediaContainer.Metadata![0] as unknown as PlexItem)).toMatchObject({
      kind: 'track',
      row: { rating_key: '809604', album_key: '809603', artist_key: '809564', track_index: 1, year: 2011 },
    });
  });

  it.each([[8], [9], [10]])('simulator XML and JSON of type %i map to the same rows', async (type) => {
    // Rate a few items first so ratings and lastRatedAt are part of the comparison.
    for (const ref of sim.state.lists[type === 8 ? 'artist' : type === 9 ? 'album' : 'track'].slice(0, 3)) {
      sim.state.userRate(ref.item.ratingKey, 7.5, { notify: false });
    }
    const plex = new PlexClient({ url: sim.url, token: sim.token });
    const jsonItems: PlexItem[] = [];
    for await (const page of plex.listItems(1, type as 8 | 9 | 10, { pageSize: 300 })) jsonItems.push(...page.items);
    const xmlItems = await simXml(`/library/sections/1/all?type=${type}&X-Plex-Container-Start=0&X-Plex-Container-Size=100000`);
    expect(xmlItems).toHaveLength(jsonItems.length);
    const fromJson = jsonItems.map(mapItem);
    const fromXml = xmlItems.map(mapItem);
    expect(fromJson.every((m) => m !== null)).toBe(true);
    expect(fromXml).toEqual(fromJson);
    expect(fromJson.some((m) => m!.row.user_rating === 7.5)).toBe(true);
  });

  it('multi-id metadata in XML and JSON map to the same rows, tags and Live subformat included', async () => {
    const live = sim.state.albums
      .filter((a) => a.subformats.includes('Live'))
      .slice(0, 2)
      .map((a) => a.ratingKey);
    const keys = [...live, ...sim.state.tracks.slice(0, 20).map((t) => t.ratingKey), sim.state.artists[0].ratingKey];
    // XML groups <Directory> and <Track> elements apart, so compare in key order.
    const byKey = (list: ReturnType<typeof mapItem>[]) => [...list].sort((a, b) => a!.row.rating_key.localeCompare(b!.row.rating_key));
    const fromJson = byKey((await new PlexClient({ url: sim.url, token: sim.token }).metadata(keys)).map(mapItem));
    const fromXml = byKey((await simXml(`/library/metadata/${keys.join(',')}`)).map(mapItem));
    expect(fromJson).toHaveLength(keys.length);
    expect(fromXml).toEqual(fromJson);
    expect(live).toHaveLength(2);
    expect(fromJson.filter((m) => m?.kind === 'album').every((m) => (m!.row as { is_live: number }).is_live === 1)).toBe(true);
  });
});
