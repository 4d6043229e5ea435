import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/plex/backoff.js';
import { checkedKeys, chunkKeys, libraryUri, tagRemoveParams } from '../../../src/plex/edit-query.js';
import { PlexClient, PlexUsageError } from '../../../src/plex/index.js';
import { encodeQuery } from '../../../src/plex/transport.js';
import { json, startLocalServer, type LocalServer } from './local-server.js';

describe('edit query building', () => {
  it('refuses an empty id list and anything that is not a rating key', () => {
    expect(() => checkedKeys([], 'edit')).toThrow(PlexUsageError);
    expect(() => checkedKeys([''], 'edit')).toThrow(/not a Plex rating key/);
    expect(() => checkedKeys(['1,2'], 'edit')).toThrow(PlexUsageError);
    expect(checkedKeys([3, '4', ' 3 '], 'edit')).toEqual(['3', '4']);
  });

  it('encodes tag removals as Plex clients do: each value quoted, comma-joined, then quoted again', () => {
    const query = encodeQuery(tagRemoveParams(10, ['101'], 'mood', ['Happy'], true));
    expect(query).toBe('type=10&id=101&mood%5B%5D.tag.tag-=Happy&mood.locked=1'); // as python-plexapi sends it
    const tricky = new URLSearchParams(encodeQuery(tagRemoveParams(10, ['1', '2'], 'mood', ['Rock & Roll', 'a,b', 'Pop'], true)));
    const value = tricky.get('mood[].tag.tag-')!;
    expect(value.split(',').map(decodeURIComponent)).toEqual(['Rock & Roll', 'a,b', 'Pop']);
    expect(tricky.get('id')).toBe('1,2');
  });

  it('encodes spaces as %20, never +', () => {
    expect(encodeQuery([['title', 'A B+C']])).toBe('title=A%20B%2BC');
  });

  it('builds server:// item URIs and keeps URL chunks short', () => {
    expect(libraryUri('abc', ['1', '2'])).toBe('server://abc/com.plexapp.plugins.library/library/metadata/1,2');
    const keys = Array.from({ length: 1000 }, (_, i) => String(100000 + i));
    const chunks = chunkKeys(keys, 150, 700);
    expect(chunks.flat()).toEqual(keys);
    expect(Math.max(...chunks.map((c) => c.join(',').length))).toBeLessThanOrEqual(700);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(150);
  });

  it('uses full-jitter backoff within the exponential ceiling', () => {
    expect(backoffDelay(1, 100, 1000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 1000, () => 0.5)).toBe(200);
    expect(backoffDelay(10, 100, 1000, () => 0.999)).toBe(999);
    expect(backoffDelay(2, 100, 1000, () => 0)).toBe(0);
  });
});

