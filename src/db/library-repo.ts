// store: writes to the library cache, on raw better-sqlite3 prepared statements because a sync
// writes hundreds of thousands of rows. Each call is one short synchronous transaction; callers
// never hold one across a network call. Reads for the rest of Sagewire are in library-reads.ts.
// Each transaction that changes something moves the data versions (data-versions.ts): `library` for
// items, titles and tags, `ratings` for rating values.
import type SQLite from 'better-sqlite3';
import { bumpDataVersions, type DataName } from './data-versions.js';
import type { CachedItem, ItemTagRow, LibraryKind } from './library-rows.js';

/** What a rating is in a cached row; every other column is the library's shape. */
const RATING_COLUMNS: readonly string[] = ['user_rating', 'last_rated_at'];

const TABLE: Record<LibraryKind, 'artists' | 'albums' | 'tracks'> = { artist: 'artists', album: 'albums', track: 'tracks' };

const COLUMNS = {
  artists: ['rating_key', 'title', 'user_rating', 'last_rated_at', 'added_at', 'updated_at', 'thumb'],
  albums: [
    'rating_key',
    'artist_key',
    'artist_title',
    'title',
    'year',
    'critic_rating',
    'user_rating',
    'last_rated_at',
    'leaf_count',
    'is_live',
    'added_at',
    'updated_at',
    'thumb',
  ],
  tracks: [
    'rating_key',
    'album_key',
    'artist_key',
    'title',
    'album_title',
    'artist_title',
    'original_title',
    'track_index',
    'disc_index',
    'year',
    'duration_ms',
    'user_rating',
    'last_rated_at',
    'view_count',
    'skip_count',
    'last_viewed_at',
    'added_at',
    'updated_at',
    'thumb',
  ],
} as const;

export interface UpsertResult {
  added: number;
  /** Existing items whose row or tags changed. */
  updated: number;
}

export interface LibraryRepoOptions {
  /**
   * Which version a changed rating alone moves. `ratings` for the live engine's reads of the items events
   * name (each goes into its model at once, and a rating must not rebuild the search index or the
   * vocabulary); `library` (the default) for a sync, whose rating changes are not journaled: a model that
   * catches up ratings from the journal would miss them, so it builds again instead.
   */
  ratingChanges?: 'ratings' | 'library';
}

/** Narrowest view of the connection this repository needs. */
export type RawDatabase = Pick<SQLite.Database, 'prepare' | 'transaction'>;

interface Statements {
  /** The row's rating columns, or nothing when the item is not cached. */
  rating: SQLite.Statement;
  upsert: SQLite.Statement;
  setRating: SQLite.Statement;
}

type RatingColumns = { user_rating: number | null; last_rated_at: number | null };

export class LibraryRepo {
  private readonly statements = new Map<LibraryKind, Statements>();
  private readonly tagsOf: SQLite.Statement;
  private readonly deleteTags: SQLite.Statement;
  private readonly insertTag: SQLite.Statement;

  private readonly ratingMoves: DataName[];

  constructor(
    private readonly sqlite: RawDatabase,
    options: LibraryRepoOptions = {},
  ) {
    this.ratingMoves = options.ratingChanges === 'ratings' ? ['ratings'] : ['ratings', 'library'];
    this.tagsOf = sqlite.prepare('select kind, tag from item_tags where item_key = ?');
    this.deleteTags = sqlite.prepare('delete from item_tags where item_key = ?');
    this.insertTag = sqlite.prepare('insert or ignore into item_tags (item_key, kind, tag) values (@item_key, @kind, @tag)');
  }

  /** Inserts or updates items and replaces their tags; counts what was new and what changed. */
  upsert<R extends { rating_key: string }>(kind: LibraryKind, items: readonly CachedItem<R>[]): UpsertResult {
    const statements = this.statementsFor(kind);
    const result: UpsertResult = { added: 0, updated: 0 };
    guard(
      `store ${items.length} ${kind}s`,
      this.sqlite.transaction(() => {
        const moved = new Set<DataName>();
        for (const { row, tags } of items) {
          const was = statements.rating.get(row.rating_key) as RatingColumns | undefined;
          const shapeChanged = statements.upsert.run(row).changes > 0;
          const now = row as unknown as RatingColumns;
          if (!was) {
            for (const tag of tags) this.insertTag.run(tag);
            result.added++;
            moved.add('library');
            if (now.user_rating !== null) moved.add('ratings');
            continue;
          }
          const ratingChanged = was.user_rating !== now.user_rating || was.last_rated_at !== now.last_rated_at;
          // The upsert writes every column but changes a row only when its shape moved; a rating alone is set here.
          if (ratingChanged && !shapeChanged) statements.setRating.run(now.user_rating, now.last_rated_at, row.rating_key);
          const tagsChanged = this.replaceTagsIfChanged(row.rating_key, tags);
          if (shapeChanged || tagsChanged) moved.add('library');
          if (ratingChanged && was.user_rating !== now.user_rating) for (const name of this.ratingMoves) moved.add(name);
          if (shapeChanged || ratingChanged || tagsChanged) result.updated++;
        }
        bumpDataVersions(this.sqlite, ...moved);
      }),
    );
    return result;
  }

