// Scheduled playlists: literal SQL per operation. The request stays JSON here; the scheduler parses it.
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { PlaylistScheduleTable, ScheduleRunStatus, ScheduleTrigger } from './tables/playlist-schedules.js';

export type ScheduleRow = Selectable<PlaylistScheduleTable>;
export type NewSchedule = Omit<Insertable<PlaylistScheduleTable>, 'id'>;

export async function insertSchedule(db: Kysely<Database>, row: NewSchedule): Promise<number> {
  const inserted = await db.insertInto('playlist_schedules').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function getSchedule(db: Kysely<Database>, id: number): Promise<ScheduleRow | undefined> {
  return db.selectFrom('playlist_schedules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSchedules(db: Kysely<Database>): Promise<ScheduleRow[]> {
  return db.selectFrom('playlist_schedules').selectAll().orderBy('id').execute();
}

/** True when there was such a schedule. History rows keep their schedule id (the page says it is gone). */
export async function deleteSchedule(db: Kysely<Database>, id: number): Promise<boolean> {
  const result = await db.deleteFrom('playlist_schedules').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function setNextRun(db: Kysely<Database>, id: number, nextRunAt: number | null): Promise<void> {
  await db.updateTable('playlist_schedules').set({ next_run_at: nextRunAt }).where('id', '=', id).execute();
}

export async function setPaused(db: Kysely<Database>, id: number, paused: boolean, nextRunAt: number | null): Promise<void> {
  await db
    .updateTable('playlist_schedules')
    .set({ paused: paused ? 1 : 0, next_run_at: nextRunAt })
    .where('id', '=', id)
    .execute();
}

export interface ScheduleRunRecord {
  at: number;
  status: ScheduleRunStatus;
  error: string | null;
  note: string | null;
  historyId: number | null;
  /** The playlist the run saved to (kept as it was when the run saved nothing). */
  target: { ratingKey: string; title: string } | null;
  nextRunAt: number | null;
}

export async function recordScheduleRun(db: Kysely<Database>, id: number, run: ScheduleRunRecord): Promise<void> {
  await db
    .updateTable('playlist_schedules')
    .set({
      last_run_at: run.at,
      last_status: run.status,
      last_error: run.error,
      last_note: run.note,
      last_history_id: run.historyId,
      next_run_at: run.nextRunAt,
      ...(run.target ? { playlist_rating_key: run.target.ratingKey, playlist_title: run.target.title } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Pins (JSON) or clears (null) what later runs add to the request instead of asking a model again. */
export async function setPinned(db: Kysely<Database>, id: number, pinned: string | null): Promise<void> {
  await db.updateTable('playlist_schedules').set({ pinned }).where('id', '=', id).execute();
}

export async function recordSkippedRun(db: Kysely<Database>, id: number, at: number): Promise<void> {
  await db
    .updateTable('playlist_schedules')
    .set({ skipped_runs: sql`skipped_runs + 1`, last_skipped_at: at })
    .where('id', '=', id)
    .execute();
}

/** The track keys of the schedule's last successful run (what the next run avoids), oldest run ignored. */
export async function previousRunKeys(db: Kysely<Database>, scheduleId: number): Promise<string[]> {
  const row = await db
    .selectFrom('playlist_generations')
    .select('result')
    .where('schedule_id', '=', scheduleId)
    .where('status', '=', 'done')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row?.result) return [];
  return (JSON.parse(row.result) as { tracks?: { ratingKey: string }[] }).tracks?.map((t) => t.ratingKey) ?? [];
}

/** The newest history row the schedule made at or after `since` (a failed generation records one too). */
export async function latestScheduledGeneration(db: Kysely<Database>, scheduleId: number, since: number): Promise<number | null> {
  const row = await db
    .selectFrom('playlist_generations')
    .select('id')
    .where('schedule_id', '=', scheduleId)
    .where('created_at', '>=', since)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Which of these history rows a schedule made, with why it ran and the schedule's name (null once deleted). */
export async function scheduleMarks(
  db: Kysely<Database>,
  generationIds: readonly number[],
): Promise<Map<number, { scheduleId: number; trigger: ScheduleTrigger | null; name: string | null }>> {
  if (generationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('playlist_generations as g')
    .leftJoin('playlist_schedules as s', 's.id', 'g.schedule_id')
    .select(['g.id', 'g.schedule_id', 'g.schedule_trigger', 's.name'])
    .where('g.id', 'in', generationIds)
    .where('g.schedule_id', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.id, { scheduleId: r.schedule_id!, trigger: r.schedule_trigger, name: r.name }]));
}
