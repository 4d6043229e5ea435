// Ratings as CSV: export (ratingKey, names for context, rating in stars, ownership) and import (only
// ratingKey, rating and ownership matter). Import validates every row first and reports each problem by
// line; nothing is applied unless every row is valid or the caller asks to apply the valid ones.
//   manual   → written as the person's own value (whole points allowed), journaled `rate_manual`
//   inferred → written on the grid as Sagewire's, journaled `rate` — never over a manual or opted-out item
//   unrated  → Sagewire's value cleared; a manual rating is kept (clear it in Plex)
// Cells go through domain/csv-cell: names are text (a name a spreadsheet would run as a formula gets a
// quote in front, taken off again on import); year and rating are numbers.
import { parseCsv, toCsv, type CsvCell } from '../../domain/csv-cell.js';
import { deriveOwnership, gridValue } from '../../domain/rating/index.js';
import type { EngineDeps } from '../pass/full-pass.js';
import { withWriterLease } from '../pass/full-pass.js';
import { cachedKindsOf, cachedRatingsOf } from '../../db/library-snapshot-reads.js';
import { ratingsExportRows, type ExportedKind } from '../../db/ratings-export-reads.js';
import type { ItemKind } from '../core/rating-port.js';
import { reconcileJournal } from '../writer/reconcile.js';
import { sameRating } from '../core/values.js';
import { RatingWriter, type ItemResult, type WriteIntent } from '../writer/writer.js';

export type ExportType = ExportedKind;
export const CSV_COLUMNS = ['ratingKey', 'artist', 'album', 'title', 'year', 'rating', 'ownership'] as const;
type CsvOwnership = 'manual' | 'inferred' | 'unrated';

const stars = (points: number) => Number((points / 2).toFixed(3));

export function exportRatingsCsv(deps: Pick<EngineDeps, 'store'>, type: ExportType): string {
  const claims = deps.store.state.loadAll();
  const rows = ratingsExportRows(deps.store.sqlite, type);
  const out: CsvCell[][] = [[...CSV_COLUMNS]];
  for (const [key, artist, album, title, year, rating] of rows) {
    const claim = claims.get(key);
    const { ownership } = deriveOwnership({ written: claim?.writtenValue ?? null, optedOut: claim?.optedOut ?? false, current: rating });
    const shown: CsvOwnership = ownership === 'opted_out' ? 'unrated' : ownership;
    out.push([key, artist, type === 'albums' ? title : album, title, year ?? '', rating === null ? '' : stars(rating), shown]);
  }
  return toCsv(out);
}

export interface ImportProblem {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  ratingKey: string | null;
  message: string;
}

export interface ImportRow {
  line: number;
  key: string;
  kind: ItemKind;
  ownership: CsvOwnership;
  /** Points (stars × 2); null for unrated. */
  points: number | null;
}

export interface ImportCheck {
  rows: ImportRow[];
  problems: ImportProblem[];
}

/** Parses and validates a CSV file's text against the library cache. Never throws for bad content. */
export function checkImportCsv(deps: Pick<EngineDeps, 'store'>, text: string): ImportCheck {
  const problems: ImportProblem[] = [];
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (err) {
    return {
      rows: [],
      problems: [{ line: 0, ratingKey: null, message: `not readable as CSV: ${err instanceof Error ? err.message : String(err)}` }],
    };
  }
  if (records.length === 0) return { rows: [], problems: [{ line: 1, ratingKey: null, message: 'the file is empty' }] };
  const header = records[0];
  const column = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const at = { key: column('ratingKey'), rating: column('rating'), ownership: column('ownership') };
  const missing = Object.entries({ ratingKey: at.key, rating: at.rating, ownership: at.ownership })
    .filter(([, i]) => i < 0)
    .map(([n]) => n);
  if (missing.length > 0) {
    return {
      rows: [],
      problems: [
        { line: 1, ratingKey: null, message: `bad header: missing column(s) ${missing.join(', ')} (expected ${CSV_COLUMNS.join(',')})` },
      ],
    };
  }
  const body = records.slice(1);
  const kinds = cachedKindsOf(
    deps.store.sqlite,
    body.map((r) => r[at.key] ?? ''),
  );
  const seen = new Set<string>();
  const rows: ImportRow[] = [];
  // Each row is a valid row or one problem naming its line; a bad row never hides the rows behind it.
  const checkRow = (record: string[], line: number, key: string): ImportRow | string => {
    if (!key) return 'ratingKey is empty';
    const kind = kinds.get(key);
    if (!kind) return `unknown ratingKey "${key}" (not in the library cache; run sagewire sync?)`;
    if (seen.has(key)) return `ratingKey "${key}" appears more than once`;
    seen.add(key);
    const ownership = (record[at.ownership] ?? '').trim().toLowerCase();
    if (ownership !== 'manual' && ownership !== 'inferred' && ownership !== 'unrated')
      return `ownership "${record[at.ownership] ?? ''}" must be manual, inferred or unrated`;
    const rawRating = (record[at.rating] ?? '').trim();
    if (ownership === 'unrated') {
      if (rawRating !== '') return `an unrated row must have an empty rating (got "${rawRating}")`;
      return { line, key, kind, ownership, points: null };
    }
    const value = Number(rawRating);
    if (rawRating === '' || !Number.isFinite(value)) return `rating "${rawRating}" is not a number of stars`;
    if (value <= 0 || value > 5) return `rating ${rawRating} is out of range (0 < stars ≤ 5)`;
    return { line, key, kind, ownership, points: Math.round(value * 2 * 1000) / 1000 };
  };
  for (const [i, record] of body.entries()) {
    const line = i + 2;
    const key = (record[at.key] ?? '').trim();
    const checked = checkRow(record, line, key);
    if (typeof checked === 'string') problems.push({ line, ratingKey: key || null, message: checked });
    else rows.push(checked);
  }
  return { rows, problems };
}

