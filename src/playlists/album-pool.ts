// Owned albums for recommendations, aggregated from the pool index in one pass over the matching tracks
// (typed arrays, no per-track objects). What does not depend on the request — each track's album, each
// album's name, year, art and most telling tags, the library's taste profile, the set of owned albums by
// normalised artist + title — is built once per index (it is replaced whenever the library or ratings move).
import { favouredSet, type FilterSpec, type RankSpec } from '../domain/playlist/index.js';
import { albumKey, tasteProfile, type AlbumSummary, type AlbumTags, type TasteProfile } from '../domain/recommend/index.js';
import type { PoolIndex } from './pool-index.js';
import type { PoolQuery } from './pool-query.js';

interface AlbumIndex {
  /** Track position → album slot. */
  albumOf: Int32Array;
  keys: string[];
  titles: string[];
  artists: string[];
  artistNorms: string[];
  years: Int16Array;
  thumbs: (string | null)[];
  /** Tags on at least half of the album's tracks, at most three per kind. */
  tags: AlbumTags[];
  /** aggregateAlbums' per-album sums, reused by every call. */
  sums: {
    tracks: Int32Array;
    rated: Int32Array;
    inferred: Int32Array;
    ratingSum: Float64Array;
    plays: Float64Array;
    skips: Float64Array;
    last: Float64Array;
    fitSum: Float64Array;
  };
}

const albumIndexes = new WeakMap<PoolIndex, AlbumIndex>();
const profiles = new WeakMap<PoolIndex, { taste: TasteProfile; owned: Set<string> }>();

function albumIndexOf(index: PoolIndex): AlbumIndex {
  const cached = albumIndexes.get(index);
  if (cached) return cached;
  const slot = new Map<string, number>();
  const albumOf = new Int32Array(index.size);
  const firstTrack: number[] = [];
  const trackCount: number[] = [];
  const artistTrack: number[] = [];
  for (let i = 0; i < index.size; i++) {
    let a = slot.get(index.albumKeys[i]);
    if (a === undefined) {
      a = firstTrack.length;
      slot.set(index.albumKeys[i], a);
      firstTrack.push(i);
      trackCount.push(0);
      artistTrack.push(-1);
    }
    albumOf[i] = a;
    trackCount[a]++;
    // The album artist's own spelling: a track whose artist is the album artist (compilations have none).
    if (artistTrack[a] < 0 && index.artistNorms[i] === index.albumArtistNorms[i]) artistTrack[a] = i;
  }
  const n = firstTrack.length;
  const ai: AlbumIndex = {
    albumOf,
    keys: firstTrack.map((i) => index.albumKeys[i]),
    titles: firstTrack.map((i) => index.albums[i]),
    artists: artistTrack.map((t) => (t >= 0 ? index.artists[t] : 'Various Artists')),
    artistNorms: firstTrack.map((i) => index.albumArtistNorms[i]),
    years: Int16Array.from(firstTrack, (i) => index.years[i]),
    thumbs: firstTrack.map((i) => index.thumbs[i]),
    tags: new Array(n),
    sums: {
      tracks: new Int32Array(n),
      rated: new Int32Array(n),
      inferred: new Int32Array(n),
      ratingSum: new Float64Array(n),
      plays: new Float64Array(n),
      skips: new Float64Array(n),
      last: new Float64Array(n),
      fitSum: new Float64Array(n),
    },
  };
  // Tag counts per album, one album at a time: group the tracks by album first (counting sort).
  const start = new Int32Array(n + 1);
  for (let a = 0; a < n; a++) start[a + 1] = start[a] + trackCount[a];
  const fill = start.slice(0, n);
  const order = new Int32Array(index.size);
  for (let i = 0; i < index.size; i++) order[fill[albumOf[i]]++] = i;
  const counts = new Int32Array(index.tagNames.length);
  const touched: number[] = [];
  for (let a = 0; a < n; a++) {
    for (let p = start[a]; p < start[a + 1]; p++) {
      const i = order[p];
      for (let q = index.tagStart[i]; q < index.tagStart[i + 1]; q++) {
        const id = index.tagIds[q];
        if (counts[id]++ === 0) touched.push(id);
      }
    }
    const half = Math.ceil(trackCount[a] / 2);
    const kept = touched.filter((id) => counts[id] >= half).sort((x, y) => counts[y] - counts[x] || x - y);
    const tags: AlbumTags = { genres: [], styles: [], moods: [] };
    for (const id of kept) {
      const list = index.tagKinds[id] === 0 ? tags.genres : index.tagKinds[id] === 1 ? tags.styles : tags.moods;
      if (list.length < 3) list.push(index.tagNames[id]);
    }
    ai.tags[a] = tags;
    for (const id of touched) counts[id] = 0;
    touched.length = 0;
  }
  albumIndexes.set(index, ai);
  return ai;
}

