// The pages' read models for the CLI's `explain` and `report`: the rating model built from the library cache
// and Sagewire's state (no Plex needed: it is the library as of the last sync), and the same item view and
// reports the Explorer and Reports pages show.
import type { Config } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { itemView, type ItemView } from '../web/read-models/explain.js';
import { computeReports, type Reports } from '../web/read-models/reports.js';
import { buildRatingModel, type RatingModel } from '../web/read-models/ui-model.js';
import { ratingParams } from './engine.js';

export interface RatingReadModels {
  /** The model as a full pass would compute it now. */
  readonly model: RatingModel;
  /** One item as the Explorer shows it, by rating key; null when the cache does not hold it. */
  explain(key: string): ItemView | null;
  reports(): Promise<Reports>;
  close(): Promise<void>;
}

export async function openRatingReadModels(config: Config): Promise<RatingReadModels> {
  const handle = await openDatabase(config.dbPath);
  try {
    const model = buildRatingModel(handle.sqlite, ratingParams(config));
    return {
      model,
      explain: (key) => itemView(model, handle.sqlite, key),
      reports: () => computeReports(model),
      close: () => handle.close(),
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
