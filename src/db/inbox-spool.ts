// The receiver's spool: a SQLite file of its own beside the database, where the receiver thread commits
// each webhook before Plex gets its answer. The receiver is its only writer but for the main thread's
// short deletes, so an acknowledgement never waits for the engine's transactions on the database (a
// library upsert or a journal batch holds the write lock for milliseconds, longer on a busy CPU). The
// main thread moves spooled rows into the inbox (`webhook_events`) in order: inserted with their spool
// id as `receipt_id` (unique, so a move repeated after a crash adds nothing twice), then deleted here.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';

/** The spool's file for a database file (`sagewire.db` → `sagewire.db-spool`). */
export function spoolPath(dbPath: string): string {
  return dbPath === ':memory:' ? ':memory:' : `${dbPath}-spool`;
}

/** The spool's table has the inbox row's columns (what the receiver's insert writes). */
const SCHEMA = `create table if not exists spooled_events (
  id integer primary key autoincrement, received_at integer not null, event text not null, status text not null,
  ignore_reason text, item_key text, item_type text, rating real, account_id integer, server_uuid text,
  payload blob not null, attempts integer not null default 0, next_attempt_at integer, last_error text,
  processed_at integer, outcome text, run_id integer)`;

/** Opens (creating) the spool. Busy waits are never blocking here: callers retry on their own timers. */
export function openSpool(path: string): SQLite.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const spool = new SQLite(path);
  spool.pragma('journal_mode = WAL');
  spool.pragma('synchronous = NORMAL');
  spool.pragma('busy_timeout = 0');
  spool.exec(SCHEMA);
  return spool;
}

/**
 * The receiver's connection to the spool. Checkpoints (copying the WAL into the file, with an fsync) are left
 * to the main thread's connection, which deletes the rows it moved: the receiver's commits stay short.
 */
export function openReceiverSpool(path: string): SQLite.Database {
  const spool = openSpool(path);
  spool.pragma('wal_autocheckpoint = 0');
  return spool;
}

const COLUMNS =
  'received_at, event, status, ignore_reason, item_key, item_type, rating, account_id, server_uuid, payload, attempts, ' +
  'next_attempt_at, last_error, processed_at, outcome, run_id';

export interface SpoolMover {
  /** Moves what the spool holds into the inbox; returns how many rows are pending work now inserted. */
  drain(): { moved: number; pending: number };
}

/** A spooled row as the mover reads it (the inbox row's columns and the spool's id). */
export type SpooledRow = Record<string, unknown> & { id: number; payload: unknown };

/**
 * The main thread's side: `spool` is its own connection to the spool file, `sqlite` the database. A move
 * that finds the spool busy (the receiver committing) leaves the delete for the next drain; the rows it
 * already inserted are then skipped by `receipt_id`. `route` names the database a row's inbox is in when
 * there are several (one per music section); by default every row goes to `sqlite`.
 */
export function spoolMover(
  spool: SQLite.Database,
  sqlite: SQLite.Database,
  batch = 2000,
  route: (row: SpooledRow) => SQLite.Database = () => sqlite,
): SpoolMover {
  const select = spool.prepare(`select id, ${COLUMNS} from spooled_events where id > ? order by id limit ?`);
  const remove = spool.prepare('delete from spooled_events where id <= ?');
  const targets = new Map<SQLite.Database, (rows: SpooledRow[]) => number>();
  // Spool ids must stay above every receipt already in an inbox, even for a spool file made anew.
  const keepSpoolIdsAbove = (db: SQLite.Database) => {
    const newest = (db.prepare('select max(receipt_id) from webhook_events').pluck().get() as number | null) ?? 0;
    spool.transaction(() => {
      const seq = spool.prepare("select seq from sqlite_sequence where name = 'spooled_events'").pluck().get() as number | undefined;
      if (seq === undefined) spool.prepare("insert into sqlite_sequence (name, seq) values ('spooled_events', ?)").run(newest);
      else if (seq < newest) spool.prepare("update sqlite_sequence set seq = ? where name = 'spooled_events'").run(newest);
    })();
  };
  const inserter = (db: SQLite.Database) => {
    let moveAll = targets.get(db);
    if (moveAll) return moveAll;
    keepSpoolIdsAbove(db);
    const insert = db.prepare(
      `insert into webhook_events (${COLUMNS}, receipt_id) values (@received_at, @event, @status, @ignore_reason, @item_key, @item_type,
        @rating, @account_id, @server_uuid, @payload, @attempts, @next_attempt_at, @last_error, @processed_at, @outcome, @run_id, @id)
       on conflict (receipt_id) where receipt_id is not null do nothing`,
    );
    moveAll = db.transaction((rows: SpooledRow[]) => {
      let pending = 0;
      for (const row of rows) if (insert.run(row).changes > 0 && row.status === 'pending') pending += 1;
      return pending;
    });
    targets.set(db, moveAll);
    return moveAll;
  };
  inserter(sqlite);
  const moveAll = (rows: SpooledRow[]): number => {
    const byTarget = new Map<SQLite.Database, SpooledRow[]>();
    for (const row of rows) {
      const db = route(row);
      const list = byTarget.get(db);
      if (list) list.push(row);
      else byTarget.set(db, [row]);
    }
    let pending = 0;
    for (const [db, list] of byTarget) pending += inserter(db)(list);
    return pending;
  };
  let deletedThrough = 0;
  const move = (): { moved: number; pending: number } => {
    let moved = 0;
    let pending = 0;
    for (;;) {
      const rows = select.all(deletedThrough, batch) as SpooledRow[];
      if (rows.length === 0) break;
      pending += moveAll(rows);
      moved += rows.length;
      const last = rows[rows.length - 1].id;
      try {
        remove.run(last);
      } catch (err) {
        if (!(err as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw err;
      }
      // Rows up to `last` are in the inbox now, deleted from the spool or not.
      deletedThrough = last;
      if (rows.length < batch) break;
    }
    return { moved, pending };
  };
  return {
    drain() {
      // Never a blocking wait for the database here: if another program holds it, the rows stay spooled
      // and the next drain (an event, or the timer) tries again.
      const timeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
      sqlite.pragma('busy_timeout = 0');
      try {
        return move();
      } finally {
        sqlite.pragma(`busy_timeout = ${timeout}`);
      }
    },
  };
}
