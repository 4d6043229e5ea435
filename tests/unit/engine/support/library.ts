// Random libraries for the engine's property tests: artists (one "Various Artists"), albums with critic
// ratings on some, tracks with durations, short intros, twins (best-of copies), and sparse manual ratings
// on the whole-point grid. Seeded, so a failing case can be replayed.
import type SQLite from 'better-sqlite3';
import type { ItemKind } from '../../../../src/engine/core/rating-port.js';
import { FakePlex, type FakePlexOptions } from './fake-plex.js';
import { seededRandom } from '../../../support/seeded-random.js';

export interface GenItem {
  key: string;
  kind: ItemKind;
  title: string;
  artistKey?: string;
  albumKey?: string;
  criticRating?: number | null;
  durationMs?: number | null;
  originalTitle?: string | null;
  isLive?: boolean;
  rating: number | null;
}

export interface GenLibrary {
  items: GenItem[];
  byKey: Map<string, GenItem>;
}

export const rng = (seed: number): (() => number) => seededRandom(seed >>> 0 || 1);

export function generateLibrary(seed: number, trackTarget = 400, manualShare = 0.08): GenLibrary {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const items: GenItem[] = [];
  let next = 100;
  const key = () => String(next++);
  const words = ['Blue', 'Night', 'River', 'Gold', 'Fire', 'Rain', 'Heart', 'Road', 'Sky', 'Stone', 'Light', 'Echo'];
  const whole = () => 1 + Math.floor(r() * 10);
  const studioTracks: GenItem[] = [];
  let tracks = 0;
  const various: GenItem = { key: key(), kind: 'artist', title: 'Various Artists', rating: null };
  items.push(various);
  while (tracks < trackTarget) {
    const artist: GenItem = { key: key(), kind: 'artist', title: `Artist ${next}`, rating: r() < 0.05 ? whole() : null };
    items.push(artist);
    const albumCount = 1 + Math.floor(r() * 4);
    for (let a = 0; a < albumCount; a++) {
      const live = r() < 0.1;
      const album: GenItem = {
        key: key(),
        kind: 'album',
        title: live ? `Live at ${pick(words)}` : `${pick(words)} ${pick(words)}`,
        artistKey: artist.key,
        criticRating: r() < 0.33 ? 5 + Math.round(r() * 40) / 10 : null,
        isLive: live,
        rating: r() < 0.04 ? whole() : null,
      };
      items.push(album);
      const n = 4 + Math.floor(r() * 10);
      for (let t = 0; t < n; t++) {
        const twinOf = studioTracks.length > 0 && r() < 0.08 ? pick(studioTracks) : null;
        const track: GenItem = {
          key: key(),
          kind: 'track',
          artistKey: artist.key,
          albumKey: album.key,
          title: twinOf?.title ?? (r() < 0.05 ? 'Intro' : `${pick(words)} ${pick(words)} ${next}`),
          durationMs: twinOf
            ? (twinOf.durationMs ?? 200_000) + Math.floor(r() * 3000)
            : r() < 0.05
              ? 40_000
              : 90_000 + Math.floor(r() * 300_000),
          originalTitle: null,
          rating: r() < manualShare ? whole() : null,
        };
        if (twinOf) track.artistKey = twinOf.artistKey;
        items.push(track);
        if (!twinOf) studioTracks.push(track);
        tracks++;
      }
    }
  }
  // A compilation under Various Artists repeating studio tracks (track artist in originalTitle).
  const comp: GenItem = {
    key: key(),
    kind: 'album',
    title: 'Greatest Hits of Everything',
    artistKey: various.key,
    criticRating: null,
    rating: null,
  };
  items.push(comp);
  for (let i = 0; i < 6; i++) {
    const original = pick(studioTracks);
    const artistTitle = items.find((x) => x.key === original.artistKey)!.title;
    items.push({
      key: key(),
      kind: 'track',
      artistKey: various.key,
      albumKey: comp.key,
      title: original.title,
      durationMs: original.durationMs,
      originalTitle: artistTitle,
      rating: r() < manualShare ? whole() : null,
    });
  }
  return { items, byKey: new Map(items.map((i) => [i.key, i])) };
}

/** Fills the library cache tables, as a sync would. */
export function seedCache(sqlite: SQLite.Database, lib: GenLibrary): void {
  const title = (k: string | undefined) => (k ? lib.byKey.get(k)!.title : '');
  const artist = sqlite.prepare('insert into artists (rating_key, title, user_rating) values (?, ?, ?)');
  const album = sqlite.prepare(
    'insert into albums (rating_key, artist_key, artist_title, title, critic_rating, user_rating, is_live) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const track = sqlite.prepare(
    'insert into tracks (rating_key, album_key, artist_key, title, album_title, artist_title, original_title, duration_ms, user_rating) ' +
      'values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  sqlite.transaction(() => {
    for (const i of lib.items) {
      if (i.kind === 'artist') artist.run(i.key, i.title, i.rating);
      else if (i.kind === 'album')
        album.run(i.key, i.artistKey, title(i.artistKey), i.title, i.criticRating ?? null, i.rating, i.isLive ? 1 : 0);
      else
        track.run(
          i.key,
          i.albumKey,
          i.artistKey,
          i.title,
          title(i.albumKey),
          title(i.artistKey),
          i.originalTitle ?? null,
          i.durationMs ?? null,
          i.rating,
        );
    }
  })();
}

export function fakePlexFor(lib: GenLibrary, options: FakePlexOptions = {}): FakePlex {
  const plex = new FakePlex(options);
  for (const i of lib.items) plex.items.set(i.key, { kind: i.kind, rating: i.rating, moods: [] });
  return plex;
}

/** What a sync would do: copy Plex's current ratings and moods into the cache. */
export function syncCacheFrom(sqlite: SQLite.Database, plex: FakePlex): void {
  const tables: Record<ItemKind, SQLite.Statement> = {
    artist: sqlite.prepare('update artists set user_rating = ? where rating_key = ?'),
    album: sqlite.prepare('update albums set user_rating = ? where rating_key = ?'),
    track: sqlite.prepare('update tracks set user_rating = ? where rating_key = ?'),
  };
  const clearMoods = sqlite.prepare("delete from item_tags where kind = 'mood'");
  const addMood = sqlite.prepare("insert or ignore into item_tags (item_key, kind, tag) values (?, 'mood', ?)");
  sqlite.transaction(() => {
    clearMoods.run();
    for (const [key, item] of plex.items) {
      tables[item.kind].run(item.rating, key);
      for (const mood of item.moods) addMood.run(key, mood);
    }
  })();
}
