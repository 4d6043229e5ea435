// Scheduled playlists: one row per schedule, the request as the JSON API takes it (without `save`), the
// Plex playlist it regenerates (null until the first run creates it) and what the last run did.
import type { Generated } from 'kysely';

export type ScheduleRunStatus = 'done' | 'failed';
/** Why a scheduled generation ran: its cron tick, a catch-up for a tick missed while down, or "run now". */
export type ScheduleTrigger = 'tick' | 'missed' | 'manual';

export interface PlaylistScheduleTable {
  id: Generated<number>;
  name: string;
  cron: string;
  /** IANA zone the cron expression is read in. */
  timezone: string;
  /** JSON: the body of POST /api/playlists/generate without `save`. */
  request: string;
  playlist_rating_key: string | null;
  playlist_title: string | null;
  /** 0 or 1. */
  paused: Generated<number>;
  /** Epoch milliseconds, like every time below. */
  created_at: number;
  /** The tick the schedule waits for; left in place while its run goes, so a run cut short by a stop is
   *  caught up at the next start. Null while paused. */
  next_run_at: number | null;
  last_run_at: number | null;
  last_status: ScheduleRunStatus | null;
  last_error: string | null;
  /** What the last run did besides the usual (a playlist deleted in Plex made again). */
  last_note: string | null;
  last_history_id: number | null;
  /** Ticks that came while the schedule's previous run was still going. */
  skipped_runs: Generated<number>;
  last_skipped_at: number | null;
  /** JSON: what a run adds to the request instead of asking a model again — `{filters}` (a prompt's
   *  analysis) or `{keep}` (a seed's description). Null: the next run reads the request afresh. */
  pinned: Generated<string | null>;
}
