// What needs the person's attention on the Ratings page: dead-lettered webhook events (retriable) and items
// opted out of inference (re-enable), with names from the library cache.
import type { Kysely } from 'kysely';
import { deadInboxEvents } from '../../db/inbox-reads.js';
import { optedOutItemsPage } from '../../db/opt-out-reads.js';
import type { Database } from '../../db/schema.js';

export interface DeadEvent {
  id: number;
  receivedAt: number;
  event: string;
  itemKey: string | null;
  itemType: string | null;
  attempts: number;
  lastError: string | null;
}

export interface OptedOutItem {
  key: string;
  kind: string;
  title: string;
  context: string;
  since: number;
}

export async function deadEvents(db: Kysely<Database>, limit = 100): Promise<{ total: number; events: DeadEvent[] }> {
  const { total, rows } = await deadInboxEvents(db, limit);
  return {
    total,
    events: rows.map((r) => ({
      id: r.id,
      receivedAt: r.received_at,
      event: r.event,
      itemKey: r.item_key,
      itemType: r.item_type,
      attempts: r.attempts,
      lastError: r.last_error,
    })),
  };
}

export async function optedOutItems(db: Kysely<Database>, limit = 200): Promise<{ total: number; items: OptedOutItem[] }> {
  const { total, rows } = await optedOutItemsPage(db, limit);
  return { total, items: rows };
}
