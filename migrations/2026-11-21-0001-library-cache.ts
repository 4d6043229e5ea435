// Settings and the library cache. Migrations take Kysely<any> and never import src/.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('artists')
    .addColumn('rating_key', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('user_rating', 'real')
    .addColumn('last_rated_at', 'integer')
    .addColumn('added_at', 'integer')
    .addColumn('updated_at', 'integer')
    .addColumn('thumb', 'text')
    .execute();

  await db.schema
    .createTable('albums')
    .addColumn('rating_key', 'text', (c) => c.primaryKey())
    .addColumn('artist_key', 'text', (c) => c.notNull())
    .addColumn('artist_title', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('year', 'integer')
    .addColumn('critic_rating', 'real')
    .addColumn('user_rating', 'real')
    .addColumn('last_rated_at', 'integer')
    .addColumn('leaf_count', 'integer')
    .addColumn('is_live', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('added_at', 'integer')
    .addColumn('updated_at', 'integer')
    .addColumn('thumb', 'text')
    .execute();
  await db.schema.createIndex('albums_artist').on('albums').column('artist_key').execute();

  await db.schema
    .createTable('tracks')
    .addColumn('rating_key', 'text', (c) => c.primaryKey())
    .addColumn('album_key', 'text', (c) => c.notNull())
    .addColumn('artist_key', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('album_title', 'text', (c) => c.notNull())
    .addColumn('artist_title', 'text', (c) => c.notNull())
    .addColumn('original_title', 'text')
    .addColumn('track_index', 'integer')
    .addColumn('disc_index', 'integer')
    .addColumn('year', 'integer')
    .addColumn('duration_ms', 'integer')
    .addColumn('user_rating', 'real')
    .addColumn('last_rated_at', 'integer')
    .addColumn('view_count', 'integer')
    .addColumn('added_at', 'integer')
    .addColumn('updated_at', 'integer')
    .addColumn('thumb', 'text')
    .execute();
  await db.schema.createIndex('tracks_album').on('tracks').column('album_key').execute();
  await db.schema.createIndex('tracks_artist').on('tracks').column('artist_key').execute();
  await db.schema.createIndex('tracks_year').on('tracks').column('year').execute();

  await db.schema
    .createTable('item_tags')
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_tags_pk', ['item_key', 'kind', 'tag'])
    .execute();
  await db.schema.createIndex('item_tags_by_tag').on('item_tags').columns(['kind', 'tag']).execute();

  await db.schema
    .createTable('sync_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('section_id', 'integer', (c) => c.notNull().unique())
    .addColumn('section_uuid', 'text')
    .addColumn('machine_identifier', 'text')
    .addColumn('last_full_sync_at', 'integer')
    .addColumn('last_sync_at', 'integer')
    .addColumn('watermark_updated_at', 'integer')
    .addColumn('watermark_added_at', 'integer')
    .addColumn('watermark_rated_at', 'integer')
    .addColumn('last_deletion_scan_at', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['sync_state', 'item_tags', 'tracks', 'albums', 'artists', 'settings']) {
    await db.schema.dropTable(table).execute();
  }
}