/** Per-request soft preferences: the tags asked for and artists favoured (the playlist RankSpec's). */
export type AlbumWants = Pick<RankSpec, 'genres' | 'styles' | 'moods' | 'artists'>;

/** Every album with at least one of `positions`' tracks, its numbers taken over those tracks only. */
export function aggregateAlbums(index: PoolIndex, positions: Int32Array, wants: AlbumWants): AlbumSummary[] {
  const ai = albumIndexOf(index);
  const n = ai.keys.length;
  // Per-album sums in buffers kept with the album index and cleared per call (see PoolQuery.matchingTracks).
  const { tracks, rated, inferred, ratingSum, plays, skips, last, fitSum } = ai.sums;
  for (const column of [tracks, rated, inferred, ratingSum, plays, skips, last, fitSum]) column.fill(0);
  const flags = [wants.genres, wants.styles, wants.moods].map((tags, kind) => {
    const f = new Uint8Array(index.tagNames.length);
    const prefix = ['genre', 'style', 'mood'][kind];
    for (const t of tags) {
      const id = index.tagId.get(`${prefix}\u0000${t.toLowerCase()}`);
      if (id !== undefined) f[id] = 1;
    }
    return f;
  });
  const asked = [wants.genres.length, wants.styles.length, wants.moods.length];
  const kindsAsked = asked.filter((k) => k > 0).length;
  const hits = [0, 0, 0];
  for (let p = 0; p < positions.length; p++) {
    const i = positions[p];
    const a = ai.albumOf[i];
    tracks[a]++;
    const r = index.ratings[i];
    if (!Number.isNaN(r)) {
      rated[a]++;
      ratingSum[a] += r;
      inferred[a] += index.inferred[i];
    }
    plays[a] += index.plays[i];
    skips[a] += index.skips[i];
    if (index.lastPlayed[i] > last[a]) last[a] = index.lastPlayed[i];
    if (kindsAsked > 0) {
      hits[0] = hits[1] = hits[2] = 0;
      for (let q = index.tagStart[i]; q < index.tagStart[i + 1]; q++) {
        const id = index.tagIds[q];
        const kind = index.tagKinds[id];
        hits[kind] += flags[kind][id];
      }
      let fit = 0;
      for (let k = 0; k < 3; k++) if (asked[k] > 0) fit += Math.min(1, hits[k] / asked[k]);
      fitSum[a] += fit / kindsAsked;
    }
  }
  const favoured = favouredSet(wants);
  const out: AlbumSummary[] = [];
  for (let a = 0; a < n; a++) {
    if (tracks[a] === 0) continue;
    out.push({
      ratingKey: ai.keys[a],
      title: ai.titles[a],
      artist: ai.artists[a],
      year: ai.years[a] || null,
      tracks: tracks[a],
      rating: rated[a] === 0 ? null : ratingSum[a] / rated[a],
      rated: rated[a],
      inferred: inferred[a],
      plays: plays[a],
      skips: skips[a],
      lastPlayed: last[a],
      fit: fitSum[a] / tracks[a],
      favoured: favoured.size > 0 && favoured.has(ai.artistNorms[a]),
      tags: ai.tags[a],
      thumb: ai.thumbs[a],
    });
  }
  return out;
}

const NO_WANTS: AlbumWants = { genres: [], styles: [], moods: [], artists: [] };

/** Albums of the tracks the filters admit. */
export function matchingAlbums(pool: PoolQuery, filters: FilterSpec, wants: AlbumWants = NO_WANTS): AlbumSummary[] {
  const { index, positions } = pool.matchingTracks(filters);
  return aggregateAlbums(index, positions, wants);
}

/** How many albums and tracks the filters admit: the albums page's live count, without the summaries. */
export function countAlbums(pool: PoolQuery, filters: FilterSpec): { albums: number; tracks: number } {
  const { index, positions } = pool.matchingTracks(filters);
  const { albumOf, keys } = albumIndexOf(index);
  const seen = new Uint8Array(keys.length);
  let albums = 0;
  for (let p = 0; p < positions.length; p++) {
    const a = albumOf[positions[p]];
    if (seen[a] === 0) {
      seen[a] = 1;
      albums++;
    }
  }
  return { albums, tracks: positions.length };
}

/** The library's taste profile and its owned albums (normalised artist + title), once per index. */
export function libraryProfile(pool: PoolQuery): { taste: TasteProfile; owned: Set<string> } {
  const cached = profiles.get(pool.index());
  if (cached) return cached;
  const { index, positions } = pool.matchingTracks({});
  const albums = aggregateAlbums(index, positions, NO_WANTS);
  const value = { taste: tasteProfile(albums), owned: new Set(albums.map((a) => albumKey(a.artist, a.title))) };
  profiles.set(index, value);
  return value;
}
