// The webhook inbox: every delivery Plex makes is committed here before it is acknowledged.
import type { Generated } from 'kysely';

export type WebhookStatus = 'pending' | 'processing' | 'done' | 'ignored' | 'dead';

export interface WebhookEventTable {
  id: Generated<number>;
  received_at: number;
  /** `media.rate`, `library.new`, … as Plex named it. */
  event: string;
  status: WebhookStatus;
  /** Why an event was ignored (`not-music`, `other-server`, `other-account`, `unsupported-event`, …). */
  ignore_reason: string | null;
  item_key: string | null;
  item_type: string | null;
  /** The rating the payload carried, in points; null when cleared or absent. */
  rating: number | null;
  account_id: number | null;
  server_uuid: string | null;
  /**
   * What is kept of the payload: a BLOB holding the fields Sagewire reads or shows, compressed (read it
   * with readStoredPayload, webhooks/stored-payload); rows stored before that form hold the payload's text.
   * The thumb part is never stored. '' once dropped: at once for ignored events and Sagewire's own echoes,
   * after INBOX_RETENTION_DAYS for other processed events. (The column is declared text; SQLite keeps a
   * BLOB in it as it is.)
   */
  payload: Buffer | string;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  processed_at: number | null;
  /** What applying it did, for the UI's feed (e.g. `{"writes":3}` or `{"echo":true}`). */
  outcome: string | null;
  /** The engine run that holds this event's journaled writes (undo one event). */
  run_id: number | null;
  /** The receiver spool's id of the event (what Plex's answer named); null for rows written here directly. */
  receipt_id: number | null;
}

/** Counts of inbox rows deleted by retention, so totals by status and ignored reason survive the deletes. */
export interface WebhookEventTotalTable {
  status: WebhookStatus;
  /** '' for statuses without a reason. */
  ignore_reason: string;
  events: number;
  last_received_at: number | null;
}
