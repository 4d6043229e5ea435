// Album recommendation history: one row per recommendation (questions alone are not recorded). JSON
// columns hold the request as sent, every provider call and the albums shown.
import type { Generated } from 'kysely';

export interface AlbumRecommendationTable {
  id: Generated<number>;
  /** Epoch milliseconds. */
  created_at: number;
  mode: 'library' | 'discovery';
  familiarity: string;
  /** JSON: {prompt, answers, filters, exclude}. */
  request: string;
  provider: string;
  /** The recommending model. */
  model: string;
  /** JSON array: [{role, provider, model, inputTokens, outputTokens, inputChars, cost}]. */
  calls: string;
  input_tokens: number;
  output_tokens: number;
  /** Dollars; null when a model had no price. */
  cost: number | null;
  status: 'done' | 'failed';
  error: string | null;
  /** JSON: {albums: [{ratingKey?, title, artist, year, pitch, inLibrary, filled}], warnings}. */
  result: string | null;
}
