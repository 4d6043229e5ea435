// The rating engine's tables: Sagewire's claims on ratings, its runs, and the journal of every Plex write.
// Ratings are Plex points (0–10); `null` means unrated.
import type { Generated } from 'kysely';

export type ItemKind = 'artist' | 'album' | 'track';

/**
 * An item Sagewire has a claim on. `written_value` set: Sagewire wrote that value (the item is `inferred`
 * while Plex still holds it within 0.05). `opted_out` = 1: the person cleared a value Sagewire wrote.
 * Items without a row are `manual` (rated) or `unrated`.
 */
export interface RatingStateTable {
  item_key: string;
  kind: ItemKind;
  written_value: number | null;
  opted_out: number;
  run_id: number | null;
  updated_at: number;
}

export type RunKind = 'full' | 'dry' | 'undo' | 'event' | 'verify-fix' | 'recover' | 'import' | 'opt_in';
export type RunStatus = 'running' | 'done' | 'cancelled' | 'failed';

export interface EngineRunTable {
  id: Generated<number>;
  kind: RunKind;
  status: RunStatus;
  started_at: number;
  finished_at: number | null;
  mu: number | null;
  epsilon: number | null;
  /** `rate` or `bulk`, as chosen for this run. */
  write_mode: string | null;
  /** JSON object of counts (planned, written, driftSkipped, takeovers, …). */
  counts: string | null;
  /** The webhook event this run applied (one run per event, so one event can be undone). */
  event_id: number | null;
  /** For an undo run: the run it undid (null for "all"). */
  undoes_run_id: number | null;
  error: string | null;
  /** JSON: the model the run computed with (domain ModelFit, or {chosen, constants} for an event's run). */
  model: string | null;
}

/**
 * - `rate`: Sagewire writes its own (inferred) value. `rate_manual`: a value the person asked for (import).
 * - `clear`: the rating is removed (undo). `tag_add` / `tag_remove`: the inferred mood tag.
 * - `adopt`: the person took an inferred rating over (no Plex write). `opt_out`: the person cleared one.
 * - `claim`: recover took an existing value as Sagewire's. `forget`: state dropped (item deleted from Plex).
 */
export type JournalOperation = 'rate' | 'rate_manual' | 'clear' | 'tag_add' | 'tag_remove' | 'adopt' | 'opt_out' | 'claim' | 'forget';
export type JournalStatus = 'pending' | 'applied' | 'dropped';

export interface WriteJournalTable {
  id: Generated<number>;
  run_id: number;
  item_key: string;
  kind: ItemKind;
  operation: JournalOperation;
  value_before: number | null;
  value_after: number | null;
  tag: string | null;
  status: JournalStatus;
  /** Why a row was dropped, or what a state-only row means. */
  note: string | null;
  created_at: number;
  resolved_at: number | null;
  undone_by_run_id: number | null;
}

/** A named lease: who may write to Plex right now. Stale when the heartbeat is old. */
export interface EngineLeaseTable {
  name: string;
  owner: string;
  pid: number;
  heartbeat_at: number;
}
