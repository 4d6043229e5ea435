// store: reads of the library cache for the rest of Sagewire (model snapshots, subtree recomputes,
// playlist filters, the status page). Synchronous raw statements: a snapshot of 300,000 tracks is
// one `all()`, far quicker than going through the query builder's async layers.
import type SQLite from 'better-sqlite3';
import type { AlbumRow, ArtistRow, ItemTagRow, LibraryCounts, TagKind, TrackRow } from './library-rows.js';

export type RawReader = Pick<SQLite.Database, 'prepare'>;

/** Keys per `in (…)` list; SQLite's default limit on bound parameters is far above this. */
const IN_CHUNK = 500;

export class LibraryReads {
  constructor(private readonly sqlite: RawReader) {}

  counts(): LibraryCounts {
    const count = (table: string) => this.sqlite.prepare(`select count(*) from ${table}`).pluck().get() as number;
    return { artists: count('artists'), albums: count('albums'), tracks: count('tracks') };
  }

  allArtists(): ArtistRow[] {
    return this.sqlite.prepare('select * from artists order by rating_key').all() as ArtistRow[];
  }

  allAlbums(): AlbumRow[] {
    return this.sqlite.prepare('select * from albums order by rating_key').all() as AlbumRow[];
  }

  allTracks(): TrackRow[] {
    return this.sqlite.prepare('select * from tracks order by rating_key').all() as TrackRow[];
  }

  /** Every track, one at a time, for callers that must not hold the whole library in memory. */
  *iterateTracks(): IterableIterator<TrackRow> {
    yield* this.sqlite.prepare('select * from tracks order by rating_key').iterate() as IterableIterator<TrackRow>;
  }

  artist(key: string): ArtistRow | null {
    return (this.sqlite.prepare('select * from artists where rating_key = ?').get(key) as ArtistRow | undefined) ?? null;
  }

  albumsByArtist(artistKey: string): AlbumRow[] {
    return this.sqlite.prepare('select * from albums where artist_key = ? order by year, title').all(artistKey) as AlbumRow[];
  }

  /** Tracks whose album artist is `artistKey` (the subtree a rating change touches). */
  tracksByArtist(artistKey: string): TrackRow[] {
    return this.sqlite
      .prepare('select * from tracks where artist_key = ? order by album_key, disc_index, track_index')
      .all(artistKey) as TrackRow[];
  }

  tracksByAlbum(albumKey: string): TrackRow[] {
    return this.sqlite.prepare('select * from tracks where album_key = ? order by disc_index, track_index').all(albumKey) as TrackRow[];
  }

  /** Items by rating key, of any kind; unknown keys are absent. */
  itemsByKeys(keys: readonly string[]): { artists: ArtistRow[]; albums: AlbumRow[]; tracks: TrackRow[] } {
    const out = { artists: [] as ArtistRow[], albums: [] as AlbumRow[], tracks: [] as TrackRow[] };
    for (const chunk of chunks(keys)) {
      const marks = chunk.map(() => '?').join(',');
      out.artists.push(...(this.sqlite.prepare(`select * from artists where rating_key in (${marks})`).all(...chunk) as ArtistRow[]));
      out.albums.push(...(this.sqlite.prepare(`select * from albums where rating_key in (${marks})`).all(...chunk) as AlbumRow[]));
      out.tracks.push(...(this.sqlite.prepare(`select * from tracks where rating_key in (${marks})`).all(...chunk) as TrackRow[]));
    }
    return out;
  }

  /** Tags of the given items, grouped by item key. */
  tagsFor(keys: readonly string[]): Map<string, ItemTagRow[]> {
    const out = new Map<string, ItemTagRow[]>();
    for (const chunk of chunks(keys)) {
      const rows = this.sqlite
        .prepare(`select item_key, kind, tag from item_tags where item_key in (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as ItemTagRow[];
      for (const row of rows) {
        const list = out.get(row.item_key);
        if (list) list.push(row);
        else out.set(row.item_key, [row]);
      }
    }
    return out;
  }

  /** Every tag of one kind with how many items carry it, most used first. */
  tagVocabulary(kind: TagKind): { tag: string; count: number }[] {
    return this.sqlite
      .prepare('select tag, count(*) as count from item_tags where kind = ? group by tag order by count desc, tag')
      .all(kind) as { tag: string; count: number }[];
  }
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += IN_CHUNK) yield items.slice(i, i + IN_CHUNK);
}
