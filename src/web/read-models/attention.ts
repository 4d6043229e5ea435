// What needs the person's attention on the Ratings page: dead-lettered webhook events (retriable) and items
// opted out of inference (re-enable), with names from the library cache.
import type SQLite from 'better-sqlite3';

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

export function deadEvents(sqlite: SQLite.Database, limit = 100): { total: number; events: DeadEvent[] } {
  const total = sqlite.prepare("select count(*) from webhook_events where status = 'dead'").pluck().get() as number;
  const rows = sqlite
    .prepare("select id, received_at, event, item_key, item_type, attempts, last_error from webhook_events where status = 'dead' order by id desc limit ?")
    .all(limit) as Array<{ id: number; received_at: number; event: string; item_key: string | null; item_type: string | null; attempts: number; last_error: string | null }>;
  return { total, events: rows.map((r) => ({ id: r.id, receivedAt: r.received_at, event: r.event, itemKey: r.item_key, itemType: r.item_type, attempts: r.attempts, lastError: r.last_error })) };
}

export function optedOutItems(sqlite: SQLite.Database, limit = 200): { total: number; items: OptedOutItem[] } {
  const total = sqlite.prepare('select count(*) from rating_state where opted_out = 1').pluck().get() as number;
  const rows = sqlite
    .prepare(
      `select s.item_key as key, s.kind, s.updated_at as since,
         coalesce(t.title, al.title, ar.title, s.item_key) as title,
         coalesce(t.artist_title || ' — ' || t.album_title, al.artist_title, '') as context
       from rating_state s
       left join tracks t on s.kind = 'track' and t.rating_key = s.item_key
       left join albums al on s.kind = 'album' and al.rating_key = s.item_key
       left join artists ar on s.kind = 'artist' and ar.rating_key = s.item_key
       where s.opted_out = 1 order by s.updated_at desc limit ?`,
    )
    .all(limit) as OptedOutItem[];
  return { total, items: rows };
}
