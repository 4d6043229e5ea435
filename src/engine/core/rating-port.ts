// What the rating engine needs from Plex, and nothing more: read the current rating and moods of many
// items at once, rate one item, rate (or clear) many items to one value, and add or remove a mood on many items.
// The real client is adapted in plex-rating-port.ts; tests may hand in any implementation.
import type { ItemKind } from '../../db/tables/engine.js';

export type { ItemKind };

export interface CurrentItem {
  kind: ItemKind;
  /** Plex's userRating in points; null when unrated. */
  rating: number | null;
  moods: readonly string[];
}

export interface RatingWriterPort {
  /** The items that still exist, by key; a key missing from the result was deleted from Plex. */
  readCurrent(keys: readonly string[], signal?: AbortSignal): Promise<Map<string, CurrentItem>>;
  /** `/:/rate`: sets (0–10) or clears (null) one item's rating. */
  rate(key: string, value: number | null): Promise<void>;
  /**
   * One several-id `userRating.value` edit (null clears); used only after a probe showed the server
   * treats it like `/:/rate` (setting and clearing are probed separately).
   */
  bulkRate(kind: ItemKind, keys: readonly string[], value: number | null): Promise<void>;
  /** Adds and/or removes moods on every key (never an edit without ids), keeping their other moods. */
  editMoods(kind: ItemKind, keys: readonly string[], change: { add?: readonly string[]; remove?: readonly string[] }): Promise<void>;
}
