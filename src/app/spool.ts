// The receiver's spool (the front door's thread commits each webhook there), moved into the inbox in this
// thread: in order, as the receiver reports events, once a second for anything it did not report (ignored
// events), and at start for what a crash left behind.
import type SQLite from 'better-sqlite3';
import { openSpool, spoolMover, spoolPath, type SpooledRow } from '../db/inbox-spool.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Logger } from '../log.js';

export interface SpoolDrain {
  /** Moves what is spooled into the inbox now. */
  drain(): void;
  /** One move for the events reported in the same turn. */
  soon(): void;
  /** Moves what is left, then closes the spool. */
  close(): void;
}

/**
 * Opens the spool and moves what it holds at once; `moved` is told when rows reached an inbox. `route` names
 * the database whose inbox a row belongs in (its music section's), by default `database`.
 */
export function drainSpool(
  dbPath: string,
  database: DatabaseHandle,
  logger: Logger,
  moved: () => void,
  route?: (row: SpooledRow) => SQLite.Database,
): SpoolDrain {
  const spool = openSpool(spoolPath(dbPath));
  const mover = spoolMover(spool, database.sqlite, undefined, route);
  let queued = false;
  let failing = false;
  const drain = () => {
    queued = false;
    try {
      if (mover.drain().pending > 0) moved();
      if (failing) logger.info('serve: received events are moving into the inbox again');
      failing = false;
    } catch (err) {
      // Busy (another program holds the database) or failing: the rows stay spooled for the next drain.
      // Said once while it lasts, not once a second.
      if (!failing)
        logger.warn({ err: (err as Error).message }, 'serve: could not move received events into the inbox yet; they wait in the spool');
      failing = true;
    }
  };
  drain();
  const timer = setInterval(drain, 1000);
  timer.unref();
  return {
    drain,
    soon() {
      if (queued) return;
      queued = true;
      setImmediate(drain);
    },
    close() {
      clearInterval(timer);
      drain();
      spool.close();
    },
  };
}
