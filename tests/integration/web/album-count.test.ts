// The albums page's live count (POST /playlists/albums with op=count) through the real composition root over
// a small simulated library: albums and tracks counted as the library cache says they should be, and every
// bad filter value answered with its field named and no count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness.js';
import { PASSWORD, startPlaylistApp, type PlaylistApp } from './playlist-support.js';

let h: PlaylistApp;
let client: Client;
let csrf: string;
let tracks: { album_key: string; view_count: number | null; skip_count: number | null }[];

beforeAll(async () => {
  h = await startPlaylistApp({ tracks: 150 });
  client = new Client(h.url);
  csrf = await client.signIn(PASSWORD);
  tracks = await h.app.database.db.selectFrom('tracks').select(['album_key', 'view_count', 'skip_count']).execute();
});
afterAll(async () => {
  await h?.close();
});

const count = async (filters: Record<string, string>) => {
  const res = await client.post('/playlists/albums', { _csrf: csrf, op: 'count', ...filters }, { 'HX-Request': 'true' });
  expect(res.status).toBe(200);
  const albums = /data-albums="(\d+)"/.exec(res.text);
  const matched = /data-tracks="(\d+)"/.exec(res.text);
  const fields = [...res.text.matchAll(/data-field="([a-z_]+)"/g)].map((m) => m[1]);
  return { albums: albums ? Number(albums[1]) : null, tracks: matched ? Number(matched[1]) : null, fields, text: res.text };
};

/** What the filters should admit, worked out from the cache's rows. */
const expected = (admit: (t: (typeof tracks)[number]) => boolean) => {
  const kept = tracks.filter(admit);
  return { albums: new Set(kept.map((t) => t.album_key)).size, tracks: kept.length };
};

describe('POST /playlists/albums op=count', () => {
  it('counts every album and track with no filter, and follows the listening filters', async () => {
    const plays = tracks.map((t) => t.view_count ?? 0).sort((a, b) => a - b);
    const median = Math.max(1, plays[Math.floor(plays.length / 2)]);
    const cases: [string, Record<string, string>, (t: (typeof tracks)[number]) => boolean][] = [
      ['no filter', {}, () => true],
      ['never played', { never_played: 'true' }, (t) => !t.view_count],
      [`played at least ${median}`, { min_plays: String(median) }, (t) => (t.view_count ?? 0) >= median],
      ['never skipped', { max_skip_percent: '0' }, (t) => !t.skip_count],
      ['never played and played at least once', { never_played: 'true', min_plays: '1' }, () => false],
    ];
    const seen = new Set<number>();
    for (const [name, filters, admit] of cases) {
      const want = expected(admit);
      const got = await count(filters);
      expect({ name, albums: got.albums, tracks: got.tracks }).toEqual({ name, ...want });
      seen.add(want.tracks);
    }
    // The cases differ, so a count that ignored a filter could not pass.
    expect(seen.size).toBe(cases.length);
    expect((await count({ never_played: 'true', min_plays: '1' })).text).toContain('Loosen a filter');
  });

  it.each([
    ['min_plays', { min_plays: 'lots' }, 'Played at least is a whole number'],
    ['min_plays', { min_plays: '-2' }, 'Played at least is a whole number'],
    ['not_played_months', { not_played_months: '0' }, 'Not played for is a whole number of months'],
    ['max_skip_percent', { max_skip_percent: '150' }, 'Skipped at most is a percentage'],
    ['min_rating', { min_rating: '7' }, 'Minimum rating is in stars'],
    ['genres', { genres: 'Polka From Mars' }, 'Not in your library: Polka From Mars'],
  ])('names %s when it is bad (%o) and counts nothing', async (field, filters, message) => {
    const got = await count(filters);
    expect(got.fields).toEqual([field]);
    expect(got.text).toContain(message);
    expect(got.albums).toBeNull();
  });

  it('ignores the prompt and the length fields the playlist form would check', async () => {
    const got = await count({ prompt: '', count: '3', max_tracks: '1' });
    expect(got.fields).toEqual([]);
    expect(got.albums).toBe(expected(() => true).albums);
  });
});
