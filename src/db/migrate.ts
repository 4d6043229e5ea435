// Runs the migrations in /migrations. They are TypeScript next to the sources and JavaScript in
// dist/migrations after a build; this provider finds whichever sits beside this file's tree and
// imports them itself (kysely's FileMigrationProvider cannot import .ts under vitest).
import { readdir } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

function migrationsFolder(): URL {
  // src/db/migrate.ts → ../../migrations ; dist/db/migrate.js → ../migrations
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? '../../migrations/' : '../migrations/', import.meta.url);
}

class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const folder = migrationsFolder();
    const files = (await readdir(folder)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const module = (await import(new URL(file, folder).href)) as Migration;
      migrations[file.replace(/\.(ts|js)$/, '')] = module;
    }
    return migrations;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations run on a database whose schema they are still building
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider() });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`db: migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
}
