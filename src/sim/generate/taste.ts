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

/** Chances proportional to `weights` (each capped at 0.9) whose sum is about `expected` items. */
function chancesFor(weights: readonly number[], expected: number): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  const scale = total > 0 ? expected / total : 0;
  return weights.map((w) => Math.min(0.9, scale * w));
}

/** A whole-point rating (1–10) a person would click for an item whose true opinion is `truth`. */
function clickRating(rng: Rng, truth: number): number {
  return clamp(Math.round(truth + 0.35 * rng.normal()), 1, 10);
}

/**
 * Sparse manual ratings: ~3–8 % of tracks, 1–3 % of albums, under 1 % of artists. People rate what they
 * love: ratings concentrate on albums the person engaged with, which are more often the ones they like and
 * have played; within them, the chance of rating a track rises with its truth and its plays (and with a
 * strong opinion either way). So manual ratings sit above the library's typical track, as real ones do.
 * Rated items get a `lastRatedAt`; `updatedAt` is untouched, as in Plex. Reads the plays, so it runs
 * after the listening history.
 */
export function assignManualRatings(lib: SimLibrary, rng: Rng, endTime: number): void {
  const { taste } = lib;
  const p = taste.manualTrackShare;
  const engagedShare = 0.25;
  const albumPlays = new Map<string, number>();
  for (const track of lib.tracks) albumPlays.set(track.albumKey, (albumPlays.get(track.albumKey) ?? 0) + (track.viewCount ?? 0));
  const albumWeight = (album: SimLibrary['albums'][number]): number =>
    (album.kind === 'compilation' ? 0.6 : 1) *
    Math.exp(0.15 * (taste.albumQuality[album.ratingKey] ?? 0)) *
    ((albumPlays.get(album.ratingKey) ?? 0) > 0 ? 1 : 0.3);
  const albumChance = chancesFor(lib.albums.map(albumWeight), engagedShare * lib.albums.length);
  const engaged = new Set<string>();
  lib.albums.forEach((album, i) => {
    if (rng.chance(albumChance[i])) engaged.add(album.ratingKey);
  });
  const ratedAt = (addedAt: number): number => addedAt + Math.floor(rng.next() * Math.max(1, endTime - addedAt));

  const trackWeight = (track: SimLibrary['tracks'][number]): number => {
    const truth = taste.trackTrue[track.ratingKey];
    const strongOpinion = Math.abs(truth - MU) > 2 ? 1.3 : 0.9;
    const album = engaged.has(track.albumKey) ? 0.8 / engagedShare : 0.2 / (1 - engagedShare);
    return album * strongOpinion * Math.exp(0.05 * (truth - MU)) * (1 + 0.2 * Math.log1p(track.viewCount ?? 0));
  };
  const trackChance = chancesFor(lib.tracks.map(trackWeight), p * lib.tracks.length);
  lib.tracks.forEach((track, i) => {
    if (rng.chance(trackChance[i])) {
      track.userRating = clickRating(rng, taste.trackTrue[track.ratingKey]);
      track.lastRatedAt = ratedAt(track.addedAt);
    }
  });
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
