import { describe, expect, it } from 'vitest';
import { generateLibrary } from '../../../src/sim/index.js';
import type { SimLibrary, SimTrack } from '../../../src/sim/index.js';

const lib = generateLibrary({ tracks: 20_000, seed: 3 });
const albumsByKey = new Map(lib.albums.map((a) => [a.ratingKey, a]));
const artistsByKey = new Map(lib.artists.map((a) => [a.ratingKey, a]));
const trackArtist = (t: SimTrack): string => t.originalTitle ?? artistsByKey.get(albumsByKey.get(t.albumKey)!.artistKey)!.title;

function share(items: { userRating?: number }[]): number {
  return items.filter((i) => i.userRating !== undefined).length / items.length;
}

describe('generateLibrary', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = generateLibrary({ tracks: 3000, seed: 11 });
    const b = generateLibrary({ tracks: 3000, seed: 11 });
    const c = generateLibrary({ tracks: 3000, seed: 12 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a.tracks.slice(0, 50))).not.toBe(JSON.stringify(c.tracks.slice(0, 50)));
  });

  it.each([0, 1, 5, 6, 7, 13, 999, 5000, 12_345])('gives exactly %i tracks', (n) => {
    expect(generateLibrary({ tracks: n, seed: 5 }).tracks).toHaveLength(n);
  });

  it('uses unique numeric ratingKeys across artists, albums and tracks', () => {
    const keys = [...lib.artists, ...lib.albums, ...lib.tracks].map((i) => i.ratingKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => /^\d+$/.test(k))).toBe(true);
    expect(lib.nextRatingKey).toBeGreaterThan(Math.max(...keys.map(Number)));
  });

  it('has a realistic shape', () => {
    const perArtist = new Map<string, number>();
    for (const a of lib.albums) perArtist.set(a.artistKey, (perArtist.get(a.artistKey) ?? 0) + 1);
    const various = lib.artists.find((a) => a.title === 'Various Artists')!;
    for (const [key, n] of perArtist) if (key !== various.ratingKey) expect(n).toBeLessThanOrEqual(20);
    const perAlbum = new Map<string, SimTrack[]>();
    for (const t of lib.tracks) perAlbum.set(t.albumKey, [...(perAlbum.get(t.albumKey) ?? []), t]);
    const sizes = [...perAlbum.values()].map((ts) => ts.length);
    expect(sizes.filter((s) => s < 6 || s > 24).length).toBeLessThanOrEqual(1); // only the very last album may be cut short
    expect([...perAlbum.values()].some((ts) => ts.some((t) => t.disc === 2))).toBe(true);
    expect(lib.albums.every((a) => a.year >= 1955 && a.year <= 2025)).toBe(true);
    expect(lib.tracks.every((t) => Number.isInteger(t.duration) && t.duration > 10_000)).toBe(true);
    expect(lib.albums.every((a) => a.genres.length > 0 && a.moods.length > 0)).toBe(true);
  });

  it('has Various Artists compilations with originalTitle on every track', () => {
    const various = lib.artists.find((a) => a.title === 'Various Artists')!;
    const comps = lib.albums.filter((a) => a.artistKey === various.ratingKey);
    expect(comps.length).toBeGreaterThan(3);
    const compTracks = lib.tracks.filter((t) => comps.some((c) => c.ratingKey === t.albumKey));
    expect(compTracks.every((t) => t.originalTitle && t.originalTitle !== 'Various Artists')).toBe(true);
    expect(various.userRating).toBeUndefined();
  });

  it('repeats studio recordings as twins within a few seconds, and some edits far outside', () => {
    const byKey = new Map(lib.tracks.map((t) => [t.ratingKey, t]));
    const copies = lib.tracks.filter((t) => t.sourceKey && ['bestof', 'compilation'].includes(albumsByKey.get(t.albumKey)!.kind));
    const sameSong = copies.filter((t) => {
      const src = byKey.get(t.sourceKey!)!;
      return src.title === t.title && trackArtist(src) === trackArtist(t);
    });
    const diffs = sameSong.map((t) => Math.abs(t.duration - byKey.get(t.sourceKey!)!.duration));
    expect(diffs.filter((d) => d <= 5000).length).toBeGreaterThan(100);
    expect(diffs.filter((d) => d > 0 && d <= 5000).length).toBeGreaterThan(50);
    expect(diffs.filter((d) => d >= 20_000).length).toBeGreaterThan(5);
  });

  it('has live albums, short intros/skits, brackets, diacritics and punctuation', () => {
    const live = lib.albums.filter((a) => a.subformats.includes('Live'));
    expect(live.length).toBeGreaterThan(5);
    expect(live.every((a) => a.title.startsWith('Live at '))).toBe(true);
    const short = lib.tracks.filter((t) => t.duration < 80_000);
    expect(short.some((t) => /\bintro\b/i.test(t.title))).toBe(true);
    expect(short.some((t) => /\b(skit|interlude)\b/i.test(t.title))).toBe(true);
    expect(lib.tracks.some((t) => t.title.includes('(Remastered '))).toBe(true);
    expect(lib.tracks.some((t) => /\[.+\]/.test(t.title))).toBe(true);
    expect(lib.tracks.some((t) => /[éèüöñçåø]/i.test(t.title))).toBe(true);
    expect(lib.artists.some((a) => /[éèüöñçåøó]/i.test(a.title))).toBe(true);
    expect(lib.tracks.some((t) => /['?:/&]/.test(t.title))).toBe(true);
  });

  it('gives about a third of albums a critic rating', () => {
    const rated = lib.albums.filter((a) => a.rating !== undefined);
    expect(rated.length / lib.albums.length).toBeGreaterThan(0.25);
    expect(rated.length / lib.albums.length).toBeLessThan(0.42);
    expect(rated.every((a) => a.rating! >= 0 && a.rating! <= 10)).toBe(true);
    const mean = rated.reduce((s, a) => s + a.rating!, 0) / rated.length;
    expect(mean).toBeGreaterThan(6.5);
    expect(mean).toBeLessThan(8.5);
  });

  it('has sparse whole-point manual ratings drawn from a saved taste model', () => {
    expect(share(lib.tracks)).toBeGreaterThan(0.025);
    expect(share(lib.tracks)).toBeLessThan(0.09);
    expect(share(lib.albums)).toBeGreaterThan(0.005);
    expect(share(lib.albums)).toBeLessThan(0.04);
    expect(share(lib.artists)).toBeLessThan(0.02);
    const ratings = [...lib.tracks, ...lib.albums, ...lib.artists].flatMap((i) => (i.userRating === undefined ? [] : [i.userRating]));
    expect(ratings.every((r) => Number.isInteger(r) && r >= 1 && r <= 10)).toBe(true);
    const rated = lib.tracks.filter((t) => t.userRating !== undefined);
    expect(rated.every((t) => t.lastRatedAt !== undefined && t.lastRatedAt >= t.addedAt)).toBe(true);
    expect(Object.keys(lib.taste.trackTrue)).toHaveLength(lib.tracks.length);
    // Manual ratings track the hidden truth: mean absolute error well under a point and a half.
    const mae = rated.reduce((s, t) => s + Math.abs(t.userRating! - lib.taste.trackTrue[t.ratingKey]), 0) / rated.length;
    expect(mae).toBeLessThan(1);
    expect(lib.taste.artistQuality[lib.artists[0].ratingKey]).toBeTypeOf('number');
  });

  it('is JSON-serialisable plain data', () => {
    const copy = JSON.parse(JSON.stringify(lib)) as SimLibrary;
    expect(copy.tracks.length).toBe(lib.tracks.length);
    expect(copy.format).toBe('sagewire-sim-library');
  });
});
