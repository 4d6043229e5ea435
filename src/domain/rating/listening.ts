// Listening history as evidence (the learned mode): what the model reads from plays and skips.
//   s_t = ln(1 + plays_t) − ln(1 + skips_t)              a track's play signal
//   S_a = mean of s_t over the album's tracks            the album's listening level
//   d_t = s_t − S_a                                      how much more a track is played than its album-mates
//   played_a = 1 when any track of the album was played  (an album never played says nothing about its level:
//                                                          it may simply be new to the person)
//   L̄ = mean of S_a over played albums
// Pure and O(tracks); rebuilt with the index whenever the library (and so the play counts) changes.
import type { LibrarySnapshot } from './types.js';

export interface ListeningIndex {
  /** Track position → d_t; 0 for a track without an album. */
  withinAlbum: Float64Array;
  /** Album position → S_a. */
  albumLevel: Float64Array;
  /** Album position → 1 when any of its tracks was played. */
  albumPlayed: Uint8Array;
  /** L̄: the mean level of played albums, 0 when none was played. */
  playedMean: number;
  /** Tracks with at least one play. */
  playedTracks: number;
  /** Tracks with at least one skip. */
  skippedTracks: number;
}

function playSignal(plays: number | undefined, skips: number | undefined): number {
  return Math.log1p(Math.max(0, plays ?? 0)) - Math.log1p(Math.max(0, skips ?? 0));
}

export function buildListeningIndex(snapshot: LibrarySnapshot, tracksOfAlbum: readonly number[][], trackAlbum: Int32Array): ListeningIndex {
  const { tracks, albums } = snapshot;
  const signal = new Float64Array(tracks.length);
  let playedTracks = 0;
  let skippedTracks = 0;
  for (let t = 0; t < tracks.length; t++) {
    const { plays, skips } = tracks[t];
    signal[t] = playSignal(plays, skips);
    if ((plays ?? 0) > 0) playedTracks += 1;
    if ((skips ?? 0) > 0) skippedTracks += 1;
  }
  const albumLevel = new Float64Array(albums.length);
  const albumPlayed = new Uint8Array(albums.length);
  let playedSum = 0;
  let playedCount = 0;
  for (let a = 0; a < albums.length; a++) {
    const members = tracksOfAlbum[a];
    if (members.length === 0) continue;
    let sum = 0;
    let played = 0;
    for (const t of members) {
      sum += signal[t];
      if ((tracks[t].plays ?? 0) > 0) played = 1;
    }
    albumLevel[a] = sum / members.length;
    albumPlayed[a] = played;
    if (played) {
      playedSum += albumLevel[a];
      playedCount += 1;
    }
  }
  const withinAlbum = new Float64Array(tracks.length);
  for (let t = 0; t < tracks.length; t++) {
    const a = trackAlbum[t];
    if (a >= 0) withinAlbum[t] = signal[t] - albumLevel[a];
  }
  return { withinAlbum, albumLevel, albumPlayed, playedMean: playedCount > 0 ? playedSum / playedCount : 0, playedTracks, skippedTracks };
}
