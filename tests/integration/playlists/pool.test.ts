// The pool on a real cache: hard filters (tags, decades, ratings with and without inferred ones, live),
// counts, caps, twin collapse, seeded variety, and "songs like <artist>".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twinKey, type RankSpec } from '../../../src/domain/playlist/index.js';
import { createEngineStore } from '../../../src/engine/core/engine-store.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
const rank = (over: Partial<RankSpec> = {}): RankSpec => ({ genres: [], styles: [], moods: [], artists: [], year: null, seed: 1, ...over });

beforeAll(async () => {
  h = await startHarness({ tracks: 5000, seed: 3 });
});
afterAll(async () => h?.close());

describe('pool', () => {
  it('applies tag, decade and live filters', () => {
    const pool = h.pool.build({ filters: { genres: ['Pop/Rock'], decades: [1990], excludeLive: true }, rank: rank(), size: 200 });
    expect(pool.tracks.length).toBeGreaterThan(100); // caps may leave fewer than asked; the pool never relaxes them
    for (const t of pool.tracks) {
      expect(t.tags.genres).toContain('Pop/Rock');
      expect(t.year! >= 1990 && t.year! <= 1999).toBe(true);
      expect(t.live).toBe(false);
    }
    expect(pool.matching).toBe(h.pool.count({ genres: ['Pop/Rock'], decades: [1990], excludeLive: true }));
  });

  it('keeps live tracks unless asked, and "Live Forever"-style titles either way', () => {
    const all = h.pool.count({});
    const studio = h.pool.count({ excludeLive: true });
    expect(studio).toBeLessThan(all);
  });

  it('counts inferred ratings unless switched off', async () => {
    const rated = await h.handle.db.selectFrom('tracks').select(['rating_key', 'user_rating']).where('user_rating', '>=', 8).execute();
    expect(rated.length).toBeGreaterThan(10);
    const withInferred = h.pool.count({ minRating: 4 });
    // Sagewire claims five of them (as recover does: journaled `claim` rows, which move the ratings version).
    const store = createEngineStore(h.handle.sqlite);
    store.journal.record(
      store.runs.start('recover'),
      rated.slice(0, 5).map((r) => ({
        itemKey: r.rating_key,
        kind: 'track' as const,
        operation: 'claim' as const,
        valueBefore: null,
        valueAfter: r.user_rating,
      })),
    );
    expect(h.pool.count({ minRating: 4, includeInferred: true })).toBe(withInferred);
    expect(h.pool.count({ minRating: 4, includeInferred: false })).toBe(withInferred - 5);
  });

  it('caps artists and albums, collapses twins, and is stable for a seed', () => {
    const a = h.pool.build({ filters: {}, rank: rank({ seed: 9 }), size: 300 });
    const perArtist = new Map<string, number>();
    for (const t of a.tracks) perArtist.set(t.artist, (perArtist.get(t.artist) ?? 0) + 1);
    expect(Math.max(...perArtist.values())).toBeLessThanOrEqual(24);
    expect(new Set(a.tracks.map(twinKey)).size).toBe(a.tracks.length);
    const b = h.pool.build({ filters: {}, rank: rank({ seed: 9 }), size: 300 });
    expect(b.tracks.map((t) => t.ratingKey)).toEqual(a.tracks.map((t) => t.ratingKey));
    const c = h.pool.build({ filters: {}, rank: rank({ seed: 10 }), size: 300 });
    expect(c.tracks.map((t) => t.ratingKey)).not.toEqual(a.tracks.map((t) => t.ratingKey));
  });

  it('gives a favoured artist its share of the pool ("songs like X")', () => {
    const artist = h.library.artists.find((x) => h.library.albums.filter((al) => al.artistKey === x.ratingKey).length >= 5)!;
    const pool = h.pool.build({ filters: {}, rank: rank({ artists: [artist.title] }), size: 100, favouredArtistShare: 0.3 });
    const share = pool.tracks.filter((t) => t.artist === artist.title).length / pool.tracks.length;
    expect(share).toBeGreaterThanOrEqual(0.25);
  });
});
