// Playlist generation history: every generation with its request, filters, provider, model, tokens per
// call, cost, result and the Plex playlist it was saved to. Migrations take Kysely<any> and never import src/.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('playlist_generations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('calls', 'text', (c) => c.notNull())
    .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cost', 'real')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('title', 'text')
    .addColumn('description', 'text')
    .addColumn('result', 'text')
    .addColumn('playlist_rating_key', 'text')
    .addColumn('playlist_title', 'text')
    .addColumn('saved_mode', 'text')
    .addColumn('saved_at', 'integer')
    .execute();
  await db.schema.createIndex('playlist_generations_created').on('playlist_generations').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('playlist_generations').execute();
}
