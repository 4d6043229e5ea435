// Recover (RATING-MODEL.md): rebuild Sagewire's state when it was lost, from what Plex still shows.
//   --from-tags:       items carrying the inferred tag
//   --from-fractional: items whose rating is not a whole point (opt-in: only Sagewire writes those)
//   --from-state-file: plex-rating-utils' plex_state.json {"version","library_uuid","ratings":{key:{r,t}}}
// An item is claimed only where Plex's current value matches (the file's value within 0.05; for tags and
// fractions, the cached value within 0.05) and is not a whole point — a whole point is something a person
// could have clicked. Items Sagewire already has state for are left as they are. Claims are journaled
// (`claim`, run kind `recover`); the claimed items then get the inferred tag through the writer.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EngineDeps } from './full-pass.js';
import { withWriterLease } from './full-pass.js';
import { cachedRatingsOf } from './library-snapshot.js';
import type { CurrentItem, ItemKind } from './rating-port.js';
import { reconcileJournal } from './reconcile.js';
import { sameRating } from './values.js';
import { RatingWriter } from './writer.js';

export interface RecoverSources {
  fromTags?: boolean;
  fromFractional?: boolean;
  /** Path of a plex-rating-utils plex_state.json. */
  stateFile?: string;
}

export type RecoverSkip = 'already-in-state' | 'deleted' | 'value-differs' | 'unrated' | 'whole-point';

export interface RecoverReport {
  runId: number | null;
  dryRun: boolean;
  candidates: number;
  claimed: Array<{ key: string; kind: ItemKind; value: number; source: string }>;
  skipped: Record<RecoverSkip, number>;
  tagsAdded: number;
}

const stateFileSchema = z.object({
  version: z.union([z.string(), z.number()]).optional(),
  library_uuid: z.string().optional().nullable(),
  ratings: z.record(z.string(), z.object({ r: z.number().min(0).max(10), t: z.number().int().optional() })),
});

export class RecoverInputError extends Error {
  readonly userFacing = true;
}

export function readStateFile(path: string): z.output<typeof stateFileSchema> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new RecoverInputError(`recover: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = stateFileSchema.safeParse(raw);
  if (!parsed.success) throw new RecoverInputError(`recover: ${path} is not a plex_state.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const isWholePoint = (v: number) => Math.abs(v - Math.round(v)) < 0.05;

export async function recoverState(deps: EngineDeps, sources: RecoverSources, options: { dryRun?: boolean; signal?: AbortSignal } = {}): Promise<RecoverReport> {
  const { store, port, inferredTag } = deps;
  // key → (expected value or null = take the cached value, source)
  const candidates = new Map<string, { expected: number | null; source: string }>();
  if (sources.stateFile) {
    const file = readStateFile(sources.stateFile);
    const sectionUuid = store.sqlite.prepare('select section_uuid from sync_state order by last_sync_at desc limit 1').pluck().get() as string | null | undefined;
    if (file.library_uuid && sectionUuid && file.library_uuid !== sectionUuid) {
      throw new RecoverInputError(`recover: ${sources.stateFile} belongs to library ${file.library_uuid}, not this one (${sectionUuid})`);
    }
    for (const [key, entry] of Object.entries(file.ratings)) candidates.set(key, { expected: entry.r, source: 'state-file' });
  }
  if (sources.fromTags && inferredTag) {
    for (const key of store.sqlite.prepare("select item_key from item_tags where kind = 'mood' and tag = ?").pluck().all(inferredTag) as string[]) {
      if (!candidates.has(key)) candidates.set(key, { expected: null, source: 'tag' });
    }
  }
  if (sources.fromFractional) {
    for (const table of ['artists', 'albums', 'tracks']) {
      const rows = store.sqlite.prepare(`select rating_key, user_rating from ${table} where user_rating is not null and abs(user_rating - round(user_rating)) >= 0.05`).raw().all() as [string, number][];
      for (const [key, rating] of rows) if (!candidates.has(key)) candidates.set(key, { expected: rating, source: 'fractional' });
    }
  }
  const cached = cachedRatingsOf(store.sqlite, [...candidates.keys()]);

  const work = async (): Promise<RecoverReport> => {
    if (!options.dryRun) await reconcileJournal(store, port);
    const report: RecoverReport = {
      runId: null, dryRun: Boolean(options.dryRun), candidates: candidates.size, claimed: [],
      skipped: { 'already-in-state': 0, deleted: 0, 'value-differs': 0, unrated: 0, 'whole-point': 0 }, tagsAdded: 0,
    };
    const keys = [...candidates.keys()].filter((key) => {
      if (store.state.get(key)) {
        report.skipped['already-in-state'] += 1;
        return false;
      }
      return true;
    });
    const claims: Array<{ key: string; kind: ItemKind; value: number; source: string }> = [];
    for (let i = 0; i < keys.length; i += deps.writer.batchSize) {
      const chunk = keys.slice(i, i + deps.writer.batchSize);
      const current = await port.readCurrent(chunk, options.signal);
      for (const key of chunk) {
        const verdict = judge(candidates.get(key)!, cached.get(key) ?? null, current.get(key));
        if (typeof verdict === 'string') report.skipped[verdict] += 1;
        else claims.push({ key, kind: verdict.kind, value: verdict.value, source: candidates.get(key)!.source });
      }
    }
    report.claimed = claims;
    if (options.dryRun || claims.length === 0) return report;
    const runId = store.runs.start('recover');
    report.runId = runId;
    store.journal.record(runId, claims.map((c) => ({ itemKey: c.key, kind: c.kind, operation: 'claim' as const, valueBefore: null, valueAfter: c.value, note: c.source })));
    const writer = new RatingWriter(store, port, deps.logger, { ...deps.writer, mode: 'rate', inferredTag, signal: options.signal });
    const outcome = await writer.execute(runId, claims.map((c) => ({ key: c.key, kind: c.kind, operation: 'check' as const, value: null, expected: c.value, authority: 'model' as const })));
    report.tagsAdded = outcome.tagsAdded;
    store.runs.finish(runId, 'done', { claimed: claims.length, tagsAdded: outcome.tagsAdded });
    return report;
  };
  return options.dryRun ? work() : withWriterLease(store, work);
}

function judge(candidate: { expected: number | null }, cached: number | null, now: CurrentItem | undefined): RecoverSkip | { kind: ItemKind; value: number } {
  if (!now) return 'deleted';
  if (now.rating === null) return 'unrated';
  const expected = candidate.expected ?? cached;
  if (expected === null || !sameRating(now.rating, expected)) return 'value-differs';
  if (isWholePoint(now.rating)) return 'whole-point';
  return { kind: now.kind, value: now.rating };
}
