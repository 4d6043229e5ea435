// The writer lease (table engine_lease): one process at a time writes to Plex and reconciles the journal.
// A lease whose heartbeat is older than `staleMs`, or whose holder on this host has exited, may be taken.
import { hostname } from 'node:os';
import type SQLite from 'better-sqlite3';

export class LeaseHeldError extends Error {
  readonly userFacing = true;
  constructor(readonly holder: string) {
    super(`another Sagewire process (${holder}) is writing to Plex; try again when it has finished`);
    this.name = 'LeaseHeldError';
  }
}

export class EngineLeaseRepo {
  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly staleMs = 120_000,
  ) {}

  /** Takes the lease or throws LeaseHeldError. Re-entrant for the same owner. */
  acquire(name: string, owner: string, now = Date.now()): void {
    this.sqlite
      .transaction(() => {
        const row = this.sqlite.prepare('select owner, pid, heartbeat_at from engine_lease where name = ?').get(name) as
          | { owner: string; pid: number; heartbeat_at: number }
          | undefined;
        if (row && row.owner !== owner && !this.isStale(row, now)) throw new LeaseHeldError(`${row.owner}`);
        this.sqlite
          .prepare(
            `insert into engine_lease (name, owner, pid, heartbeat_at) values (?, ?, ?, ?)
           on conflict (name) do update set owner = excluded.owner, pid = excluded.pid, heartbeat_at = excluded.heartbeat_at`,
          )
          .run(name, owner, process.pid, now);
      })
      .immediate();
  }

  heartbeat(name: string, owner: string, now = Date.now()): void {
    this.sqlite.prepare('update engine_lease set heartbeat_at = ? where name = ? and owner = ?').run(now, name, owner);
  }

  release(name: string, owner: string): void {
    this.sqlite.prepare('delete from engine_lease where name = ? and owner = ?').run(name, owner);
  }

  private isStale(row: { owner: string; pid: number; heartbeat_at: number }, now: number): boolean {
    if (now - row.heartbeat_at > this.staleMs) return true;
    if (!row.owner.startsWith(`${hostname()}:`)) return false;
    try {
      process.kill(row.pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
}
