// Recover (RATING-MODEL.md): rebuild Sagewire's state when it was lost, from what Plex still shows.
//   --from-tags:       items carrying the inferred tag
//   --from-fractional: items whose rating is not a whole point (opt-in: only Sagewire writes those)
//   --from-state-file: plex-rating-utils' plex_state.json {"version","library_uuid","ratings":{key:{r,t}}}
// An item is claimed only where Plex's current value matches (the file's value within 0.05; for tags and
// fractions, the cached value within 0.05) and is not a whole point — a whole point is something a person
// could have clicked. Items Sagewire already has state for are left as they are. Claims are journaled
// (`claim`, run kind `recover`); the claimed items then get the inferred tag through the writer.
// A state file is bounded (STATE_FILE_LIMITS) and its keys are checked against the library cache before
// Plex is asked anything: a key the cache does not know as an artist, album or track of the music section
// is skipped as `unknown` without a request (and its entry is not even validated), so Plex reads and the
// work per key are bounded by the library, not by the file.
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import type { EngineDeps } from '../pass/full-pass.js';
import { withWriterLease } from '../pass/full-pass.js';
import { cachedKindsOf, cachedRatingsOf, fractionalRatingRows, iterateItemKeys, moodTaggedKeys } from '../../db/library-snapshot-reads.js';
import { latestSectionUuid } from '../../db/sync-state-reads.js';
import type { CurrentItem, ItemKind } from '../core/rating-port.js';
import { reconcileJournal } from '../writer/reconcile.js';
import { sameRating } from '../core/values.js';
import { RatingWriter } from '../writer/writer.js';

export interface RecoverSources {
  fromTags?: boolean;
  fromFractional?: boolean;
  /** Path of a plex-rating-utils plex_state.json. */
  stateFile?: string;
}

export type RecoverSkip = 'unknown' | 'already-in-state' | 'deleted' | 'value-differs' | 'unrated' | 'whole-point';

/**
 * The largest plex_state.json recover reads. A library of 300,000 tracks writes about 12 MB and 350,000
 * keys; anything past these is not a state file of one library: a larger file is refused before it is
 * read, more keys before any entry is looked at.
 */
export const STATE_FILE_LIMITS = { bytes: 64 * 1024 * 1024, keys: 1_000_000 } as const;
export type StateFileLimits = { bytes: number; keys: number };

export interface RecoverReport {
  runId: number | null;
  dryRun: boolean;
  candidates: number;
  claimed: Array<{ key: string; kind: ItemKind; value: number; source: string }>;
  skipped: Record<RecoverSkip, number>;
  tagsAdded: number;
}

// The envelope only: `z.record` over a million keys takes seconds, and most keys may be skipped unseen.
const stateFileSchema = z.object({
  version: z.union([z.string(), z.number()]).optional(),
  library_uuid: z.string().optional().nullable(),
  ratings: z.custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), {
    message: 'expected an object of ratings by key',
  }),
});
const stateEntrySchema = z.object({ r: z.number().min(0).max(10), t: z.number().int().optional() });

export type StateFile = z.output<typeof stateFileSchema>;

