// The durable webhook inbox. Migrations take Kysely<any> and never import src/.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('received_at', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('ignore_reason', 'text')
    .addColumn('item_key', 'text')
    .addColumn('item_type', 'text')
    .addColumn('rating', 'real')
    .addColumn('account_id', 'integer')
    .addColumn('server_uuid', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('processed_at', 'integer')
    .addColumn('outcome', 'text')
    .addColumn('run_id', 'integer')
    .execute();
  await db.schema.createIndex('webhook_events_status').on('webhook_events').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_events_received').on('webhook_events').column('received_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_events').execute();
}
