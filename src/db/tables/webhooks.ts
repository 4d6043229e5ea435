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
  /** The payload as received (compact JSON); the thumb part is never stored. */
  payload: string;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  processed_at: number | null;
  /** What applying it did, for the UI's feed (e.g. `{"writes":3}` or `{"echo":true}`). */
  outcome: string | null;
  /** The engine run that holds this event's journaled writes (undo one event). */
  run_id: number | null;
}
