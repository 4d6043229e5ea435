// What the notifier reads: events that happened since its cursor, with the items' titles from the library
// cache. Dead-lettered events and failed runs are found by the time they settled (a row's id says nothing
// of when it died), takeovers by the journal's id, scheduled runs by each schedule's last-run fields.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface DeadRow {
  id: number;
  event: string;
  item_key: string | null;
  item_type: string | null;
  attempts: number;
  last_error: string | null;
  at: number;
}

/** Dead-lettered inbox rows settled after `since` (epoch ms). */
export async function deadEventsSince(db: Kysely<Database>, since: number, limit = 500): Promise<DeadRow[]> {
  const rows = await db
    .selectFrom('webhook_events')
    .select(['id', 'event', 'item_key', 'item_type', 'attempts', 'last_error', 'processed_at'])
    .where('status', '=', 'dead')
    .where('processed_at', '>', since)
    .orderBy('processed_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(({ processed_at, ...row }) => ({ ...row, at: processed_at ?? since }));
}

export interface FailedRunRow {
  id: number;
  kind: string;
  error: string | null;
  at: number;
}

/**
 * Runs that ended failed after `since` (interrupted ones are marked failed with "interrupted" when the next
 * writer starts). A webhook event's own run is left out: its event is retried, and dead-lettered in the end.
 */
export async function failedRunsSince(db: Kysely<Database>, since: number, limit = 500): Promise<FailedRunRow[]> {
  const rows = await db
    .selectFrom('engine_runs')
    .select(['id', 'kind', 'error', 'finished_at'])
    .where('status', '=', 'failed')
    .where('kind', '!=', 'event')
    .where('finished_at', '>', since)
    .orderBy('finished_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(({ finished_at, ...row }) => ({ ...row, at: finished_at ?? since }));
}

export interface TakeoverRow {
  id: number;
  item_key: string;
  kind: string;
  value_before: number | null;
  value_after: number | null;
  created_at: number;
}

/** Takeovers (journal `adopt` rows: the person re-rated an item Sagewire had written) after journal row `afterId`. */
export async function takeoversAfter(db: Kysely<Database>, afterId: number, limit = 500): Promise<TakeoverRow[]> {
  return db
    .selectFrom('write_journal')
    .select(['id', 'item_key', 'kind', 'value_before', 'value_after', 'created_at'])
    .where('operation', '=', 'adopt')
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** The newest journal row's id (0 when empty): where a new cursor starts. */
export async function lastJournalId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('write_journal')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

export interface ScheduleRunRow {
  id: number;
  name: string;
  created_at: number;
  last_run_at: number | null;
  last_status: 'done' | 'failed' | null;
  last_error: string | null;
  last_history_id: number | null;
  playlist_title: string | null;
}

export async function scheduleRuns(db: Kysely<Database>): Promise<ScheduleRunRow[]> {
  return db
    .selectFrom('playlist_schedules')
    .select(['id', 'name', 'created_at', 'last_run_at', 'last_status', 'last_error', 'last_history_id', 'playlist_title'])
    .orderBy('id')
    .execute();
}

/** Titles of cached items by rating key ("Artist – Title" for albums and tracks). */
export async function itemTitles(db: Kysely<Database>, keys: readonly string[]): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const [artists, albums, tracks] = await Promise.all([
      db.selectFrom('artists').select(['rating_key', 'title']).where('rating_key', 'in', chunk).execute(),
      db.selectFrom('albums').select(['rating_key', 'title', 'artist_title']).where('rating_key', 'in', chunk).execute(),
      db.selectFrom('tracks').select(['rating_key', 'title', 'artist_title']).where('rating_key', 'in', chunk).execute(),
    ]);
    for (const a of artists) titles.set(a.rating_key, a.title);
    for (const a of [...albums, ...tracks]) titles.set(a.rating_key, `${a.artist_title} – ${a.title}`);
  }
  return titles;
}
