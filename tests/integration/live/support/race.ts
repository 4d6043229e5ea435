// The person racing live propagation (used by race.test.ts and bench/race.ts): two ratings of one album
// d ms apart, and bursts of ratings made while the engine writes. Ratings are made on the simulator's
// state directly (what a Plex client does), so d is the real gap between the two acts.
import { OWNER_ACCOUNT_ID } from '../../../../src/sim/index.js';
import type { LiveHarness } from './live-harness.js';

export interface RacePair {
  artistKey: string;
  /** Rated first (10): its event starts a run that rewrites the album's other tracks. */
  first: string;
  /** Rated second (2), d ms later: the run may be writing it at that moment. */
  second: string;
}

/** A person's rating in a Plex client; `person` follows it as the harness's rate() does. */
export function personRates(h: LiveHarness, key: string, rating: number): void {
  h.sim.state.userRate(key, rating, { notify: true, account: OWNER_ACCOUNT_ID });
  h.person.set(key, Math.round(rating * 10) / 10);
  h.optedOut.delete(key);
}

/** `count` albums of different (non-compilation) artists, each with two tracks the person has not rated. */
export function racePairs(h: LiveHarness, count: number, skipArtists: Set<string> = new Set()): RacePair[] {
  const pairs: RacePair[] = [];
  for (const artist of h.sim.state.artists) {
    if (pairs.length === count) break;
    if (/various artists/i.test(artist.title) || skipArtists.has(artist.ratingKey)) continue;
    for (const album of h.sim.state.albumsByArtist.get(artist.ratingKey) ?? []) {
      const free = (h.sim.state.tracksByAlbum.get(album.ratingKey) ?? []).filter(
        (t) => !h.person.has(t.ratingKey) && !h.optedOut.has(t.ratingKey),
      );
      if (free.length < 3) continue;
      pairs.push({ artistKey: artist.ratingKey, first: free[0].ratingKey, second: free[1].ratingKey });
      skipArtists.add(artist.ratingKey);
      break;
    }
  }
  if (pairs.length < count) throw new Error(`only ${pairs.length} of ${count} race pairs in this library`);
  return pairs;
}

/** Rates `first` 10, then `second` 2 `delayMs` later (0: in the same turn, right after the first). */
export async function raceTrial(h: LiveHarness, pair: RacePair, delayMs: number): Promise<void> {
  personRates(h, pair.first, 10);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  personRates(h, pair.second, 2);
}

/** Every item the person rated that Plex does not hold at the person's rating ("key: person p, Plex q"). */
export function lostRatings(h: LiveHarness): string[] {
  const lost: string[] = [];
  for (const [key, rating] of h.person) {
    const held = h.sim.state.getRating(key);
    if (held !== rating) lost.push(`${key}: person ${rating}, Plex ${held ?? 'nothing'}`);
  }
  return lost;
}

export interface BurstOptions {
  ratings: number;
  /** Ratings are spread over this many artists' tracks (so runs and ratings meet). */
  artists: number;
  /** Ratings in flight at once. */
  concurrency: number;
  random: () => number;
}

/** The person rates `ratings` tracks at random (whole points 1–10, some twice) while propagation runs. */
export async function ratingBurst(h: LiveHarness, options: BurstOptions): Promise<void> {
  const artists = h.sim.state.artists
    .filter((a) => !/various artists/i.test(a.title) && h.sim.state.tracksOfArtist(a.ratingKey).length >= 10)
    .slice(0, options.artists);
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.ratings) {
        const i = next++;
        const tracks = h.sim.state.tracksOfArtist(artists[i % artists.length].ratingKey);
        const track = tracks[Math.floor(options.random() * tracks.length)];
        personRates(h, track.ratingKey, 1 + Math.floor(options.random() * 10));
        // A few ms between a sender's ratings: a quick person in Plexamp, not one request.
        await new Promise((resolve) => setTimeout(resolve, 1 + Math.floor(options.random() * 8)));
      }
    }),
  );
}
