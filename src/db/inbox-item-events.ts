// The inbox read by item, for the live engine: the rating events of one item that arrived after a given
// event (a later act of the person's supersedes an earlier one). A range scan from that event's id.
import type SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { WebhookEventTable } from './tables/webhooks.js';

export function laterRatingEvents(sqlite: SQLite.Database, itemKey: string, afterId: number): Array<Selectable<WebhookEventTable>> {
  return sqlite
    .prepare(
      "select * from webhook_events where id > ? and item_key = ? and event in ('media.rate', 'poll.rate') " +
        "and status != 'ignored' order by id",
    )
    .all(afterId, itemKey) as Array<Selectable<WebhookEventTable>>;
}
