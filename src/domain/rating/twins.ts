// Twin clusters: copies of the same recording on different albums (RATING-MODEL.md, "Twins").
//   key(t) = (norm(track artist), norm(title)); tracks whose track artist is "various artists" are skipped
//   candidates drop: exclude_keywords in the track or album title, bracketed track titles, live albums
//   within a key: median m of the members' whole-second durations (lower middle for an even count);
//   keep |d − m| ≤ duration_tolerance_s; members without a duration are dropped; a cluster needs ≥ 2.
// Tracks with an empty normalised title (e.g. "???") have no usable key and are never twins.
// Clusters and their members come out in input order, so everything averaged over them is deterministic.
import { wholeSeconds } from './exclusion.js';
import type { RatingParams } from './params.js';
import { COMPILATION_ARTIST, hasBracketedPart, keywordMatcher, norm } from './text-match.js';
import type { ModelAlbum, ModelTrack } from './types.js';

export type LiveAlbumRule = (album: ModelAlbum) => boolean;

const mentionsLive = keywordMatcher(['live']);
export const isLiveAlbum: LiveAlbumRule = (album) => album.isLive || mentionsLive(album.title);

/**
 * Groups the tracks (by position in `tracks`) into twin clusters. `albumOf` gives each track's album,
 * or undefined for a track whose album is not in the snapshot (never a twin).
 */
export function findTwinClusters(
  tracks: readonly ModelTrack[],
  albumOf: (trackPosition: number) => ModelAlbum | undefined,
  params: RatingParams,
): number[][] {
  const rules = params.twins;
  if (!rules.enabled) return [];
  const hasKeyword = keywordMatcher(rules.exclude_keywords);
  const groups = new Map<string, number[]>();
  // Most tracks share their artist's name with the album's other tracks: normalise each name once; and
  // judge each album's title and live rule once, not once per track.
  const artistNorms = new Map<string, string>();
  const albumExcluded = new Map<ModelAlbum, boolean>();
  for (let position = 0; position < tracks.length; position++) {
    const track = tracks[position];
    const album = albumOf(position);
    if (!album || track.durationMs === null) continue;
    if (rules.exclude_bracketed && hasBracketedPart(track.title)) continue;
    let excludedAlbum = albumExcluded.get(album);
    if (excludedAlbum === undefined) {
      excludedAlbum = hasKeyword(album.title) || (rules.exclude_live_albums && isLiveAlbum(album));
      albumExcluded.set(album, excludedAlbum);
    }
    if (excludedAlbum || hasKeyword(track.title)) continue;
    let artist = artistNorms.get(track.trackArtist);
    if (artist === undefined) {
      artist = norm(track.trackArtist);
      artistNorms.set(track.trackArtist, artist);
    }
    if (artist === COMPILATION_ARTIST) continue;
    const title = norm(track.title);
    if (title === '') continue;
    const key = `${artist}\u0000${title}`;
    const group = groups.get(key);
    if (group) group.push(position);
    else groups.set(key, [position]);
  }
  const clusters: number[][] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const members = withinTolerance(group, tracks, rules.duration_tolerance_s);
    if (members.length >= 2) clusters.push(members);
  }
  return clusters;
}

/** Members (all with a duration) within `toleranceS` of the group's lower median. */
function withinTolerance(group: number[], tracks: readonly ModelTrack[], toleranceS: number): number[] {
  const seconds = group.map((position) => wholeSeconds(tracks[position].durationMs!));
  const sorted = [...seconds].sort((a, b) => a - b);
  const median = sorted[(sorted.length - 1) >> 1];
  return group.filter((_, i) => Math.abs(seconds[i] - median) <= toleranceS);
}
