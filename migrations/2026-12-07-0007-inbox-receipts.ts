// Events the receiver committed to its spool (a file of its own, so an acknowledgement never waits for the
// engine's writes) are moved into the inbox by the main thread; `receipt_id` is the spool's id, unique, so
// a move repeated after a crash inserts nothing twice. Migrations take Kysely<any> and never import src/.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_events').addColumn('receipt_id', 'integer').execute();
  await sql`create unique index webhook_events_receipt on webhook_events (receipt_id) where receipt_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_events_receipt').execute();
  await db.schema.alterTable('webhook_events').dropColumn('receipt_id').execute();
}
