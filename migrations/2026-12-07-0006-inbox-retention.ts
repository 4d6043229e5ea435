// Inbox retention: rows of processed webhooks are deleted after a while, and their counts move here so
// the totals by status and ignored reason stay whole. Migrations take Kysely<any> and never import src/.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_event_totals')
    .addColumn('status', 'text', (c) => c.notNull())
    // '' for statuses that carry no reason (a primary key column cannot hold NULL meaningfully).
    .addColumn('ignore_reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('events', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_received_at', 'integer')
    .addPrimaryKeyConstraint('webhook_event_totals_pk', ['status', 'ignore_reason'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_event_totals').execute();
}
