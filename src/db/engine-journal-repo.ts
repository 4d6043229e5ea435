// The write journal (table write_journal). A row is committed as `pending` before its request is sent and
// resolved (`applied` or `dropped`) after; applying a row and its effect on rating_state happen in one
// short transaction, so the state never claims a value Plex was not seen to accept. A transaction that
// applies rows or marks them undone moves the `ratings` data version with them (data-versions.ts); pending
// and dropped rows change no rating, claim or cached value, so they move nothing.
import type SQLite from 'better-sqlite3';
import { bumpDataVersions } from './data-versions.js';
import { EngineStateRepo } from './engine-state-repo.js';
import type { Selectable } from 'kysely';
import type { ItemKind, JournalOperation, JournalStatus, WriteJournalTable } from './tables/engine.js';

export interface JournalEntry {
  id: number;
  runId: number;
  itemKey: string;
  kind: ItemKind;
  operation: JournalOperation;
  valueBefore: number | null;
  valueAfter: number | null;
  tag: string | null;
  status: JournalStatus;
  note: string | null;
  createdAt: number;
  resolvedAt: number | null;
  undoneByRunId: number | null;
}

export type NewJournalEntry = Pick<JournalEntry, 'itemKey' | 'kind' | 'operation' | 'valueBefore' | 'valueAfter'> & {
  tag?: string | null;
  note?: string | null;
};

/** A row as SQLite returns it. */
type Row = Selectable<WriteJournalTable>;

const toEntry = (r: Row): JournalEntry => ({
  id: r.id,
  runId: r.run_id,
  itemKey: r.item_key,
  kind: r.kind,
  operation: r.operation,
  valueBefore: r.value_before,
  valueAfter: r.value_after,
  tag: r.tag,
  status: r.status,
  note: r.note,
  createdAt: r.created_at,
  resolvedAt: r.resolved_at,
  undoneByRunId: r.undone_by_run_id,
});

const CACHE_TABLE: Record<ItemKind, string> = { artist: 'artists', album: 'albums', track: 'tracks' };

/** Operations that change a rating in Plex (the ones undo restores). */
export const RATING_OPERATIONS: readonly JournalOperation[] = ['rate', 'rate_manual', 'clear'];

export class EngineJournalRepo {
  private readonly state: EngineStateRepo;
  private readonly insert: SQLite.Statement;
  private readonly resolve: SQLite.Statement;
  private readonly selectById: SQLite.Statement;
  private readonly statements = new Map<string, SQLite.Statement>();