export interface ImportResult {
  runId: number | null;
  applied: boolean;
  problems: ImportProblem[];
  valid: number;
  written: number;
  unchanged: number;
  skipped: Array<{ line: number; ratingKey: string; reason: string }>;
}

export async function importRatingsCsv(
  deps: EngineDeps,
  text: string,
  options: { applyValid?: boolean; dryRun?: boolean; signal?: AbortSignal } = {},
): Promise<ImportResult> {
  const check = checkImportCsv(deps, text);
  const result: ImportResult = {
    runId: null,
    applied: false,
    problems: check.problems,
    valid: check.rows.length,
    written: 0,
    unchanged: 0,
    skipped: [],
  };
  if ((check.problems.length > 0 && !options.applyValid) || options.dryRun || check.rows.length === 0) return result;

  return withWriterLease(deps.store, async () => {
    await reconcileJournal(deps.store, deps.port);
    const claims = deps.store.state.loadAll();
    const current = cachedRatingsOf(
      deps.store.sqlite,
      check.rows.map((r) => r.key),
    );
    const intents: WriteIntent[] = [];
    const lineOf = new Map<string, number>();
    for (const row of check.rows) {
      const claim = claims.get(row.key);
      const now = current.get(row.key) ?? null;
      const { ownership } = deriveOwnership({ written: claim?.writtenValue ?? null, optedOut: claim?.optedOut ?? false, current: now });
      const skip = (reason: string) => result.skipped.push({ line: row.line, ratingKey: row.key, reason });
      lineOf.set(row.key, row.line);
      if (row.ownership === 'manual') {
        if (ownership === 'manual' && sameRating(now, row.points)) result.unchanged += 1;
        else
          intents.push({ key: row.key, kind: row.kind, operation: 'rate_manual', value: row.points, expected: now, authority: 'person' });
      } else if (row.ownership === 'inferred') {
        const value = gridValue(row.points!, deps.params.grid);
        if (ownership === 'manual') skip('the item has a manual rating; it is kept');
        else if (ownership === 'opted_out') skip('the person opted this item out');
        else if (ownership === 'inferred' && sameRating(now, value)) result.unchanged += 1;
        else intents.push({ key: row.key, kind: row.kind, operation: 'rate', value, expected: now, authority: 'model' });
      } else if (ownership === 'inferred')
        intents.push({ key: row.key, kind: row.kind, operation: 'clear', value: null, expected: now, authority: 'model' });
      else if (ownership === 'manual') skip('the item has a manual rating; clear it in Plex to make it unrated');
      else result.unchanged += 1;
    }
    const runId = deps.store.runs.start('import');
    result.runId = runId;
    result.applied = true;
    const outcomes = new Map<string, ItemResult>();
    const writer = new RatingWriter(deps.store, deps.port, deps.logger, {
      ...deps.writer,
      mode: 'rate',
      inferredTag: deps.inferredTag,
      signal: options.signal,
      onItem: (key, r) => outcomes.set(key, r),
    });
    try {
      const outcome = await writer.execute(runId, intents);
      result.written = outcome.written;
      result.unchanged += outcome.unchanged;
      for (const [key, r] of outcomes) {
        if (r !== 'written' && r !== 'unchanged')
          result.skipped.push({
            line: lineOf.get(key) ?? 0,
            ratingKey: key,
            reason: r === 'changed' ? 'changed in Plex since the last sync' : r,
          });
      }
      deps.store.runs.finish(runId, outcome.cancelled ? 'cancelled' : 'done', {
        valid: result.valid,
        written: result.written,
        skipped: result.skipped.length,
        problems: result.problems.length,
      });
      return result;
    } catch (err) {
      deps.store.runs.finish(runId, 'failed', {}, err instanceof Error ? err.message : String(err));
      throw err;
    }
  });
}
