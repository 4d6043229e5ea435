// Sagewire's claims on ratings (table rating_state): the value it wrote per item, and opt-outs.
// Synchronous on the raw connection: the full pass loads every row at once, and callers can compose these
// calls inside one short better-sqlite3 transaction (which cannot span an await, let alone a request).
import type SQLite from 'better-sqlite3';
import type { ItemKind } from './tables/engine.js';

export interface ItemClaim {
  kind: ItemKind;
  /** The value Sagewire wrote; null when the row records an opt-out only. */
  writtenValue: number | null;
  optedOut: boolean;
}

export class EngineStateRepo {
  private readonly upsertWritten: SQLite.Statement;
  private readonly upsertOptOut: SQLite.Statement;
  private readonly deleteRow: SQLite.Statement;
  private readonly selectOne: SQLite.Statement;

  constructor(private readonly sqlite: SQLite.Database) {
    this.upsertWritten = sqlite.prepare(
      `insert into rating_state (item_key, kind, written_value, opted_out, run_id, updated_at) values (?, ?, ?, 0, ?, ?)
       on conflict (item_key) do update set kind = excluded.kind, written_value = excluded.written_value, opted_out = 0,
         run_id = excluded.run_id, updated_at = excluded.updated_at`,
    );
    this.upsertOptOut = sqlite.prepare(
      `insert into rating_state (item_key, kind, written_value, opted_out, run_id, updated_at) values (?, ?, null, 1, ?, ?)
       on conflict (item_key) do update set kind = excluded.kind, written_value = null, opted_out = 1,
         run_id = excluded.run_id, updated_at = excluded.updated_at`,
    );
    this.deleteRow = sqlite.prepare('delete from rating_state where item_key = ?');
    this.selectOne = sqlite.prepare('select kind, written_value, opted_out from rating_state where item_key = ?');
  }

  /** Every claim, by key (into `claims` when given: no second copy of a large map). */
  loadAll(claims = new Map<string, ItemClaim>()): Map<string, ItemClaim> {
    const rows = this.sqlite.prepare('select item_key, kind, written_value, opted_out from rating_state').raw().all() as [
      string,
      ItemKind,
      number | null,
      number,
    ][];
    for (const [key, kind, writtenValue, optedOut] of rows) claims.set(key, { kind, writtenValue, optedOut: optedOut === 1 });
    return claims;
  }

  /**
   * Every claim by key in a null-prototype object: with Plex's integer rating keys V8 keeps it as indexed
   * elements, several times faster than a Map for the full pass's lookup of every item (300,000 of them).
   */
  loadAllByKey(): Record<string, ItemClaim> {
    const claims: Record<string, ItemClaim> = Object.create(null);
    const rows = this.sqlite.prepare('select item_key, kind, written_value, opted_out from rating_state').raw().all() as [
      string,
      ItemKind,
      number | null,
      number,
    ][];
    for (const [key, kind, writtenValue, optedOut] of rows) claims[key] = { kind, writtenValue, optedOut: optedOut === 1 };
    return claims;
  }

  get(key: string): ItemClaim | null {
    const row = this.selectOne.get(key) as { kind: ItemKind; written_value: number | null; opted_out: number } | undefined;
    return row ? { kind: row.kind, writtenValue: row.written_value, optedOut: row.opted_out === 1 } : null;
  }

  setWritten(key: string, kind: ItemKind, value: number, runId: number | null, now = Date.now()): void {
    this.upsertWritten.run(key, kind, value, runId, now);
  }

  setOptedOut(key: string, kind: ItemKind, runId: number | null, now = Date.now()): void {
    this.upsertOptOut.run(key, kind, runId, now);
  }

  /** The item goes back to `manual` or `unrated`, whichever Plex says. */
  forget(key: string): void {
    this.deleteRow.run(key);
  }

  /** Re-enables inference on items the person had opted out of. Returns how many were re-enabled. */
  counts(): { inferred: number; optedOut: number } {
    const row = this.sqlite
      .prepare('select sum(written_value is not null) as inferred, sum(opted_out) as opted_out from rating_state')
      .get() as { inferred: number | null; opted_out: number | null };
    return { inferred: row.inferred ?? 0, optedOut: row.opted_out ?? 0 };
  }
}
