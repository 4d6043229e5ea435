// Through the real composition root: the playlist pages take INFERRED_TAG from the configuration, so
// Sagewire's own mood (renamed here) is neither a filter choice on the compose page nor a quality of a
// seed track on the seed page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './harness.js';
import { PASSWORD, startPlaylistApp, type PlaylistApp } from './playlist-support.js';

const TAG = 'Sagewire Guess';
let h: PlaylistApp;
let client: Client;
let csrf: string;

beforeAll(async () => {
  h = await startPlaylistApp({ env: { INFERRED_TAG: TAG } });
  client = new Client(h.url);
  csrf = await client.signIn(PASSWORD);
});
afterAll(async () => {
  await h?.close();
});

describe('the configured inferred tag on the playlist pages', () => {
  it('is not offered as a mood, and is not a seed quality', async () => {
    const sqlite = h.app.database.sqlite;
    const keys = sqlite.prepare('select rating_key from tracks order by rating_key').pluck().all() as string[];
    // Sagewire's mood on every track: the most common mood of the library, in two letter cases.
    const insert = sqlite.prepare("insert or ignore into item_tags (item_key, kind, tag) values (?, 'mood', ?)");
    for (const [i, key] of keys.entries()) insert.run(key, i % 2 ? TAG : TAG.toLowerCase());
    const mood = sqlite
      .prepare("select tag from item_tags where kind = 'mood' and lower(tag) != lower(?) group by tag order by count(*) desc limit 1")
      .pluck()
      .get(TAG) as string;
    expect(mood).toBeTruthy();

    // The filter step offers the library's most common moods as choices.
    const filters = await client.post('/playlists/suggest', { _csrf: csrf, prompt: 'a calm evening', provider: 'offline', count: '20' });
    expect(filters.status).toBe(200);
    expect(filters.text).toContain(mood);
    expect(filters.text.toLowerCase()).not.toContain(TAG.toLowerCase());

    // A seed track with one to three moods of its own and its album's: its qualities name up to four moods,
    // so every mood it has, Sagewire's included, would be shown.
    const seedKey = sqlite
      .prepare(
        `select rating_key from (select t.rating_key,
        (select count(distinct g.tag) from item_tags g where g.item_key in (t.rating_key, t.album_key) ` +
          `and g.kind = 'mood' and lower(g.tag) != lower(?)) as n
      from tracks t) where n between 1 and 3 order by n, rating_key limit 1`,
      )
      .pluck()
      .get(TAG) as string;
    expect(seedKey).toBeTruthy();
    const seed = await client.get(`/playlists/seed/${seedKey}?provider=offline`);
    expect(seed.status).toBe(200);
    expect(seed.text).toMatch(/<strong>mood<\/strong>/);
    expect(seed.text.toLowerCase()).not.toContain(TAG.toLowerCase());
  });
});