describe('edits against a local server', () => {
  let server: LocalServer;
  let moods: Record<string, string[]>;
  const plex = () => new PlexClient({ url: server.url, token: 't', retries: 0 });

  beforeEach(async () => {
    server = await startLocalServer();
    moods = { '101': ['Mellow', 'Warm'], '102': ['Dark'] };
    server.handle((req, res) => {
      if (req.method === 'GET' && req.path.startsWith('/library/metadata/')) {
        const keys = req.path.split('/')[3].split(',');
        return json(res, {
          MediaContainer: {
            Metadata: keys.map((k) => ({ ratingKey: k, type: 'track', title: k, Mood: (moods[k] ?? []).map((tag) => ({ tag })) })),
          },
        });
      }
      res.writeHead(200).end();
    });
  });
  afterEach(() => server.close());

  it('throws before sending any edit without ids', async () => {
    const p = plex();
    await expect(p.editTags(1, 10, [], { field: 'mood', add: ['X'] })).rejects.toBeInstanceOf(PlexUsageError);
    await expect(p.editTags(1, 10, [], { field: 'mood', remove: ['X'] })).rejects.toBeInstanceOf(PlexUsageError);
    await expect(p.editUserRating(1, 10, [], 5)).rejects.toBeInstanceOf(PlexUsageError);
    await expect(p.editField(1, 10, [], 'title', 'T')).rejects.toBeInstanceOf(PlexUsageError);
    await expect(p.createPlaylist('x', [])).rejects.toBeInstanceOf(PlexUsageError);
    await expect(p.appendToPlaylist(1, [])).rejects.toBeInstanceOf(PlexUsageError);
    expect(server.seen).toHaveLength(0);
  });

  it('adding a mood to ONE item re-sends its existing moods (one id replaces the list)', async () => {
    await plex().editTags(1, 10, ['101'], { field: 'mood', add: ['Happy'] });
    const put = server.seen.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe('/library/sections/1/all');
    expect(put.query.get('id')).toBe('101');
    expect(put.query.get('type')).toBe('10');
    expect([0, 1, 2].map((i) => put.query.get(`mood[${i}].tag.tag`))).toEqual(['Mellow', 'Warm', 'Happy']);
  });

  it('does not send anything when one item already has the mood (any case)', async () => {
    await plex().editTags(1, 10, ['101'], { field: 'mood', add: ['mellow'] });
    expect(server.seen.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('adds to several items with one multi-id request, without reading them', async () => {
    await plex().editTags(1, 10, ['101', '102'], { field: 'mood', add: ['Happy', 'Calm'], locked: false });
    expect(server.seen.map((r) => r.method)).toEqual(['PUT']);
    const q = server.seen[0].query;
    expect(q.get('id')).toBe('101,102');
    expect(q.get('mood[0].tag.tag')).toBe('Happy');
    expect(q.get('mood[1].tag.tag')).toBe('Calm');
    expect(q.get('mood.locked')).toBe('0');
  });

  it('removes with the removal form, on one item or several', async () => {
    await plex().editTags(1, 10, ['102'], { field: 'genre', remove: ['Hip Hop'] });
    expect(server.seen[0].rawQuery).toBe('type=10&id=102&genre%5B%5D.tag.tag-=Hip%2520Hop&genre.locked=1');
  });

  it('sends the multi-id userRating.value edit and /:/rate clears with -1', async () => {
    const p = plex();
    await p.editUserRating(3, 10, ['5', '6'], 8);
    expect(server.seen[0].rawQuery).toBe('type=10&id=5%2C6&userRating.value=8');
    await p.rate(5, null);
    expect(server.seen[1].rawQuery).toBe('key=5&identifier=com.plexapp.plugins.library&rating=-1');
    await expect(p.rate(5, 11)).rejects.toBeInstanceOf(PlexUsageError);
  });

  it('creates playlists with a server:// URI and appends long key lists in chunks', async () => {
    server.handle((req, res) => {
      if (req.path === '/identity') return json(res, { MediaContainer: { machineIdentifier: 'mid' } });
      if (req.method === 'POST') return json(res, { MediaContainer: { Metadata: [{ ratingKey: '900', type: 'playlist', title: 'Mix' }] } });
      res.writeHead(200).end();
    });
    const keys = Array.from({ length: 450 }, (_, i) => String(1000 + i));
    const playlist = await plex().createPlaylist('Mix', keys);
    expect(playlist.ratingKey).toBe('900');
    const post = server.seen.find((r) => r.method === 'POST')!;
    expect(post.query.get('uri')).toBe(`server://mid/com.plexapp.plugins.library/library/metadata/${keys.slice(0, 200).join(',')}`);
    expect(post.query.get('type')).toBe('audio');
    expect(post.query.get('smart')).toBe('0');
    const puts = server.seen.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual(['/playlists/900/items', '/playlists/900/items']);
    expect(puts.flatMap((r) => r.query.get('uri')!.split('/').pop()!.split(','))).toEqual(keys.slice(200));
  });
});

describe('client construction', () => {
  it('refuses a URL that is not http(s) before sending anything', () => {
    expect(() => new PlexClient({ url: 'plex.local:32400', token: 't' })).toThrow(PlexUsageError);
    expect(() => new PlexClient({ url: 'not a url', token: 't' })).toThrow(/is not a URL/);
  });
});
