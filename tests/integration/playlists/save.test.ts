// Saving through the real Plex client into the simulator's playlists: create, replace, append skipping
// tracks already there; and the history row records where the playlist went.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlexClient } from '../../../src/plex/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { startHarness, type Harness } from './support/harness.js';

let sim: RunningSimulator;
let h: Harness;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, tracks: 1500, seed: 21 });
  const plex = new PlexClient({ url: sim.url, token: sim.token, retries: 0 });
  h = await startHarness({ library: sim.state.library, plex });
});
afterAll(async () => {
  await h?.close();
  await sim?.close();
});

const itemsOf = (key: string) => sim.state.library.playlists.find((p) => p.ratingKey === key)!.items.map((i) => i.ratingKey);

describe('saving to Plex', () => {
  it('creates, replaces and appends without duplicates', async () => {
    const first = await h.service.generate({
      prompt: 'mellow evening',
      count: 10,
      provider: 'offline',
      variety: 1,
      save: { mode: 'create', title: 'Evening' },
    });
    expect(first.playlist?.title).toBe('Evening');
    const key = first.playlist!.ratingKey;
    expect(itemsOf(key)).toEqual(first.tracks.map((t) => t.ratingKey));

    const second = await h.service.generate({
      prompt: 'energetic morning',
      count: 10,
      provider: 'offline',
      variety: 2,
      save: { mode: 'replace', playlistRatingKey: key },
    });
    expect(itemsOf(key)).toEqual(second.tracks.map((t) => t.ratingKey));

    const overlap = { title: 'again', tracks: [...second.tracks.slice(0, 4), ...first.tracks.slice(0, 3)] };
    const appended = await h.service.save(second.id, { mode: 'append', playlistRatingKey: key }, overlap);
    expect(appended).toMatchObject({ added: 3, skipped: 4 });
    expect(itemsOf(key)).toEqual([...second.tracks.map((t) => t.ratingKey), ...first.tracks.slice(0, 3).map((t) => t.ratingKey)]);

    const row = await h.handle.db.selectFrom('playlist_generations').selectAll().where('id', '=', second.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ playlist_rating_key: key, saved_mode: 'append' });
  });

  it('refuses to replace a playlist that does not exist, naming the field', async () => {
    await expect(
      h.service.generate({ prompt: 'x', count: 10, provider: 'offline', save: { mode: 'replace', playlistRatingKey: '424242' } }),
    ).rejects.toMatchObject({ field: 'save.playlistRatingKey', status: 400 });
  });
});
