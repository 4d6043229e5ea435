// The listening history: plays (`viewCount`), skips (`skipCount`) and the last play (`lastViewedAt`) of
// every track. Plays follow taste only in part, as they do for a real person, so an estimator that reads
// them has to see through:
//   - undiscovered albums: about a third of albums were never played, whatever their quality (more of the
//     recently added ones);
//   - how much the person listens to an artist at all, a factor on all its tracks independent of taste;
//   - how far into an album a track sits: albums are played from the start and often left half-way;
//   - how long the album has been in the library, and how much it was in rotation;
//   - count noise: Poisson counts on a gamma-distributed rate (negative-binomial), so two equal tracks
//     can differ several-fold.
// Taste moves the rate by a moderate factor and decides how often an encounter ends in a skip.
import type { Rng } from './prng.js';
import type { SimLibrary, SimTrack } from '../library.js';

/** Plays per track of a discovered album, before the factors below (a typical opener gets a few more). */
const BASE_RATE = 5;
/** Plays multiply by exp(TASTE_SLOPE · (truth − μ)): two points of liking double them, roughly. */
const TASTE_SLOPE = 0.45;
/** Spread (log scale) of the artist factor and the album's rotation factor. */
const ARTIST_SPREAD = 0.9;
const ROTATION_SPREAD = 0.6;
/** Each later position on an album loses this share of plays (track 12 gets about half of track 1). */
const POSITION_DECAY = 0.06;
/** Shape of the gamma noise on each track's rate: lower is noisier. */
const NOISE_SHAPE = 1.5;
const YEAR = 365 * 86_400;

/** Gamma(shape, 1/shape), mean 1 (Marsaglia–Tsang; shape ≥ 1). */
function gammaUnit(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    if (Math.log(1 - rng.next()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / shape;
  }
}

function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Share of encounters the person skips: most for tracks they dislike, rare for ones they love. */
function skipShare(truth: number, mu: number): number {
  return 1 / (1 + Math.exp(1.7 + 0.9 * (truth - mu)));
}

/** Sets `viewCount` and `lastViewedAt` on every played track and `skipCount` on every skipped one; absent means none. */
export function simulateListening(lib: SimLibrary, rng: Rng, endTime: number): void {
  const { taste } = lib;
  const start = lib.section.createdAt;
  const byAlbum = new Map<string, SimTrack[]>();
  for (const track of lib.tracks) {
    const list = byAlbum.get(track.albumKey);
    if (list) list.push(track);
    else byAlbum.set(track.albumKey, [track]);
  }
  const artistFactor = new Map<string, number>();
  for (const artist of lib.artists) artistFactor.set(artist.ratingKey, Math.exp(ARTIST_SPREAD * rng.normal() - ARTIST_SPREAD ** 2 / 2));

  for (const album of lib.albums) {
    const tracks = byAlbum.get(album.ratingKey) ?? [];
    const recency = Math.min(1, Math.max(0, (album.addedAt - start) / Math.max(1, endTime - start)));
    const undiscovered = 0.18 + 0.18 * recency + (album.kind === 'compilation' ? 0.1 : 0);
    if (rng.chance(undiscovered)) continue;
    const years = Math.max(0, endTime - album.addedAt) / YEAR;
    const exposure = 0.3 + 0.7 * Math.min(1, years / 4);
    const rotation = Math.exp(ROTATION_SPREAD * rng.normal() - ROTATION_SPREAD ** 2 / 2);
    const albumRate = BASE_RATE * (artistFactor.get(album.artistKey) ?? 1) * exposure * rotation;
    tracks.forEach((track, position) => {
      const truth = taste.trackTrue[track.ratingKey] ?? taste.mu;
      const skip = skipShare(truth, taste.mu);
      const rate = albumRate * Math.exp(-POSITION_DECAY * position) * gammaUnit(rng, NOISE_SHAPE);
      const plays = poisson(rng, rate * (1 - skip) * Math.exp(TASTE_SLOPE * (truth - taste.mu)));
      const skips = poisson(rng, 0.5 * rate * skip);
      if (plays > 0) {
        track.viewCount = plays;
        // The latest of `plays` moments spread over the track's time in the library: more plays, more recent.
        const span = Math.max(1, endTime - track.addedAt);
        track.lastViewedAt = Math.min(endTime, track.addedAt + 1 + Math.floor(span * rng.next() ** (1 / plays)));
      }
      if (skips > 0) track.skipCount = skips;
    });
  }
}