  constructor(private readonly sqlite: SQLite.Database) {
    this.state = new EngineStateRepo(sqlite);
    this.insert = sqlite.prepare(
      `insert into write_journal (run_id, item_key, kind, operation, value_before, value_after, tag, status, note, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.resolve = sqlite.prepare(
      "update write_journal set status = ?, note = coalesce(?, note), resolved_at = ? where id = ? and status = 'pending'",
    );
    this.selectById = sqlite.prepare('select * from write_journal where id = ?');
  }

  /** Commits the rows as pending (before their requests are sent) and returns their ids in order. */
  addPending(runId: number, entries: readonly NewJournalEntry[], now = Date.now()): number[] {
    return this.sqlite.transaction(() =>
      entries.map((e) =>
        Number(
          this.insert.run(runId, e.itemKey, e.kind, e.operation, e.valueBefore, e.valueAfter, e.tag ?? null, 'pending', e.note ?? null, now)
            .lastInsertRowid,
        ),
      ),
    )();
  }

  /** Records state-only changes (adopt, opt_out, claim, forget) as applied and applies their effect at once. */
  record(runId: number, entries: readonly NewJournalEntry[], now = Date.now()): number[] {
    return this.sqlite.transaction(() => {
      const ids = entries.map((e) => {
        const id = Number(
          this.insert.run(runId, e.itemKey, e.kind, e.operation, e.valueBefore, e.valueAfter, e.tag ?? null, 'applied', e.note ?? null, now)
            .lastInsertRowid,
        );
        this.applyEffect({ ...e, tag: e.tag ?? null }, runId, now);
        this.statement('update write_journal set resolved_at = ? where id = ?').run(now, id);
        return id;
      });
      if (ids.length > 0) bumpDataVersions(this.sqlite, 'ratings');
      return ids;
    })();
  }

  /** Plex accepted these writes: mark them applied and update rating_state, in one transaction. */
  markApplied(ids: readonly number[], now = Date.now()): void {
    this.sqlite.transaction(() => {
      let applied = 0;
      for (const id of ids) {
        const row = this.selectById.get(id) as Row | undefined;
        if (row?.status !== 'pending') continue;
        this.resolve.run('applied', null, now, id);
        this.applyEffect(
          {
            itemKey: row.item_key,
            kind: row.kind,
            operation: row.operation,
            valueBefore: row.value_before,
            valueAfter: row.value_after,
            tag: row.tag,
          },
          row.run_id,
          now,
        );
        applied += 1;
      }
      if (applied > 0) bumpDataVersions(this.sqlite, 'ratings');
    })();
  }

  markDropped(ids: readonly number[], note: string, now = Date.now()): void {
    this.sqlite.transaction(() => {
      for (const id of ids) this.resolve.run('dropped', note, now, id);
    })();
  }

  pending(): JournalEntry[] {
    return (this.sqlite.prepare("select * from write_journal where status = 'pending' order by id").all() as Row[]).map(toEntry);
  }

  /** The rows with these ids, in id order. */
  forIds(ids: readonly number[]): JournalEntry[] {
    if (ids.length === 0) return [];
    const select = this.statement('select * from write_journal where id = ?');
    return [...ids]
      .sort((a, b) => a - b)
      .map((id) => select.get(id) as Row | undefined)
      .filter((r): r is Row => r !== undefined)
      .map(toEntry);
  }

  forRun(runId: number): JournalEntry[] {
    return (this.sqlite.prepare('select * from write_journal where run_id = ? order by id').all(runId) as Row[]).map(toEntry);
  }

  /** Applied rating changes not yet undone, newest first; of one run, of the runs of one event, or all. */
  undoable(scope: { runId: number } | { eventId: number } | 'all'): JournalEntry[] {
    const ops = RATING_OPERATIONS.map((o) => `'${o}'`).join(', ');
    const base = `select j.* from write_journal j join engine_runs r on r.id = j.run_id
      where j.status = 'applied' and j.undone_by_run_id is null and j.operation in (${ops})`;
    const rows =
      scope === 'all'
        ? this.sqlite.prepare(`${base} order by j.id desc`).all()
        : 'runId' in scope
          ? this.sqlite.prepare(`${base} and j.run_id = ? order by j.id desc`).all(scope.runId)
          : // The run that applied the event: the inbox row names it; a run also names its newest event.
            this.sqlite
              .prepare(`${base} and (r.event_id = ? or r.id = (select run_id from webhook_events where id = ?)) order by j.id desc`)
              .all(scope.eventId, scope.eventId);
    return (rows as Row[]).map(toEntry);
  }

  /** Every applied rating change, by any run (undo runs included, undone or not), newest first. */
  ratingHistory(): JournalEntry[] {
    const ops = RATING_OPERATIONS.map((o) => `'${o}'`).join(', ');
    return (
      this.sqlite.prepare(`select * from write_journal where status = 'applied' and operation in (${ops}) order by id desc`).all() as Row[]
    ).map(toEntry);
  }

  /** The newest applied rating change of an item, by any run. */
  latestRatingChange(itemKey: string): JournalEntry | null {
    const ops = RATING_OPERATIONS.map((o) => `'${o}'`).join(', ');
    const row = this.sqlite
      .prepare(`select * from write_journal where item_key = ? and status = 'applied' and operation in (${ops}) order by id desc limit 1`)
      .get(itemKey) as Row | undefined;
    return row ? toEntry(row) : null;
  }

  /** The item's applied rating changes journaled (planned) between `from` and `to`, oldest first. */
  ratingChangesBetween(itemKey: string, from: number, to: number): JournalEntry[] {
    const ops = RATING_OPERATIONS.map((o) => `'${o}'`).join(', ');
    return (
      this.statement(
        `select * from write_journal where item_key = ? and status = 'applied' and operation in (${ops}) ` +
          'and created_at between ? and ? order by id',
      ).all(itemKey, from, to) as Row[]
    ).map(toEntry);
  }

  /** Whether Sagewire ever had Plex accept `value` for the item (a webhook carrying it may be an echo). */
  wroteValue(itemKey: string, value: number): boolean {
    return (
      this.statement(
        "select 1 from write_journal where item_key = ? and status = 'applied' and operation in ('rate', 'rate_manual') " +
          'and abs(value_after - ?) < 0.001 limit 1',
      ).get(itemKey, value) !== undefined
    );
  }

  markUndone(ids: readonly number[], undoRunId: number): void {
    const statement = this.sqlite.prepare('update write_journal set undone_by_run_id = ? where id = ?');
    this.sqlite.transaction(() => {
      let undone = 0;
      for (const id of ids) undone += statement.run(undoRunId, id).changes;
      if (undone > 0) bumpDataVersions(this.sqlite, 'ratings');
    })();
  }

  /** Per run id, how many applied rating changes undo would restore (0 for a run without any). */
  undoableCounts(runIds: readonly number[]): Map<number, number> {
    const counts = new Map<number, number>(runIds.map((id) => [id, 0]));
    if (runIds.length === 0) return counts;
    const ops = RATING_OPERATIONS.map((o) => `'${o}'`).join(', ');
    const rows = this.sqlite
      .prepare(
        `select run_id, count(*) as n from write_journal where run_id in (${runIds.map(() => '?').join(', ')}) and status = 'applied'
           and undone_by_run_id is null and operation in (${ops}) group by run_id`,
      )
      .all(...runIds) as Array<{ run_id: number; n: number }>;
    for (const row of rows) counts.set(row.run_id, row.n);
    return counts;
  }

  countByStatus(runId: number): Record<JournalStatus, number> {
    const rows = this.sqlite.prepare('select status, count(*) as n from write_journal where run_id = ? group by status').all(runId) as {
      status: JournalStatus;
      n: number;
    }[];
    const counts: Record<JournalStatus, number> = { pending: 0, applied: 0, dropped: 0 };
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  /**
   * What an applied row means for rating_state — and for the library cache, which is written through so
   * the next plan sees what Plex now holds without waiting for a sync (`/:/rate` does not move updatedAt).
   */
  private applyEffect(
    e: Pick<JournalEntry, 'itemKey' | 'kind' | 'operation' | 'valueBefore' | 'valueAfter' | 'tag'>,
    runId: number,
    now: number,
  ): void {
    const table = CACHE_TABLE[e.kind];
    switch (e.operation) {
      case 'rate':
      case 'rate_manual':
      case 'clear':
        this.statement(`update ${table} set user_rating = ? where rating_key = ?`).run(e.valueAfter, e.itemKey);
        break;
      case 'tag_add':
        this.statement("insert or ignore into item_tags (item_key, kind, tag) values (?, 'mood', ?)").run(e.itemKey, e.tag);
        break;
      case 'tag_remove':
        this.statement("delete from item_tags where item_key = ? and kind = 'mood' and tag = ?").run(e.itemKey, e.tag);
        break;
      default:
        break;
    }
    switch (e.operation) {
      case 'rate':
      case 'claim':
        if (e.valueAfter !== null) this.state.setWritten(e.itemKey, e.kind, e.valueAfter, runId, now);
        return;
      case 'rate_manual':
      case 'clear':
      case 'adopt':
      case 'forget':
        this.state.forget(e.itemKey);
        return;
      case 'opt_out':
        this.state.setOptedOut(e.itemKey, e.kind, runId, now);
        return;
      case 'tag_add':
      case 'tag_remove':
        return;
    }
  }

  private statement(text: string): SQLite.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.sqlite.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}
