// Album recommendation history: literal SQL per operation; JSON columns parsed here so callers see typed values.
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { AlbumRecommendationTable } from './tables/recommendations.js';

type NewRecommendation = Omit<Insertable<AlbumRecommendationTable>, 'id'>;
type RecommendationRow = Selectable<AlbumRecommendationTable>;

export async function recordRecommendation(db: Kysely<Database>, row: NewRecommendation): Promise<number> {
  const inserted = await db.insertInto('album_recommendations').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** One album as the recommendation showed it (the stored card). */
export interface RecordedAlbum {
  ratingKey: string | null;
  title: string;
  artist: string;
  year: number | null;
  pitch: string;
  inLibrary: boolean;
  rating?: number | null;
  plays?: number | null;
  lastPlayedAt?: number | null;
  thumb?: string | null;
  tags?: string[];
  filled: boolean;
}

export interface RecordedCall {
  role: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
  error?: string;
}

export interface RecommendationRecord {
  id: number;
  createdAt: number;
  mode: 'library' | 'discovery';
  familiarity: string;
  prompt: string;
  answers: { question: string; answer: string }[];
  filters: Record<string, unknown>;
  exclude: string[];
  provider: string;
  model: string;
  calls: RecordedCall[];
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
  status: 'done' | 'failed';
  error: string | null;
  /** The primary album first, then the alternatives; empty when it failed. */
  albums: RecordedAlbum[];
  warnings: string[];
}

function recordOf(row: RecommendationRow): RecommendationRecord {
  const request = JSON.parse(row.request) as Partial<Pick<RecommendationRecord, 'prompt' | 'answers' | 'filters' | 'exclude'>>;
  const result = row.result ? (JSON.parse(row.result) as { albums?: RecordedAlbum[]; warnings?: string[] }) : null;
  return {
    id: row.id,
    createdAt: row.created_at,
    mode: row.mode,
    familiarity: row.familiarity,
    prompt: request.prompt ?? '',
    answers: request.answers ?? [],
    filters: request.filters ?? {},
    exclude: request.exclude ?? [],
    provider: row.provider,
    model: row.model,
    calls: JSON.parse(row.calls) as RecordedCall[],
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cost: row.cost,
    status: row.status,
    error: row.error,
    albums: result?.albums ?? [],
    warnings: result?.warnings ?? [],
  };
}

/** The newest recommendations first. */
export async function listRecommendations(db: Kysely<Database>, limit = 50): Promise<RecommendationRecord[]> {
  const rows = await db.selectFrom('album_recommendations').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(recordOf);
}

export async function getRecommendation(db: Kysely<Database>, id: number): Promise<RecommendationRecord | null> {
  const row = await db.selectFrom('album_recommendations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? recordOf(row) : null;
}
