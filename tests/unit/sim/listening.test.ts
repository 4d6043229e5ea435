// The simulator's listening history: plays follow taste only in part (undiscovered albums, artist
// popularity, position on the album, count noise), skips lean towards disliked tracks, and manual ratings
// lean towards loved ones.
import { describe, expect, it } from 'vitest';
import { generateLibrary } from '../../../src/sim/index.js';
import type { SimTrack } from '../../../src/sim/index.js';
import { LIBRARY_END, generateLibrary as generateWith } from '../../../src/sim/generate.js';

const lib = generateLibrary({ tracks: 20_000, seed: 8 });
const truth = (t: SimTrack): number => lib.taste.trackTrue[t.ratingKey];
const plays = (t: SimTrack): number => t.viewCount ?? 0;
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

function correlation(xs: number[], ys: number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('listening history', () => {
  it('is deterministic per seed', () => {
    const listening = (seed: number) =>
      generateLibrary({ tracks: 2000, seed }).tracks.map((t) => [t.viewCount, t.skipCount, t.lastViewedAt, t.userRating]);
    expect(listening(21)).toEqual(listening(21));
    expect(listening(21)).not.toEqual(listening(22));
  });

  it('ends on a given day by moving every last play forward, and changes nothing else', () => {
    const fixed = generateWith({ tracks: 2000, seed: 21 });
    const shift = 86_400 * 500;
    const moved = generateWith({ tracks: 2000, seed: 21, listeningEndsAt: LIBRARY_END + shift });
    expect(moved.tracks.filter((t) => t.lastViewedAt !== undefined).length).toBeGreaterThan(100);
    moved.tracks.forEach((t, i) => {
      const before = fixed.tracks[i];
      expect(t.lastViewedAt).toBe(before.lastViewedAt === undefined ? undefined : before.lastViewedAt + shift);
      expect([t.viewCount, t.skipCount, t.userRating, t.addedAt]).toEqual([
        before.viewCount,
        before.skipCount,
        before.userRating,
        before.addedAt,
      ]);
    });
  });

  it('leaves a sizeable share of albums never played', () => {
    const playedAlbums = new Set(lib.tracks.filter((t) => plays(t) > 0).map((t) => t.albumKey));
    const never = 1 - playedAlbums.size / lib.albums.length;
    expect(never).toBeGreaterThan(0.22);
    expect(never).toBeLessThan(0.45);
    // Not only the disliked ones: albums the person would love are as likely to be undiscovered.
    const loved = lib.albums.filter((a) => lib.taste.albumQuality[a.ratingKey] > 1);
    expect(loved.filter((a) => !playedAlbums.has(a.ratingKey)).length / loved.length).toBeGreaterThan(0.18);
  });

  it('gives plays that rise with taste, moderately and noisily', () => {
    const r = correlation(
      lib.tracks.map(truth),
      lib.tracks.map((t) => Math.log1p(plays(t))),
    );
    expect(r).toBeGreaterThan(0.2);
    expect(r).toBeLessThan(0.7);
    expect(lib.tracks.every((t) => t.viewCount === undefined || (Number.isInteger(t.viewCount) && t.viewCount > 0))).toBe(true);
  });

  it('plays the start of an album more than its end', () => {
    const at = (index: number) => mean(lib.tracks.filter((t) => t.disc === 1 && t.index === index).map(plays));
    expect(at(1)).toBeGreaterThan(1.3 * at(10));
    expect(at(2)).toBeGreaterThan(at(12));
  });

  it('records skips, more of them for tracks the person likes less', () => {
    const skipped = lib.tracks.filter((t) => t.skipCount !== undefined);
    expect(skipped.length / lib.tracks.length).toBeGreaterThan(0.03);
    expect(skipped.every((t) => Number.isInteger(t.skipCount) && t.skipCount! > 0)).toBe(true);
    const played = lib.tracks.filter((t) => plays(t) + (t.skipCount ?? 0) >= 3);
    const skipShare = (t: SimTrack) => (t.skipCount ?? 0) / (plays(t) + (t.skipCount ?? 0));
    const disliked = played.filter((t) => truth(t) < 4.5);
    const loved = played.filter((t) => truth(t) > 7.5);
    expect(mean(disliked.map(skipShare))).toBeGreaterThan(mean(loved.map(skipShare)) + 0.1);
  });

  it('sets lastViewedAt on exactly the played tracks, between their addition and the end of the library', () => {
    for (const t of lib.tracks) {
      if (plays(t) === 0) expect(t.lastViewedAt).toBeUndefined();
      else {
        expect(t.lastViewedAt).toBeGreaterThan(t.addedAt);
        expect(t.lastViewedAt).toBeLessThanOrEqual(LIBRARY_END);
      }
    }
  });

  it('has people rate what they love: manual ratings sit above the truth of unrated tracks', () => {
    const rated = lib.tracks.filter((t) => t.userRating !== undefined);
    const share = rated.length / lib.tracks.length;
    expect(share).toBeGreaterThan(0.025);
    expect(share).toBeLessThan(0.09);
    const gap = mean(rated.map((t) => t.userRating!)) - mean(lib.tracks.filter((t) => t.userRating === undefined).map(truth));
    expect(gap).toBeGreaterThan(0.3);
    expect(gap).toBeLessThan(1);
    // Rated tracks are more often played than the rest.
    const playedShare = (ts: SimTrack[]) => ts.filter((t) => plays(t) > 0).length / ts.length;
    expect(playedShare(rated)).toBeGreaterThan(playedShare(lib.tracks) + 0.1);
  });
});
