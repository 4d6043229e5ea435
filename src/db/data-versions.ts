// The one freshness rule: each kind of data the caches derive from has a version number (table
// data_versions) that moves in the same transaction as the change, and every cache compares versions.
//   library   the library cache's items, titles, years, durations and tags, as synced or read from Plex
//   ratings   rating values (the cache's user_rating, whoever moved it), Sagewire's claims (rating_state)
//             and the journal's applied and undone rows
// A sync moves `library` when it changed anything, and `ratings` too when a rating value changed; a webhook's
// read of Plex that changes only a rating moves `ratings`; a journaled change (a run's applied writes,
// opt-ins, opt-outs, undo, recover, CSV import, reconcile) moves `ratings`. Reading both versions is one
// statement of two primary-key lookups, so a cache checks on every request. The table lives in the
// database, so a change by another process (the CLI while serve runs) is seen as soon as it commits.
//
// The bumps are explicit calls in the repositories' write functions (library-repo, engine-journal-repo),
// inside the transactions those functions already open, rather than SQLite triggers:
//   - one bump per transaction instead of one per row: a 300,000-track sync or full pass writes every row;
//   - the repository knows what kind of change a row is (an upsert that moved only user_rating is a ratings
//     change, one that renamed an album a library change), which keeps the search index and the playlist
//     vocabulary from rebuilding on every rating;
//   - a bump made in code can be attributed (ownChanges below): the live engine changes its in-memory
//     model itself and must not rebuild it after each of its own writes, yet must see everyone else's.
// A new write path cannot forget the rule as long as it goes through these repositories, which are the only
// writers of the tables (all SQL lives in src/db); tests/integration/db/data-versions.test.ts checks each of them.
import { AsyncLocalStorage } from 'node:async_hooks';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type DataName = 'library' | 'ratings';
export type DataVersions = Record<DataName, number>;

/** The narrowest view of a connection that can read the versions. */
export type VersionReader = Pick<SQLite.Database, 'prepare'>;

const READ = `select (select version from data_versions where name = 'library') as library,
                     (select version from data_versions where name = 'ratings') as ratings`;
const BUMP = 'update data_versions set version = version + 1 where name = ?';

const statements = new WeakMap<VersionReader, { read: SQLite.Statement; bump: SQLite.Statement }>();

function statementsOf(sqlite: VersionReader): { read: SQLite.Statement; bump: SQLite.Statement } {
  let s = statements.get(sqlite);
  if (!s) {
    s = { read: sqlite.prepare(READ), bump: sqlite.prepare(BUMP) };
    statements.set(sqlite, s);
  }
  return s;
}

/** The versions as committed (or as this connection's open transaction has them). */
export function readDataVersions(sqlite: VersionReader): DataVersions {
  const row = statementsOf(sqlite).read.get() as { library: number | null; ratings: number | null };
  return { library: row.library ?? 0, ratings: row.ratings ?? 0 };
}

/** The same, through the query builder (for code that holds only the Kysely handle). */
export async function readDataVersionsOf(db: Kysely<Database>): Promise<DataVersions> {
  const rows = await db.selectFrom('data_versions').select(['name', 'version']).execute();
  const versions: DataVersions = { library: 0, ratings: 0 };
  for (const row of rows) versions[row.name] = row.version;
  return versions;
}

/** Bumps made inside an `ownChanges` scope, per kind of data. */
export type OwnChanges = DataVersions;

const owner = new AsyncLocalStorage<OwnChanges>();

/**
 * Moves the versions of the named data. Call it inside the transaction that makes the change, so the
 * version never moves without the change nor the change without the version.
 */
export function bumpDataVersions(sqlite: VersionReader, ...names: DataName[]): void {
  const { bump } = statementsOf(sqlite);
  const own = owner.getStore();
  for (const name of new Set(names)) {
    bump.run(name);
    if (own) own[name] += 1;
  }
}

/**
 * Runs `work` counting into `own` every bump it makes (through any await): the live engine runs its
 * batches in such a scope, so after a batch it can tell its own changes, which its model already holds,
 * from a change made meanwhile by anyone else (a page's opt-in, the CLI's sync), which it must load.
 */
export function ownChanges<T>(own: OwnChanges, work: () => T): T {
  return owner.run(own, work);
}

export function noChanges(): OwnChanges {
  return { library: 0, ratings: 0 };
}

/**
 * A value derived from the database, built again exactly when a version it depends on has moved. The
 * versions are read before building, so a change committed while it builds makes the next `get()` build
 * again. A build that returns a promise which rejects is forgotten (the next `get()` tries again).
 */
export class VersionedCache<T> {
  private value: { versions: DataVersions; value: T } | null = null;

  /** `sqlite`: where `get()` reads the versions; null when the caller reads them itself (`at`). */
  constructor(
    private readonly sqlite: VersionReader | null,
    private readonly dependsOn: readonly DataName[],
    private readonly build: () => T,
  ) {}

  get(): T {
    if (!this.sqlite) throw new Error('VersionedCache: no connection to read the versions from; use at()');
    return this.at(readDataVersions(this.sqlite));
  }

  /** The value for the versions `now`, as the caller just read them. */
  at(now: DataVersions): T {
    if (this.value && this.dependsOn.every((name) => this.value!.versions[name] === now[name])) return this.value.value;
    const kept = { versions: now, value: this.build() };
    this.value = kept;
    if (kept.value instanceof Promise) {
      kept.value.catch(() => {
        if (this.value === kept) this.value = null;
      });
    }
    return kept.value;
  }

  /** Lets go of the value (to free its memory); the next `get()` builds it again. */
  drop(): void {
    this.value = null;
  }
}
