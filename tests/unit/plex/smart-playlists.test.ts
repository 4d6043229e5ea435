// Smart playlist requests as Plex and python-plexapi shape them: POST /playlists with smart=1 and a
// section-search URI, PUT /playlists/{id}/items with a new URI to change the filter; the filter's
// operators survive both rounds of encoding.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlexClient, PlexUsageError } from '../../../src/plex/index.js';
import { json, startLocalServer, type LocalServer } from './local-server.js';

let server: LocalServer;
const plex = () => new PlexClient({ url: server.url, token: 't', retries: 0 });

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
  server.handle((req, res) => {
    if (req.path === '/identity') return json(res, { MediaContainer: { machineIdentifier: 'abc123' } });
    json(res, { MediaContainer: { size: 1, Metadata: [{ ratingKey: '77', title: 'Hidden gems', type: 'playlist', smart: true }] } });
  });
});

/** The `uri` parameter: its path, and its own query as ordered pairs. */
function uriOf(query: URLSearchParams): { path: string; pairs: [string, string][] } {
  const uri = query.get('uri')!;
  const [path, inner] = uri.split('?');
  return { path, pairs: [...new URLSearchParams(inner)] };
}

describe('smart playlists', () => {
  it('creates one over a section search', async () => {
    const created = await plex().createSmartPlaylist(' Hidden gems ', 3, 'userRating>>=7.9&viewCount=0&sort=userRating:desc&limit=200');
    expect(created.ratingKey).toBe('77');
    const post = server.seen.find((s) => s.method === 'POST')!;
    expect(post.path).toBe('/playlists');
    expect(post.query.get('type')).toBe('audio');
    expect(post.query.get('smart')).toBe('1');
    expect(post.query.get('title')).toBe('Hidden gems');
    const { path, pairs } = uriOf(post.query);
    expect(path).toBe('server://abc123/com.plexapp.plugins.library/library/sections/3/all');
    expect(pairs).toEqual([
      ['type', '10'],
      ['userRating>>', '7.9'],
      ['viewCount', '0'],
      ['sort', 'userRating:desc'],
      ['limit', '200'],
    ]);
    // Inside the URI the operator is percent-encoded, as python-plexapi's urlencode leaves it.
    expect(post.query.get('uri')).toContain('userRating%3E%3E=7.9');
  });

  it('changes the filter of an existing one with PUT …/items', async () => {
    await plex().updateSmartPlaylist('77', '3', 'userRating>>=8.9&lastViewedAt<<=-12mon');
    const put = server.seen.find((s) => s.method === 'PUT')!;
    expect(put.path).toBe('/playlists/77/items');
    const { path, pairs } = uriOf(put.query);
    expect(path).toBe('server://abc123/com.plexapp.plugins.library/library/sections/3/all');
    expect(pairs).toEqual([
      ['type', '10'],
      ['userRating>>', '8.9'],
      ['lastViewedAt<<', '-12mon'],
    ]);
  });

  it.each([
    ['a title', () => plex().createSmartPlaylist('  ', 3, 'viewCount=0'), /needs a title/],
    ['a filter', () => plex().createSmartPlaylist('x', 3, ''), /needs a filter/],
    ['field=value', () => plex().createSmartPlaylist('x', 3, 'viewCount'), /is not a filter/],
    ['its own type', () => plex().createSmartPlaylist('x', 3, 'type=9&viewCount=0'), /sets its own type/],
    ['a section id', () => plex().createSmartPlaylist('x', 'Music', 'viewCount=0'), /not a library section id/],
    ['a playlist key', () => plex().updateSmartPlaylist('all', 3, 'viewCount=0'), /not a Plex rating key/],
  ])('refuses a request without %s, sending nothing', async (_what, call, message) => {
    await expect(call()).rejects.toThrow(PlexUsageError);
    await expect(call()).rejects.toThrow(message);
    expect(server.seen.filter((s) => s.method !== 'GET')).toEqual([]);
  });
});
