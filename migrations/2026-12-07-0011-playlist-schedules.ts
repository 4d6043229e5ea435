// Scheduled playlists: a saved generation request regenerated on a cron schedule into one Plex playlist,
// with what its last run did; and each history row linked to the schedule that made it (with why it ran:
// a tick, a catch-up after a run missed while Sagewire was down, or "run now"). `pinned` is the schedule's
// reading of its request — the filters its prompt's analysis produced, or a seed's description — kept so later
// runs skip the analysis call; null until pinned, and again after "re-read the prompt".
// Migrations take Kysely<any> and never import src/.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('playlist_schedules')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('cron', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('request', 'text', (c) => c.notNull())
    .addColumn('playlist_rating_key', 'text')
    .addColumn('playlist_title', 'text')
    .addColumn('pinned', 'text')
    .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('next_run_at', 'integer')
    .addColumn('last_run_at', 'integer')
    .addColumn('last_status', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_note', 'text')
    .addColumn('last_history_id', 'integer')
    .addColumn('skipped_runs', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_skipped_at', 'integer')
    .execute();
  await db.schema.alterTable('playlist_generations').addColumn('schedule_id', 'integer').execute();
  await db.schema.alterTable('playlist_generations').addColumn('schedule_trigger', 'text').execute();
  await db.schema.createIndex('playlist_generations_schedule').on('playlist_generations').columns(['schedule_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('playlist_generations_schedule').execute();
  await db.schema.alterTable('playlist_generations').dropColumn('schedule_trigger').execute();
  await db.schema.alterTable('playlist_generations').dropColumn('schedule_id').execute();
  await db.schema.dropTable('playlist_schedules').execute();
}