export class RecoverInputError extends Error {
  readonly userFacing = true;
}

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${bytes} bytes`);

/** The file's envelope, within the limits; entries are validated by `stateFileEntry` as they are used. */
export function readStateFile(path: string, limits: StateFileLimits = STATE_FILE_LIMITS): StateFile {
  let raw: unknown;
  try {
    const { size } = statSync(path);
    if (size > limits.bytes)
      throw new RecoverInputError(`recover: ${path} is ${sizeText(size)}; a plex_state.json may be at most ${sizeText(limits.bytes)}`);
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    if (err instanceof RecoverInputError) throw err;
    throw new RecoverInputError(`recover: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const ratings = (raw as { ratings?: unknown } | null)?.ratings;
  const count = ratings !== null && typeof ratings === 'object' ? Object.keys(ratings).length : 0;
  if (count > limits.keys)
    throw new RecoverInputError(
      `recover: ${path} has ${count.toLocaleString('en')} ratings; a plex_state.json may hold at most ${limits.keys.toLocaleString('en')}`,
    );
  const parsed = stateFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new RecoverInputError(
      `recover: ${path} is not a plex_state.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** One entry of a state file, or an error naming the file, the key and what is wrong. */
export function stateFileEntry(path: string, file: StateFile, key: string): { r: number } {
  const parsed = stateEntrySchema.safeParse(file.ratings[key]);
  if (!parsed.success)
    throw new RecoverInputError(
      `recover: ${path} is not a plex_state.json: ` +
        `${parsed.error.issues.map((i) => `${['ratings', key, ...i.path].join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The kind of each key the library cache knows (a long list: one scan of the cache beats a lookup per key). */
function knownKinds(sqlite: EngineDeps['store']['sqlite'], keys: readonly string[]): Map<string, ItemKind> {
  if (keys.length <= 20_000) return cachedKindsOf(sqlite, keys);
  const all = new Map<string, ItemKind>();
  for (const kind of ['artist', 'album', 'track'] as const) {
    for (const key of iterateItemKeys(sqlite, kind)) all.set(key, kind);
  }
  const out = new Map<string, ItemKind>();
  for (const key of keys) {
    const kind = all.get(key);
    if (kind) out.set(key, kind);
  }
  return out;
}

const isWholePoint = (v: number) => Math.abs(v - Math.round(v)) < 0.05;

export async function recoverState(
  deps: EngineDeps,
  sources: RecoverSources,
  options: { dryRun?: boolean; signal?: AbortSignal; stateFileLimits?: StateFileLimits } = {},
): Promise<RecoverReport> {
  const { store, port, inferredTag } = deps;
  // key → (expected value or null = take the cached value, source)
  const candidates = new Map<string, { expected: number | null; source: string }>();
  let unknown = 0;
  if (sources.stateFile) {
    const file = readStateFile(sources.stateFile, options.stateFileLimits);
    const sectionUuid = latestSectionUuid(store.sqlite);
    if (file.library_uuid && sectionUuid && file.library_uuid !== sectionUuid) {
      throw new RecoverInputError(`recover: ${sources.stateFile} belongs to library ${file.library_uuid}, not this one (${sectionUuid})`);
    }
    const keys = Object.keys(file.ratings);
    const known = knownKinds(store.sqlite, keys);
    for (const key of keys) {
      if (known.has(key)) candidates.set(key, { expected: stateFileEntry(sources.stateFile, file, key).r, source: 'state-file' });
      else unknown += 1;
    }
  }
  if (sources.fromTags && inferredTag) {
    for (const key of moodTaggedKeys(store.sqlite, inferredTag)) {
      if (!candidates.has(key)) candidates.set(key, { expected: null, source: 'tag' });
    }
  }
  if (sources.fromFractional) {
    for (const kind of ['artist', 'album', 'track'] as const) {
      for (const [key, rating] of fractionalRatingRows(store.sqlite, kind))
        if (!candidates.has(key)) candidates.set(key, { expected: rating, source: 'fractional' });
    }
  }
  const cached = cachedRatingsOf(store.sqlite, [...candidates.keys()]);

  const work = async (): Promise<RecoverReport> => {
    if (!options.dryRun) await reconcileJournal(store, port);
    const report: RecoverReport = {
      runId: null,
      dryRun: Boolean(options.dryRun),
      candidates: candidates.size + unknown,
      claimed: [],
      skipped: { unknown, 'already-in-state': 0, deleted: 0, 'value-differs': 0, unrated: 0, 'whole-point': 0 },
      tagsAdded: 0,
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
    store.journal.record(
      runId,
      claims.map((c) => ({
        itemKey: c.key,
        kind: c.kind,
        operation: 'claim' as const,
        valueBefore: null,
        valueAfter: c.value,
        note: c.source,
      })),
    );
    const writer = new RatingWriter(store, port, deps.logger, { ...deps.writer, mode: 'rate', inferredTag, signal: options.signal });
    const outcome = await writer.execute(
      runId,
      claims.map((c) => ({
        key: c.key,
        kind: c.kind,
        operation: 'check' as const,
        value: null,
        expected: c.value,
        authority: 'model' as const,
      })),
    );
    report.tagsAdded = outcome.tagsAdded;
    store.runs.finish(runId, 'done', { claimed: claims.length, tagsAdded: outcome.tagsAdded });
    return report;
  };
  return options.dryRun ? work() : withWriterLease(store, work);
}

function judge(
  candidate: { expected: number | null },
  cached: number | null,
  now: CurrentItem | undefined,
): RecoverSkip | { kind: ItemKind; value: number } {
  if (!now) return 'deleted';
  if (now.rating === null) return 'unrated';
  const expected = candidate.expected ?? cached;
  if (expected === null || !sameRating(now.rating, expected)) return 'value-differs';
  if (isWholePoint(now.rating)) return 'whole-point';
  return { kind: now.kind, value: now.rating };
}
