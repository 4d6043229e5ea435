// Opens the SQLite database (WAL, busy timeout, foreign keys) behind Kysely and migrates it.
//
// Waiting for another writer: better-sqlite3 is synchronous, so SQLite's busy timeout is a wait that
// blocks the event loop. A server keeps that wait short (a few ms: enough for the webhook receiver's
// own short commits) and waits longer only asynchronously: a Kysely statement that finds the database
// busy outside a transaction is tried again after a timer, up to `busyRetryMs`, then fails with
// SQLITE_BUSY (answered as 503 by the web app). Every transaction begins IMMEDIATE (Kysely's and
// better-sqlite3's `sqlite.transaction(fn)`), so the write lock is taken before anything is read: in WAL
// mode a deferred transaction that reads, then writes after another connection committed, fails at once
// (SQLITE_BUSY_SNAPSHOT, which no wait can cure), and the webhook receiver commits on its own connection
// at any moment. A Kysely BEGIN refused as busy is retried like a statement.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** The raw connection, for the few hot paths that need prepared statements (bulk upserts). */
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

export interface ConnectionOptions {
  /** SQLite's own (blocking) wait for the write lock. Default 5000: a command-line tool may block. */
  busyTimeoutMs?: number;
  /** How long a Kysely statement keeps retrying on SQLITE_BUSY, asynchronously. Default 0 (no retry). */
  busyRetryMs?: number;
  /** Run the migrations (default true). A second connection of the same process opens an already migrated file. */
  migrate?: boolean;
}

/** The message a person sees when another program holds the database. */
export const DATABASE_BUSY_MESSAGE = 'database is busy (another program holds it); try again';

/** SQLITE_BUSY (another connection holds the lock), in any of its extended forms. */
export function isDatabaseBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** The error thrown when the database stayed busy longer than a caller may wait. */
export class DatabaseBusyError extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor(message = DATABASE_BUSY_MESSAGE, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseBusyError';
  }
}

/**
 * Delay before the n-th retry (n ≥ 1): 1 ms, 2 ms, … up to 20 ms. Another writer of this process
 * commits in well under a millisecond, so the first retries come soon; a try that finds the lock still
 * held costs microseconds.
 */
export function busyBackoffMs(attempt: number): number {
  return Math.min(20, Math.max(1, attempt));
}

export async function openDatabase(path: string, options: ConnectionOptions = {}): Promise<DatabaseHandle> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  immediateTransactions(sqlite);
  const retryMs = options.busyRetryMs ?? 0;
  const dialect = new SqliteDialect({ database: sqlite });
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => dialect.createAdapter(),
      createIntrospector: (k) => dialect.createIntrospector(k),
      createQueryCompiler: () => dialect.createQueryCompiler(),
      createDriver: () => new BusyAwareDriver(dialect.createDriver(), sqlite, retryMs),
    },
  });
  if (options.migrate !== false) await migrateToLatest(db);
  let closed = false;
  return {
    db,
    sqlite,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** `sqlite.transaction(fn)()` begins IMMEDIATE, like `.immediate()`; `.deferred()` stays available. */
function immediateTransactions(sqlite: SQLite.Database): void {
  const transaction = sqlite.transaction.bind(sqlite);
  // biome-ignore lint/suspicious/noExplicitAny: the same signature as better-sqlite3's own transaction()
  sqlite.transaction = (<F extends (...args: any[]) => unknown>(fn: F) => {
    const t = transaction(fn);
    return Object.assign((...args: unknown[]) => (t.immediate as (...a: unknown[]) => unknown)(...args), {
      default: t.immediate,
      deferred: t.deferred,
      immediate: t.immediate,
      exclusive: t.exclusive,
      database: sqlite,
    });
  }) as SQLite.Database['transaction'];
}

/** Kysely's SQLite driver, with IMMEDIATE transactions and an asynchronous retry on SQLITE_BUSY. */
class BusyAwareDriver implements Driver {
  private readonly wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly sqlite: SQLite.Database,
    private readonly retryMs: number,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let wrapper = this.wrapped.get(connection);
    if (!wrapper) {
      wrapper = {
        // Only a statement outside a transaction is atomic on its own and safe to run again.
        executeQuery: <R>(query: CompiledQuery) =>
          this.sqlite.inTransaction ? connection.executeQuery<R>(query) : this.retrying(() => connection.executeQuery<R>(query)),
        streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
      };
      this.wrapped.set(connection, wrapper);
    }
    return wrapper;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // Refused as a whole when busy (nothing has run yet), so retrying it is safe.
    await this.retrying(() => connection.executeQuery(CompiledQuery.raw('begin immediate')));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint: Driver['savepoint'] = (connection, name, compile) => this.inner.savepoint!(connection, name, compile);
  rollbackToSavepoint: Driver['rollbackToSavepoint'] = (connection, name, compile) =>
    this.inner.rollbackToSavepoint!(connection, name, compile);
  releaseSavepoint: Driver['releaseSavepoint'] = (connection, name, compile) => this.inner.releaseSavepoint!(connection, name, compile);

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  private async withoutBlockingWait<R>(run: () => Promise<QueryResult<R>>): Promise<QueryResult<R>> {
    const timeout = this.sqlite.pragma('busy_timeout', { simple: true }) as number;
    this.sqlite.pragma('busy_timeout = 0');
    let result: Promise<QueryResult<R>>;
    try {
      // Kysely's SQLite connection runs the statement synchronously inside this call, so the wait is
      // back before any other statement of this connection can run.
      result = run();
    } finally {
      this.sqlite.pragma(`busy_timeout = ${timeout}`);
    }
    return result;
  }

  private async retrying<R>(run: () => Promise<QueryResult<R>>): Promise<QueryResult<R>> {
    const started = Date.now();
    for (let attempt = 1; ; attempt += 1) {
      try {
        // SQLite's blocking wait is for the first try only; the retries do not block at all.
        return attempt === 1 ? await run() : await this.withoutBlockingWait(run);
      } catch (err) {
        if (!isDatabaseBusy(err)) throw err;
        const waited = Date.now() - started;
        if (waited >= this.retryMs) throw this.retryMs > 0 ? new DatabaseBusyError(DATABASE_BUSY_MESSAGE, { cause: err }) : err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(busyBackoffMs(attempt), this.retryMs - waited)));
      }
    }
  }
}
