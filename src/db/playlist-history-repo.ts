// Playlist history: literal SQL per operation; JSON columns parsed here so callers see typed values.
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { PlaylistGenerationTable, SaveMode } from './tables/playlists.js';

export type GenerationRow = Selectable<PlaylistGenerationTable>;
export type NewGeneration = Omit<Insertable<PlaylistGenerationTable>, 'id'>;

export async function recordGeneration(db: Kysely<Database>, row: NewGeneration): Promise<number> {
  const inserted = await db.insertInto('playlist_generations').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function recordSave(
  db: Kysely<Database>,
  id: number,
  saved: { ratingKey: string; title: string; mode: SaveMode },
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('playlist_generations')
    .set({ playlist_rating_key: saved.ratingKey, playlist_title: saved.title, saved_mode: saved.mode, saved_at: now })
    .where('id', '=', id)
    .execute();
}

export async function getGeneration(db: Kysely<Database>, id: number): Promise<GenerationRow | undefined> {
  return db.selectFrom('playlist_generations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listGenerations(db: Kysely<Database>, limit = 50, before?: number): Promise<GenerationRow[]> {
  let query = db.selectFrom('playlist_generations').selectAll().orderBy('id', 'desc').limit(limit);
  if (before !== undefined) query = query.where('id', '<', before);
  return query.execute();
}

/** Σ characters sent and Σ input tokens reported per (provider, model): seeds the chars-per-token ratios. */
export async function measuredInputRatios(
  db: Kysely<Database>,
): Promise<{ provider: string; model: string; chars: number; tokens: number }[]> {
  const rows = await db.selectFrom('playlist_generations').select('calls').orderBy('id', 'desc').limit(500).execute();
  const sums = new Map<string, { provider: string; model: string; chars: number; tokens: number }>();
  for (const { calls } of rows) {
    for (const c of JSON.parse(calls) as { provider: string; model: string; inputChars?: number; inputTokens: number }[]) {
      if (!c.inputChars || !c.inputTokens) continue;
      const key = `${c.provider}\u0000${c.model}`;
      const s = sums.get(key) ?? { provider: c.provider, model: c.model, chars: 0, tokens: 0 };
      s.chars += c.inputChars;
      s.tokens += c.inputTokens;
      sums.set(key, s);
    }
  }
  return [...sums.values()];
}

/** Adds calls made before the generation (the UI's separate analysis step) to its row and totals. */
export async function addEarlierCalls(
  db: Kysely<Database>,
  id: number,
  calls: readonly { inputTokens: number; outputTokens: number; cost: number | null }[],
): Promise<void> {
  if (calls.length === 0) return;
  const row = await getGeneration(db, id);
  if (!row) return;
  const all = [...calls, ...(JSON.parse(row.calls) as typeof calls)];
  const cost =
    row.cost === null || calls.some((c) => c.cost === null)
      ? null
      : Math.round((row.cost + calls.reduce((s, c) => s + (c.cost ?? 0), 0)) * 1e6) / 1e6;
  await db
    .updateTable('playlist_generations')
    .set({
      calls: JSON.stringify(all),
      input_tokens: row.input_tokens + calls.reduce((s, c) => s + c.inputTokens, 0),
      output_tokens: row.output_tokens + calls.reduce((s, c) => s + c.outputTokens, 0),
      cost,
    })
    .where('id', '=', id)
    .execute();
}

export interface MonthCost {
  /** "YYYY-MM", UTC. */
  month: string;
  playlists: number;
  albums: number;
  /** Σ known costs, dollars. */
  cost: number;
  /** Rows whose model had no price (their cost is not in `cost`). */
  unpriced: number;
}

/** What the playlist generations and album recommendations cost per UTC month, newest month first. */
export async function costPerMonth(db: Kysely<Database>, months = 12): Promise<MonthCost[]> {
  const result = await sql<{ month: string; playlists: number; albums: number; cost: number | null; unpriced: number }>`
    SELECT month, SUM(kind = 'p') AS playlists, SUM(kind = 'a') AS albums, SUM(cost) AS cost,
           SUM(cost IS NULL) AS unpriced
    FROM (
      SELECT strftime('%Y-%m', created_at / 1000, 'unixepoch') AS month, 'p' AS kind, cost FROM playlist_generations
      UNION ALL
      SELECT strftime('%Y-%m', created_at / 1000, 'unixepoch') AS month, 'a' AS kind, cost FROM album_recommendations
    )
    GROUP BY month ORDER BY month DESC LIMIT ${months}`.execute(db);
  return result.rows.map((r) => ({
    month: r.month,
    playlists: Number(r.playlists),
    albums: Number(r.albums),
    cost: Math.round((r.cost ?? 0) * 1e6) / 1e6,
    unpriced: Number(r.unpriced),
  }));
}
