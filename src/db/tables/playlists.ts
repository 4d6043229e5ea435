// Playlist generation history: one row per generation, saved or not. JSON columns hold the
// request as sent, the filters as applied, every provider call and the resulting track list.
import type { Generated } from 'kysely';
import type { ScheduleTrigger } from './playlist-schedules.js';

export type GenerationKind = 'prompt' | 'seed';
export type GenerationStatus = 'done' | 'failed';
export type SaveMode = 'create' | 'replace' | 'append';

export interface PlaylistGenerationTable {
  id: Generated<number>;
  /** Epoch milliseconds. */
  created_at: number;
  kind: GenerationKind;
  /** JSON: {prompt | seedRatingKey, count, provider, model, budget}. */
  request: string;
  /** JSON FilterSpec as applied (after analysis and resolution). */
  filters: string;
  provider: string;
  /** The generation model. */
  model: string;
  /** JSON array: [{role, provider, model, inputTokens, outputTokens, inputChars, cost}]. */
  calls: string;
  input_tokens: number;
  output_tokens: number;
  /** Dollars; null when a model had no price. */
  cost: number | null;
  status: GenerationStatus;
  error: string | null;
  title: string | null;
  description: string | null;
  /** JSON: {tracks: [{ratingKey, title, artist, album, reason, filled}], stats}. */
  result: string | null;
  playlist_rating_key: string | null;
  playlist_title: string | null;
  saved_mode: SaveMode | null;
  saved_at: number | null;
  /** The schedule that ran this generation, and why it ran; null for the pages' and the API's own. */
  schedule_id: number | null;
  schedule_trigger: ScheduleTrigger | null;
}