  /** Removes items and their tags; returns how many rows were deleted. */
  delete(kind: LibraryKind, keys: readonly string[]): number {
    const remove = this.sqlite.prepare(`delete from ${TABLE[kind]} where rating_key = ?`);
    let deleted = 0;
    guard(
      `delete ${keys.length} ${kind}s`,
      this.sqlite.transaction(() => {
        for (const key of keys) {
          deleted += remove.run(key).changes;
          this.deleteTags.run(key);
        }
        if (deleted > 0) bumpDataVersions(this.sqlite, 'library');
      }),
    );
    return deleted;
  }

  /** Every cached key of one kind, for finding what Plex no longer has. */
  keys(kind: LibraryKind): string[] {
    return guard(`list ${kind} keys`, () => this.sqlite.prepare(`select rating_key from ${TABLE[kind]}`).pluck().all() as string[]);
  }

  /**
   * Tracks and albums repeat their parents' titles (and tracks the album year). Plex does not bump
   * a child's `updatedAt` when a parent is renamed, so an incremental sync copies them down itself.
   */
  propagateParents(
    artists: readonly { rating_key: string; title: string }[],
    albums: readonly { rating_key: string; title: string; year: number | null }[],
  ): number {
    const artistAlbums = this.sqlite.prepare('update albums set artist_title = ? where artist_key = ? and artist_title is not ?');
    const artistTracks = this.sqlite.prepare('update tracks set artist_title = ? where artist_key = ? and artist_title is not ?');
    const albumTracks = this.sqlite.prepare(
      'update tracks set album_title = ?, year = ? where album_key = ? and (album_title is not ? or year is not ?)',
    );
    let changed = 0;
    guard(
      'copy renamed parents to their children',
      this.sqlite.transaction(() => {
        for (const a of artists) {
          changed += artistAlbums.run(a.title, a.rating_key, a.title).changes;
          changed += artistTracks.run(a.title, a.rating_key, a.title).changes;
        }
        for (const a of albums) changed += albumTracks.run(a.title, a.year, a.rating_key, a.title, a.year).changes;
        if (changed > 0) bumpDataVersions(this.sqlite, 'library');
      }),
    );
    return changed;
  }

  /** Empties the cache (another server or section was configured). */
  clear(): void {
    guard(
      'empty the library cache',
      this.sqlite.transaction(() => {
        for (const table of ['item_tags', 'tracks', 'albums', 'artists', 'sync_state']) this.sqlite.prepare(`delete from ${table}`).run();
        bumpDataVersions(this.sqlite, 'library', 'ratings');
      }),
    );
  }

  private replaceTagsIfChanged(key: string, tags: readonly ItemTagRow[]): boolean {
    const current = this.tagsOf.all(key) as { kind: string; tag: string }[];
    const same = current.length === tags.length && current.every((c) => tags.some((t) => t.kind === c.kind && t.tag === c.tag));
    if (same) return false;
    this.deleteTags.run(key);
    for (const tag of tags) this.insertTag.run(tag);
    return true;
  }

  private statementsFor(kind: LibraryKind): Statements {
    let s = this.statements.get(kind);
    if (!s) {
      const table = TABLE[kind];
      const columns: readonly string[] = COLUMNS[table];
      const rest = columns.filter((c) => c !== 'rating_key');
      const shape = rest.filter((c) => !RATING_COLUMNS.includes(c));
      // The WHERE makes a row whose shape is unchanged a no-op (changes() = 0): that tells a library change
      // from a rating change (set by `setRating`), and is how "updated" is counted.
      const upsert = this.sqlite.prepare(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})
         on conflict (rating_key) do update set ${rest.map((c) => `${c} = excluded.${c}`).join(', ')}
         where ${shape.map((c) => `${c} is not excluded.${c}`).join(' or ')}`,
      );
      s = {
        rating: this.sqlite.prepare(`select user_rating, last_rated_at from ${table} where rating_key = ?`),
        upsert,
        setRating: this.sqlite.prepare(`update ${table} set user_rating = ?, last_rated_at = ? where rating_key = ?`),
      };
      this.statements.set(kind, s);
    }
    return s;
  }
}

/** Runs a statement or transaction, wrapping any failure with the layer's name and what was attempted. */
function guard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new Error(`store: unable to ${what}: ${(err as Error).message}`, { cause: err });
  }
}
