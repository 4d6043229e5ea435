// Listening history on cached tracks: Plex's `skipCount` and `lastViewedAt`, next to `view_count`, so the
// rating model can read plays, skips and the last play from the cache. Null until a sync brings them.
// Migrations take Kysely<any> and never import src/.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tracks').addColumn('skip_count', 'integer').execute();
  await db.schema.alterTable('tracks').addColumn('last_viewed_at', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tracks').dropColumn('last_viewed_at').execute();
  await db.schema.alterTable('tracks').dropColumn('skip_count').execute();
}
