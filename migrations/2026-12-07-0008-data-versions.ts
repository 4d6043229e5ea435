// One version number per kind of data the caches derive from: 'library' (the library cache's items, titles
// and tags, as synced from Plex) and 'ratings' (rating values, Sagewire's claims and the journal's applied
// rows). A change moves its version in the same transaction, so a cache compares two integers instead of
// fingerprinting tables, and another process's change is seen as soon as it commits. Migrations take
// Kysely<any> and never import src/.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('data_versions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`insert into data_versions (name, version) values ('library', 0), ('ratings', 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('data_versions').execute();
}
