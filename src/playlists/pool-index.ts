// The library cache as a columnar in-memory index for the pool. Measured on 300,000 tracks, filtering and
// ordering in SQL took 150–1,650 ms (joins on text keys, OR-ed tag sets); the same work over typed arrays
// takes milliseconds. The index is loaded from SQL once and reloaded when the library or ratings version moves (db/data-versions.ts).
// Tags per track: the track's own and its album's for every kind, its artist's for genre and style; never
// Sagewire's own tag (music-tags.ts).
import type SQLite from 'better-sqlite3';
import { iteratePoolTagRows, poolTrackRows } from '../db/pool-index-reads.js';
import { isLiveTrack, keyHash } from '../domain/playlist/index.js';
import { norm } from '../domain/rating/text-match.js';
import type { MusicTagTest } from './music-tags.js';

/** How "count inferred ratings: off" knows which ratings are inferred. */
export type InferredSource = 'rating-state' | 'none';

export type SqliteReader = Pick<SQLite.Database, 'prepare' | 'pragma'>;

const KIND_CODE: Record<string, number> = { genre: 0, style: 1, mood: 2 };

export interface PoolIndex {
  size: number;
  keys: string[];
  /** keyHash(key), for the seeded variety term. */
  keyHashes: Uint32Array;
  titles: string[];
  artists: string[];
  /** norm(track artist) and norm(album artist), interned. */
  artistNorms: string[];
  albumArtistNorms: string[];
  artistKeys: string[];
  albums: string[];
  albumKeys: string[];
  /** 0 = unknown. */
  years: Int16Array;
  /** -1 = unknown. */
  durations: Int32Array;
  /** NaN = unrated. */
  ratings: Float32Array;
  live: Uint8Array;
  inferred: Uint8Array;
  thumbs: (string | null)[];
  /** Plays and skips from Plex's viewCount/skipCount (0 when never). */
  plays: Uint32Array;
  skips: Uint32Array;
  /** Last play, epoch seconds; 0 = never played. */
  lastPlayed: Float64Array;
  /** Track positions by rating key. */
  position: Map<string, number>;
  /** Track i's tag ids are tagIds[tagStart[i] .. tagStart[i + 1]). */
  tagStart: Uint32Array;
  tagIds: Uint32Array;
  tagNames: string[];
  /** 0 genre, 1 style, 2 mood. */
  tagKinds: Uint8Array;
  /** Lower-cased "kind\u0000tag" → id. */
  tagId: Map<string, number>;
}

export function loadPoolIndex(sqlite: SqliteReader, inferred: InferredSource, isMusic: MusicTagTest): PoolIndex {
  const tagId = new Map<string, number>();
  const tagNames: string[] = [];
  const kinds: number[] = [];
  const owned = new Map<string, number[]>();
  for (const [item, kind, tag] of iteratePoolTagRows(sqlite)) {
    if (!isMusic(kind, tag)) continue;
    const k = `${kind}\u0000${tag.toLowerCase()}`;
    let id = tagId.get(k);
    if (id === undefined) {
      id = tagNames.length;
      tagId.set(k, id);
      tagNames.push(tag);
      kinds.push(KIND_CODE[kind]);
    }
    const list = owned.get(item);
    if (list) list.push(id);
    else owned.set(item, [id]);
  }
  const rows = poolTrackRows(sqlite, inferred === 'rating-state');
  const n = rows.length;
  const index: PoolIndex = {
    size: n,
    keys: new Array(n),
    keyHashes: new Uint32Array(n),
    titles: new Array(n),
    artists: new Array(n),
    artistNorms: new Array(n),
    albumArtistNorms: new Array(n),
    artistKeys: new Array(n),
    albums: new Array(n),
    albumKeys: new Array(n),
    years: new Int16Array(n),
    durations: new Int32Array(n),
    ratings: new Float32Array(n),
    live: new Uint8Array(n),
    inferred: new Uint8Array(n),
    thumbs: new Array(n),
    plays: new Uint32Array(n),
    skips: new Uint32Array(n),
    lastPlayed: new Float64Array(n),
    position: new Map(),
    tagStart: new Uint32Array(n + 1),
    tagIds: new Uint32Array(0),
    tagNames,
    tagKinds: Uint8Array.from(kinds),
    tagId,
  };
  const norms = new Map<string, string>();
  const normOf = (s: string) => {
    let v = norms.get(s);
    if (v === undefined) {
      v = norm(s);
      norms.set(s, v);
    }
    return v;
  };
  const ids: number[] = [];
  const seen = new Set<number>();
  rows.forEach((r, i) => {
    const [
      key,
      title,
      albumArtist,
      original,
      artistKey,
      album,
      albumKey,
      year,
      duration,
      rating,
      isLive,
      thumb,
      inf,
      views,
      skipped,
      last,
    ] = r;
    index.keys[i] = key;
    index.keyHashes[i] = keyHash(key);
    index.titles[i] = title;
    index.artists[i] = original ?? albumArtist;
    index.artistNorms[i] = normOf(original ?? albumArtist);
    index.albumArtistNorms[i] = normOf(albumArtist);
    index.artistKeys[i] = artistKey;
    index.albums[i] = album;
    index.albumKeys[i] = albumKey;
    index.years[i] = year ?? 0;
    index.durations[i] = duration ?? -1;
    index.ratings[i] = rating ?? Number.NaN;
    index.live[i] = isLiveTrack({ title }, { title: album, isLive: isLive === 1 }) ? 1 : 0;
    index.inferred[i] = inf > 0 ? 1 : 0;
    index.thumbs[i] = thumb;
    index.plays[i] = views;
    index.skips[i] = skipped;
    index.lastPlayed[i] = last ?? 0;
    index.position.set(key, i);
    index.tagStart[i] = ids.length;
    seen.clear();
    for (const [owner, isArtist] of [
      [key, false],
      [albumKey, false],
      [artistKey, true],
    ] as const) {
      for (const id of owned.get(owner) ?? []) {
        if (seen.has(id) || (isArtist && kinds[id] === 2)) continue;
        seen.add(id);
        ids.push(id);
      }
    }
  });
  index.tagStart[n] = ids.length;
  index.tagIds = Uint32Array.from(ids);
  return index;
}
