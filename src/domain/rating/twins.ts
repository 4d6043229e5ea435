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
 * Groups the tracks (by position in `tracks`) into twin clusters. `trackAlbum` gives each track's album
 * position, −1 for a track whose album is not in the snapshot (never a twin).
 */
export function findTwinClusters(
  tracks: readonly ModelTrack[],
  trackAlbum: Int32Array,
  albums: readonly ModelAlbum[],
  params: RatingParams,
): number[][] {
  const rules = params.twins;
  if (!rules.enabled) return [];
  const hasKeyword = keywordMatcher(rules.exclude_keywords);
  // Every rule depends on the album, the title or the track artist alone: each is judged once per distinct
  // one (an album's tracks share their artist; best-ofs repeat titles), and a group key is a pair of small
  // integers rather than a concatenated string.
  const albumOut = new Int8Array(albums.length).fill(-1);
  const titleIds = new Map<string, number>();
  const artistIds = new Map<string, number>();
  const normTitles = new Map<string, number>();
  const normArtists = new Map<string, number>();
  const idOf = (ids: Map<string, number>, text: string): number => {
    let id = ids.get(text);
    if (id === undefined) {
      id = ids.size;
      ids.set(text, id);
    }
    return id;
  };
  /** −1: a title that cannot be a twin (bracketed, a keyword, nothing left after norm). */
  const titleId = (title: string): number => {
    let id = titleIds.get(title);
    if (id === undefined) {
      const normalised = (rules.exclude_bracketed && hasBracketedPart(title)) || hasKeyword(title) ? '' : norm(title);
      id = normalised === '' ? -1 : idOf(normTitles, normalised);
      titleIds.set(title, id);
    }
    return id;
  };
  let previousArtist: string | undefined;
  let previousArtistId = -1;
  /** −1: the compilation placeholder. */
  const artistId = (name: string): number => {
    if (name === previousArtist) return previousArtistId;
    let id = artistIds.get(name);
    if (id === undefined) {
      const normalised = norm(name);
      id = normalised === COMPILATION_ARTIST ? -1 : idOf(normArtists, normalised);
      artistIds.set(name, id);
    }
    previousArtist = name;
    previousArtistId = id;
    return id;
  };
  const albumExcluded = (a: number): boolean => {
    if (albumOut[a] < 0) albumOut[a] = hasKeyword(albums[a].title) || (rules.exclude_live_albums && isLiveAlbum(albums[a])) ? 1 : 0;
    return albumOut[a] === 1;
  };
  // Groups in order of first appearance; members chained in input order (no array for a lone track).
  const first = new Map<number, number>();
  const next = new Int32Array(tracks.length).fill(-1);
  const last = new Int32Array(tracks.length);
  const size = new Int32Array(tracks.length);
  for (let position = 0; position < tracks.length; position++) {
    const album = trackAlbum[position];
    if (album < 0 || tracks[position].durationMs === null) continue;
    const title = titleId(tracks[position].title);
    if (title < 0 || albumExcluded(album)) continue;
    const artist = artistId(tracks[position].trackArtist);
    if (artist < 0) continue;
    // Title ids are below tracks.length, so distinct (artist, title) pairs give distinct keys.
    const key = artist * tracks.length + title;
    const head = first.get(key);
    if (head === undefined) {
      first.set(key, position);
      last[position] = position;
      size[position] = 1;
    } else {
      next[last[head]] = position;
      last[head] = position;
      size[head] += 1;
    }
  }
  const clusters: number[][] = [];
  for (const head of first.values()) {
    if (size[head] < 2) continue;
    const group: number[] = [];
    for (let position = head; position >= 0; position = next[position]) group.push(position);
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
