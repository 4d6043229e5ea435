// Album recommendation history: literal SQL per operation.
import type { Insertable, Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { AlbumRecommendationTable } from './tables/recommendations.js';

type NewRecommendation = Omit<Insertable<AlbumRecommendationTable>, 'id'>;

export async function recordRecommendation(db: Kysely<Database>, row: NewRecommendation): Promise<number> {
  const inserted = await db.insertInto('album_recommendations').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}
