// Writes a generated simulator library straight into a library cache database (no Plex round trip), the
// way a sync would leave it: for the pool tests and the 300k-track benchmark.
import type SQLite from 'better-sqlite3';
import type { SimLibrary } from '../../../../src/sim/library.js';

export function loadSimLibrary(sqlite: SQLite.Database, library: SimLibrary): void {
  const artistTitle = new Map(library.artists.map((a) => [a.ratingKey, a.title]));
  const albumOf = new Map(library.albums.map((a) => [a.ratingKey, a]));
  const insertArtist = sqlite.prepare('insert into artists (rating_key, title, user_rating, added_at, updated_at) values (?, ?, ?, ?, ?)');
  const insertAlbum = sqlite.prepare(`insert into albums (rating_key, artist_key, artist_title, title, year, critic_rating, user_rating,
    leaf_count, is_live, added_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertTrack = sqlite.prepare(
    `insert into tracks (rating_key, album_key, artist_key, title, album_title, artist_title, original_title,
    track_index, disc_index, year, duration_ms, user_rating, view_count, skip_count, last_viewed_at, added_at, updated_at) ` +
      'values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertTag = sqlite.prepare('insert or ignore into item_tags (item_key, kind, tag) values (?, ?, ?)');
  const tags = (key: string, item: { genres: string[]; styles: string[]; moods: string[] }, subformats: string[] = []) => {
    for (const g of item.genres) insertTag.run(key, 'genre', g);
    for (const s of item.styles) insertTag.run(key, 'style', s);
    for (const m of item.moods) insertTag.run(key, 'mood', m);
    for (const f of subformats) insertTag.run(key, 'subformat', f);
  };
  sqlite.transaction(() => {
    for (const a of library.artists) {
      insertArtist.run(a.ratingKey, a.title, a.userRating ?? null, a.addedAt, a.updatedAt);
      tags(a.ratingKey, a);
    }
    const leaves = new Map<string, number>();
    for (const t of library.tracks) leaves.set(t.albumKey, (leaves.get(t.albumKey) ?? 0) + 1);
    for (const a of library.albums) {
      insertAlbum.run(
        a.ratingKey,
        a.artistKey,
        artistTitle.get(a.artistKey) ?? '',
        a.title,
        a.year,
        a.rating ?? null,
        a.userRating ?? null,
        leaves.get(a.ratingKey) ?? 0,
        a.subformats.includes('Live') ? 1 : 0,
        a.addedAt,
        a.updatedAt,
      );
      tags(a.ratingKey, a, a.subformats);
    }
    for (const t of library.tracks) {
      const album = albumOf.get(t.albumKey)!;
      insertTrack.run(
        t.ratingKey,
        t.albumKey,
        album.artistKey,
        t.title,
        album.title,
        artistTitle.get(album.artistKey) ?? '',
        t.originalTitle ?? null,
        t.index,
        t.disc,
        album.year,
        t.duration,
        t.userRating ?? null,
        t.viewCount ?? null,
        t.skipCount ?? null,
        t.lastViewedAt ?? null,
        t.addedAt,
        t.updatedAt,
      );
      tags(t.ratingKey, t);
    }
  })();
}
