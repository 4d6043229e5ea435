// The rating engine's own state: who owns each rating Sagewire wrote, the runs, and the write journal.
// Migrations take Kysely<any> and never import src/.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per item Sagewire has a claim on: the value it wrote (inferred) or the person's opt-out.
  await db.schema
    .createTable('rating_state')
    .addColumn('item_key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('written_value', 'real')
    .addColumn('opted_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_id', 'integer')
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('engine_runs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('finished_at', 'integer')
    .addColumn('mu', 'real')
    .addColumn('epsilon', 'real')
    .addColumn('write_mode', 'text')
    .addColumn('counts', 'text')
    .addColumn('event_id', 'integer')
    .addColumn('undoes_run_id', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('engine_runs_event').on('engine_runs').column('event_id').execute();

  await db.schema
    .createTable('write_journal')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('run_id', 'integer', (c) => c.notNull().references('engine_runs.id'))
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('value_before', 'real')
    .addColumn('value_after', 'real')
    .addColumn('tag', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('resolved_at', 'integer')
    .addColumn('undone_by_run_id', 'integer')
    .execute();
  await db.schema.createIndex('write_journal_run').on('write_journal').column('run_id').execute();
  await db.schema.createIndex('write_journal_item').on('write_journal').column('item_key').execute();
  // One writer at a time across processes (the server's worker, a CLI pass): whoever holds the lease may
  // write to Plex and reconcile the journal.
  await db.schema
    .createTable('engine_lease')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('heartbeat_at', 'integer', (c) => c.notNull())
    .execute();
  await sql`create index write_journal_pending on write_journal (status) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['engine_lease', 'write_journal', 'engine_runs', 'rating_state']) await db.schema.dropTable(table).execute();
}
