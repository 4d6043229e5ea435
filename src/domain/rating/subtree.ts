// Incremental recalculation (RATING-MODEL.md, "Incremental recalculation"): the same code as the full pass
// (rateArtistGroup, twinClusterValue), run over one artist's subtree.
//   event on a track or album of artist r → r, every album of r, their tracks, the twin clusters of those
//   tracks (members outside the subtree included: a cluster's mean changes for all its members)
//   event on the artist r itself          → the same subtree
//   event on a compilation album or track → that album, its tracks and their twin clusters only (the
//   placeholder has no value, so its albums do not depend on each other); a rating on the placeholder
//   artist itself changes every one of its albums' base, so it recomputes them all
// A twin member outside the subtree needs its step-2 value: it is derived from its album's current value
// (`currentAlbums`, what the last pass produced) or from the album's manual rating, exactly as the full
// pass derives it, so the result equals a full pass whenever those album values are current.
import type { LibraryIndex } from './library-index.js';
import type { RatingParams } from './params.js';
import { defaultTerms, type ModelTerms } from './terms.js';
import { rateArtistGroup, trackFromAlbum, type RatingContext } from './rate-artist.js';
import { isInferableTrack, twinClusterValue } from './rate-twins.js';
import type { OwnershipView, Prior, RatingValues } from './types.js';

/** An album scope narrows the work to that album only for a compilation; for any other album it is its artist's. */
export type RecomputeScope = { kind: 'artist'; artistKey: string } | { kind: 'album'; albumKey: string };

export interface SubtreeValues {
  artists: Map<string, number>;
  albums: Map<string, number>;
  tracks: Map<string, number>;
  /** Every key recomputed; one that is absent from the maps above now has no value to write. */
  scope: { artists: string[]; albums: string[]; tracks: string[] };
}

/** What a rating event on `key` (a track, album or artist) recomputes; null for a key not in the index. */
export function scopeOfEvent(index: LibraryIndex, key: string): RecomputeScope | null {
  const track = index.trackPosition.get(key);
  const album = track !== undefined ? index.trackAlbum[track] : index.albumPosition.get(key);
  if (album !== undefined && album >= 0) {
    const group = index.groups[index.albumGroup[album]];
    return group.isCompilation
      ? { kind: 'album', albumKey: index.snapshot.albums[album].key }
      : { kind: 'artist', artistKey: group.artistKey };
  }
  if (track !== undefined) return null;
  return index.groupOfArtist.has(key) ? { kind: 'artist', artistKey: key } : null;
}

export function computeArtistSubtree(
  index: LibraryIndex,
  ownership: OwnershipView,
  params: RatingParams,
  artistKey: string,
  prior: Prior,
  currentAlbums: ReadonlyMap<string, number>,
  terms?: ModelTerms,
): SubtreeValues {
  return computeSubtree(index, ownership, params, { kind: 'artist', artistKey }, prior, currentAlbums, terms);
}

export function computeSubtree(
  index: LibraryIndex,
  ownership: OwnershipView,
  params: RatingParams,
  scope: RecomputeScope,
  prior: Prior,
  currentAlbums: ReadonlyMap<string, number>,
  terms: ModelTerms = defaultTerms(index, params),
): SubtreeValues {
  const ctx: RatingContext = { index, ownership, params, terms, mu: prior.mu, kappa: prior.kappa };
  const result: SubtreeValues = {
    artists: new Map(),
    albums: new Map(),
    tracks: new Map(),
    scope: { artists: [], albums: [], tracks: [] },
  };
  const { albums, tracks } = index.snapshot;

  const albumAt = scope.kind === 'album' ? index.albumPosition.get(scope.albumKey) : undefined;
  const groupAt =
    scope.kind === 'album' ? (albumAt === undefined ? undefined : index.albumGroup[albumAt]) : index.groupOfArtist.get(scope.artistKey);
  if (groupAt === undefined) return result;
  const group = index.groups[groupAt];
  const onlyAlbums = albumAt !== undefined && group.isCompilation ? [albumAt] : undefined;

  const fromAlbum = new Map<number, number | null>();
  rateArtistGroup(
    ctx,
    group,
    {
      artist: (key, value) => {
        result.scope.artists.push(key);
        if (value !== null) result.artists.set(key, value);
      },
      album: (key, value) => {
        result.scope.albums.push(key);
        if (value !== null) result.albums.set(key, value);
      },
      trackFromAlbum: (track, value) => fromAlbum.set(track, value),
    },
    onlyAlbums,
  );
  // A manual artist or album is not reported by the sink, but it is in scope: it may have just become manual.
  if (group.artist >= 0 && !onlyAlbums && !result.scope.artists.includes(group.artistKey)) {
    result.scope.artists.push(group.artistKey);
  }
  for (const album of onlyAlbums ?? group.albums) {
    if (ownership.manual.has(albums[album].key)) result.scope.albums.push(albums[album].key);
  }

  const stepTwo = (t: number): number | null => {
    const own = fromAlbum.get(t);
    if (own !== undefined) return own;
    const album = index.trackAlbum[t];
    return trackFromAlbum(ctx, album, currentAlbums.get(albums[album].key) ?? null, t);
  };
  const clusters: number[] = [];
  const seenClusters = new Set<number>();
  for (const t of fromAlbum.keys()) {
    const cluster = index.trackTwin[t];
    if (cluster >= 0 && !seenClusters.has(cluster)) {
      seenClusters.add(cluster);
      clusters.push(cluster);
    }
  }
  const clusterValue = new Map(clusters.map((c) => [c, twinClusterValue(ctx, index.twinClusters[c], stepTwo)]));

  const place = (t: number, value: number | null): void => {
    const key = tracks[t].key;
    result.scope.tracks.push(key);
    if (value !== null && isInferableTrack(ctx, key)) result.tracks.set(key, value);
  };
  for (const [t, value] of fromAlbum) {
    const cluster = index.trackTwin[t];
    place(t, cluster >= 0 ? clusterValue.get(cluster)! : value);
  }
  for (const cluster of clusters) {
    for (const t of index.twinClusters[cluster]) {
      if (!fromAlbum.has(t)) place(t, clusterValue.get(cluster)!);
    }
  }
  return result;
}

/** Folds a subtree's new values into the current ones: set what has a value, delete what has none now. */
export function applySubtree(current: RatingValues, subtree: SubtreeValues): void {
  const fold = (target: Map<string, number>, source: Map<string, number>, keys: readonly string[]) => {
    for (const key of keys) {
      const value = source.get(key);
      if (value === undefined) target.delete(key);
      else target.set(key, value);
    }
  };
  fold(current.artists, subtree.artists, subtree.scope.artists);
  fold(current.albums, subtree.albums, subtree.scope.albums);
  fold(current.tracks, subtree.tracks, subtree.scope.tracks);
}
