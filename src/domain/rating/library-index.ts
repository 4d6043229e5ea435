// The library, arranged once for the computation: albums by artist, tracks by album, exclusions and twin
// clusters precomputed, κ. Built from (snapshot, params); the structural parameters (exclusion.*, twins.*)
// are fixed here, so rebuild the index when they change. Ownership is not part of it: manual ratings
// change with every webhook, the library's shape does not.
//   κ = mean of the critic ratings > 0, summed in album input order; null when no album has one.
// Exclusions from inference (exclude.genres / artists / albums, matched case-insensitively by name or by
// rating key): an excluded album and its tracks get no value, their manual ratings are not evidence, and its
// tracks are in no twin cluster; an excluded artist excludes all its albums and gets no value itself.
// A track whose album is not in the snapshot, or an album whose artist is not, is tolerated: the track is
// ignored by the model; the album is rated from μ and its own evidence (its artist has no value to give).
import { exclusionRule } from './exclusion.js';
import { buildListeningIndex, type ListeningIndex } from './listening.js';
import type { RatingParams } from './params.js';
import { isCompilationArtistName } from './text-match.js';
import { findTwinClusters } from './twins.js';
import type { LibrarySnapshot } from './types.js';

/** One album artist and its albums. `artist` is −1 when the snapshot lacks the artist itself. */
export interface ArtistGroup {
  artistKey: string;
  artist: number;
  isCompilation: boolean;
  albums: number[];
}

export interface LibraryIndex {
  snapshot: LibrarySnapshot;
  params: RatingParams;
  artistPosition: Map<string, number>;
  albumPosition: Map<string, number>;
  trackPosition: Map<string, number>;
  /** In order of first appearance (artists first, then artists only named by albums). */
  groups: ArtistGroup[];
  groupOfArtist: Map<string, number>;
  /** Album position → its group. */
  albumGroup: Int32Array;
  /** Album position → its track positions, in input order. */
  tracksOfAlbum: number[][];
  /** Track position → album position, −1 when the album is unknown. */
  trackAlbum: Int32Array;
  /** Track position → 1 when the exclusion rules exclude it from evidence. */
  trackExcluded: Uint8Array;
  /** Album position → 1 when the person excluded it from inference (by genre, artist or album). */
  albumExcluded: Uint8Array;
  /** Group → 1 when its artist is excluded from inference. */
  groupExcluded: Uint8Array;
  /** Play and skip signals (the learned mode); null when no track was ever played or skipped. */
  listening: ListeningIndex | null;
  /** Track position → twin cluster, −1 when none. */
  trackTwin: Int32Array;
  twinClusters: number[][];
  kappa: number | null;
}

export function buildLibraryIndex(snapshot: LibrarySnapshot, params: RatingParams): LibraryIndex {
  const { artists, albums, tracks } = snapshot;
  const artistPosition = positions(artists);
  const albumPosition = positions(albums);
  const trackPosition = positions(tracks);

  const groups: ArtistGroup[] = [];
  const groupOfArtist = new Map<string, number>();
  const groupFor = (artistKey: string): number => {
    let group = groupOfArtist.get(artistKey);
    if (group === undefined) {
      const artist = artistPosition.get(artistKey) ?? -1;
      const isCompilation = artist >= 0 && isCompilationArtistName(artists[artist].title);
      group = groups.push({ artistKey, artist, isCompilation, albums: [] }) - 1;
      groupOfArtist.set(artistKey, group);
    }
    return group;
  };
  for (const artist of artists) groupFor(artist.key);

  const albumGroup = new Int32Array(albums.length);
  const tracksOfAlbum: number[][] = new Array(albums.length);
  let criticSum = 0;
  let criticCount = 0;
  for (let a = 0; a < albums.length; a++) {
    const group = groupFor(albums[a].artistKey);
    albumGroup[a] = group;
    groups[group].albums.push(a);
    tracksOfAlbum[a] = [];
    const critic = albums[a].criticRating;
    if (critic !== null && critic > 0) {
      criticSum += critic;
      criticCount += 1;
    }
  }

  const excluded = exclusionRule(params);
  const trackAlbum = new Int32Array(tracks.length);
  const trackExcluded = new Uint8Array(tracks.length);
  for (let t = 0; t < tracks.length; t++) {
    const album = albumPosition.get(tracks[t].albumKey) ?? -1;
    trackAlbum[t] = album;
    if (album >= 0) tracksOfAlbum[album].push(t);
    trackExcluded[t] = excluded(tracks[t]) ? 1 : 0;
  }

  const { albumExcluded, groupExcluded } = exclusions(snapshot, params, groups, albumGroup);
  const twinClusters = findTwinClusters(tracks, trackAlbum, albums, params)
    .map((members) => members.filter((t) => trackAlbum[t] < 0 || albumExcluded[trackAlbum[t]] === 0))
    .filter((members) => members.length >= 2);
  const listening = buildListeningIndex(snapshot, tracksOfAlbum, trackAlbum);
  const trackTwin = new Int32Array(tracks.length).fill(-1);
  twinClusters.forEach((members, cluster) => {
    for (const t of members) trackTwin[t] = cluster;
  });

  return {
    snapshot,
    params,
    artistPosition,
    albumPosition,
    trackPosition,
    groups,
    groupOfArtist,
    albumGroup,
    tracksOfAlbum,
    trackAlbum,
    trackExcluded,
    trackTwin,
    twinClusters,
    albumExcluded,
    groupExcluded,
    listening: listening.playedTracks + listening.skippedTracks > 0 ? listening : null,
    kappa: criticCount > 0 ? criticSum / criticCount : null,
  };
}

function positions(items: ReadonlyArray<{ key: string }>): Map<string, number> {
  const byKey = new Map<string, number>();
  items.forEach((item, position) => {
    if (byKey.has(item.key)) throw new Error(`rating model: duplicate key ${item.key} in the library snapshot`);
    byKey.set(item.key, position);
  });
  return byKey;
}

function exclusions(
  snapshot: LibrarySnapshot,
  params: RatingParams,
  groups: readonly ArtistGroup[],
  albumGroup: Int32Array,
): { albumExcluded: Uint8Array; groupExcluded: Uint8Array } {
  const { artists, albums } = snapshot;
  const albumExcluded = new Uint8Array(albums.length);
  const groupExcluded = new Uint8Array(groups.length);
  const { genres, artists: artistNames, albums: albumNames } = params.exclude;
  if (genres.length + artistNames.length + albumNames.length === 0) return { albumExcluded, groupExcluded };
  const genreSet = new Set(genres);
  const artistSet = new Set(artistNames);
  const albumSet = new Set(albumNames);
  groups.forEach((group, g) => {
    const title = group.artist >= 0 ? artists[group.artist].title.toLowerCase() : null;
    if (artistSet.has(group.artistKey.toLowerCase()) || (title !== null && artistSet.has(title))) groupExcluded[g] = 1;
  });
  for (let a = 0; a < albums.length; a++) {
    const album = albums[a];
    if (
      groupExcluded[albumGroup[a]] === 1 ||
      albumSet.has(album.key.toLowerCase()) ||
      albumSet.has(album.title.toLowerCase()) ||
      (album.genres ?? []).some((genre) => genreSet.has(genre.toLowerCase()))
    ) {
      albumExcluded[a] = 1;
    }
  }
  return { albumExcluded, groupExcluded };
}
