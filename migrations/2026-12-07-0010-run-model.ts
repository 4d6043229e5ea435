// The model a run computed with: the learned mode's fitted constants (and, for full passes and dry runs,
// the cross-validated candidates and the choice), as JSON, so an undo or an explanation knows which model
// produced a value. Null for runs that compute nothing (undo, recover, import) and for older runs.
// Migrations take Kysely<any> and never import src/.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('engine_runs').addColumn('model', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('engine_runs').dropColumn('model').execute();
}
