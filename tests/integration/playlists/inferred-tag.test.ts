// Sagewire's own inferred tag (INFERRED_TAG, whatever its name, in any letter case) is never music for the
// playlists: not a filter choice, not a mood of a track, a seed quality, a pick reason or a word sent to a
// model — while the library's real moods still are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisPrompt, describeSeedOffline, seedPrompt, type RankSpec } from '../../../src/domain/playlist/index.js';
import { startFakeLlm, type FakeLlm } from '../../support/fake-llm/server.js';
import { startHarness, type Harness } from './support/harness.js';

const rank = (over: Partial<RankSpec> = {}): RankSpec => ({ genres: [], styles: [], moods: [], artists: [], year: null, seed: 1, ...over });

describe.each(['Rating_Inferred', 'Sagewire Guess'])('INFERRED_TAG=%s', (tagName) => {
  let h: Harness;
  let fake: FakeLlm;
  const variants = [tagName, tagName.toLowerCase(), tagName.toUpperCase()];
  const mentions = (text: string) => text.toLowerCase().includes(tagName.toLowerCase());

  beforeAll(async () => {
    fake = await startFakeLlm();
    h = await startHarness({ tracks: 800, seed: 5, fakeUrl: fake.url, env: { INFERRED_TAG: tagName } });
    // Sagewire's mood on most tracks and albums, in the letter cases Plex treats as one tag.
    const insert = h.handle.sqlite.prepare("insert or ignore into item_tags (item_key, kind, tag) values (?, 'mood', ?)");
    h.library.tracks.forEach((t, i) => {
      if (i % 4 !== 3) insert.run(t.ratingKey, variants[i % 3]);
    });
    for (const [i, a] of h.library.albums.entries()) insert.run(a.ratingKey, variants[(i + 1) % 3]);
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('is no filter choice; the real moods are', async () => {
    const { vocabulary } = await h.vocabulary.get();
    expect(vocabulary.moods.length).toBeGreaterThan(3);
    expect(vocabulary.moods.filter((m) => mentions(m.tag))).toEqual([]);
    expect(analysisPrompt('anything', vocabulary).user).not.toMatch(new RegExp(tagName, 'i'));
    expect(h.pool.count({ moods: [tagName] })).toBe(0);
  });

  it('is no mood of a track, of a seed or in a seed prompt', () => {
    const tracks = h.library.tracks.map((t) => h.pool.track(t.ratingKey)!);
    expect(tracks.filter((t) => t.tags.moods.some(mentions))).toEqual([]);
    const seed = tracks.find((t) => t.tags.moods.length > 0)!;
    expect(seed).toBeDefined();
    expect(describeSeedOffline(seed).filter((d) => mentions(d.description))).toEqual([]);
    expect(mentions(seedPrompt(seed).user)).toBe(false);
    const pool = h.pool.build({ filters: {}, rank: rank({ moods: [tagName, seed.tags.moods[0]] }), size: 100 });
    expect(pool.tracks.filter((t) => t.tags.moods.some(mentions))).toEqual([]);
  });

  it('never reaches a model or a pick reason, through a prompt or a seed', async () => {
    fake.requests.length = 0;
    const byPrompt = await h.service.generate({ prompt: `calm ${tagName} evening`, count: 15, provider: 'openai', variety: 3 });
    const seedKey = h.library.tracks.find((_, i) => i % 4 !== 3)!.ratingKey;
    const bySeed = await h.service.generate({ seedRatingKey: seedKey, count: 15, provider: 'openai', variety: 4 });
    const offline = await h.service.generate({ seedRatingKey: seedKey, count: 15, provider: 'offline', variety: 5 });
    expect(fake.requests.length).toBeGreaterThan(2);
    for (const request of fake.requests) {
      // the person's own words come back
      const sent = JSON.stringify(request.body).replace(new RegExp(`calm ${tagName} evening`, 'gi'), '');
      expect(mentions(sent), request.role).toBe(false);
    }
    for (const result of [byPrompt, bySeed, offline]) {
      expect(result.tracks.length).toBeGreaterThan(0);
      expect(result.tracks.filter((t) => mentions(t.reason))).toEqual([]);
      expect(JSON.stringify(result.filters)).not.toMatch(new RegExp(tagName, 'i'));
      expect((result.seedDimensions ?? []).filter((d) => mentions(d.description))).toEqual([]);
    }
  });
});
