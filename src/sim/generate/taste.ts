// The hidden taste model: a listener's true opinion (in Plex points) of every item, built from
//   artist quality q_r ~ N(0, 1.2²), album quality q_a = q_r + N(0, 0.8²), track = μ + q_a + N(0, 1.0²),
// and the sparse manual ratings a person would have given: whole points (half stars) drawn from it.
// Copies of one recording share its opinion, so twins are consistent in the truth as well.
import type { Rng } from './prng.js';
import type { SimLibrary, SimTaste, AlbumKind } from '../library.js';

const MU = 6.0;
const round2 = (x: number): number => Math.round(x * 100) / 100;
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export class TasteModel {
  readonly taste: SimTaste;

  constructor(private readonly rng: Rng) {
    this.taste = {
      mu: MU,
      manualTrackShare: round2(0.03 + 0.05 * rng.next()),
      artistQuality: {},
      albumQuality: {},
      artistTrue: {},
      albumTrue: {},
      trackTrue: {},
    };
  }

  artist(key: string, placeholder: boolean): void {
    const q = placeholder ? 0 : 1.2 * this.rng.normal();
    this.taste.artistQuality[key] = round2(q);
    this.taste.artistTrue[key] = round2(clamp(MU + q + 0.4 * this.rng.normal(), 0.5, 10));
  }

  album(key: string, artistKey: string, kind: AlbumKind): number {
    const base = kind === 'compilation' ? 0 : (this.taste.artistQuality[artistKey] ?? 0);
    const q = base + (kind === 'live' ? -0.3 : 0) + 0.8 * this.rng.normal();
    this.taste.albumQuality[key] = round2(q);
    this.taste.albumTrue[key] = round2(clamp(MU + q + 0.4 * this.rng.normal(), 0.5, 10));
    return q;
  }

  track(key: string, albumKey: string, opts: { sourceKey?: string; short?: boolean; live?: boolean }): number {
    const source = opts.sourceKey ? this.taste.trackTrue[opts.sourceKey] : undefined;
    let value: number;
    if (source !== undefined && opts.live) value = source - 0.4 + 0.6 * this.rng.normal();
    else if (source !== undefined) value = source;
    else value = MU + (this.taste.albumQuality[albumKey] ?? 0) + this.rng.normal() - (opts.short ? 1.5 : 0);
    const truth = round2(clamp(value, 0, 10));
    this.taste.trackTrue[key] = truth;
    return truth;
  }
}

/** A whole-point rating (1–10) a person would click for an item whose true opinion is `truth`. */
function clickRating(rng: Rng, truth: number): number {
  return clamp(Math.round(truth + 0.35 * rng.normal()), 1, 10);
}

/**
 * Sparse manual ratings: ~3–8 % of tracks (concentrated on albums the person engaged with), 1–3 % of albums,
 * under 1 % of artists. Rated items get a `lastRatedAt`; `updatedAt` is untouched, as in Plex.
 */
export function assignManualRatings(lib: SimLibrary, rng: Rng, endTime: number): void {
  const { taste } = lib;
  const p = taste.manualTrackShare;
  const engagedShare = 0.25;
  const engaged = new Set<string>();
  for (const album of lib.albums) if (rng.chance(album.kind === 'compilation' ? 0.15 : engagedShare)) engaged.add(album.ratingKey);
  const ratedAt = (addedAt: number): number => addedAt + Math.floor(rng.next() * Math.max(1, endTime - addedAt));

  for (const track of lib.tracks) {
    const truth = taste.trackTrue[track.ratingKey];
    const strongOpinion = Math.abs(truth - MU) > 2 ? 1.3 : 0.9;
    const prob = engaged.has(track.albumKey) ? Math.min(0.9, (0.8 * p) / engagedShare) : (0.2 * p) / (1 - engagedShare);
    if (rng.chance(prob * strongOpinion)) {
      track.userRating = clickRating(rng, truth);
      track.lastRatedAt = ratedAt(track.addedAt);
    }
  }
  const albumShare = 0.01 + 0.02 * rng.next();
  for (const album of lib.albums) {
    const prob = engaged.has(album.ratingKey) ? (albumShare * 0.7) / engagedShare : (albumShare * 0.3) / (1 - engagedShare);
    if (rng.chance(prob)) {
      album.userRating = clickRating(rng, taste.albumTrue[album.ratingKey]);
      album.lastRatedAt = ratedAt(album.addedAt);
    }
  }
  const artistShare = 0.003 + 0.006 * rng.next();
  const candidates = lib.artists.filter((a) => a.title !== 'Various Artists');
  let ratedArtists = 0;
  for (const artist of candidates) {
    if (rng.chance(artistShare)) {
      artist.userRating = clickRating(rng, taste.artistTrue[artist.ratingKey]);
      artist.lastRatedAt = ratedAt(artist.addedAt);
      ratedArtists++;
    }
  }
  // A library big enough to have a hundred artists always shows at least one rated artist.
  if (ratedArtists === 0 && candidates.length >= 100) {
    const artist = rng.pick(candidates);
    artist.userRating = clickRating(rng, taste.artistTrue[artist.ratingKey]);
    artist.lastRatedAt = ratedAt(artist.addedAt);
  }
}
