// The rating actions' forms: the job panel's query, verify, recover, CSV export and import, undo, dead-letter
// retry and opt-in. Dry run, apply and cancel take no input. What depends on state (a pending import that
// is gone, dry-run mode) stays with the handler.
import { z } from 'zod';
import { all, checked, maybeText, text } from './fields.js';

/** The words that confirm undoing everything Sagewire wrote. */
export const UNDO_ALL_WORDS = 'UNDO ALL';

/** GET /ratings/job?watching=1 */
export const jobPanelQuery = z.object({ watching: maybeText().transform((value) => value === '1') });

/** POST /ratings/verify: fix also repairs what can be repaired without guessing. */
export const verifyForm = z.object({ fix: checked() });

const upload = z
  .object({ name: z.string(), data: z.instanceof(Buffer) })
  .nullable()
  .default(null);

/** POST /ratings/recover (multipart): the sources ticked and the plex_state.json file. */
export const recoverForm = z
  .object({ from_tags: checked(), from_fractional: checked(), dry_run: checked(), state_file: upload })
  .transform((f) => ({
    fromTags: f.from_tags,
    fromFractional: f.from_fractional,
    stateFile: f.state_file?.data ?? null,
    dryRun: f.dry_run,
  }))
  .refine((r) => r.fromTags || r.fromFractional || r.stateFile !== null, {
    message: 'Choose at least one source: the inferred tag, fractional ratings, or a plex_state.json file.',
    path: ['from_tags'],
  });

/** GET /ratings/export.csv?type= */
export const exportQuery = z.object({
  type: maybeText()
    .transform((value) => value ?? 'tracks')
    .pipe(z.enum(['tracks', 'albums', 'artists'], 'type must be tracks, albums or artists')),
});

/** POST /ratings/import (multipart): the CSV file. */
export const importForm = z.object({
  csv: upload.refine((file) => file !== null, 'Choose a CSV file to import.').transform((file) => file!),
});

/** POST /ratings/import/apply: the checked file's id; apply_valid applies only the valid rows. */
export const applyImportForm = z.object({ id: text(), apply_valid: checked() }).transform((f) => ({ id: f.id, applyValid: f.apply_valid }));

/** A positive whole number, as a route parameter or a field. */
const positiveId = (value: string | undefined): number | null => {
  const n = Number(value ?? '');
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/** /ratings/runs/:id/undo, /ratings/events/:id/undo: an id that is not one is a page that does not exist. */
export const undoParams = z.object({
  id: maybeText()
    .transform(positiveId)
    .refine((id) => id !== null, 'There is no such item.')
    .transform((id) => id!),
});

/** POST /ratings/undo-all: the words typed to confirm. */
export const undoAllForm = z.object({
  confirm: text()
    .transform((typed) => typed.trim())
    .refine((typed) => typed === UNDO_ALL_WORDS, `Type ${UNDO_ALL_WORDS} to confirm undoing everything Sagewire wrote.`),
});

/** POST /ratings/dead/retry: one event's id, or every dead-lettered event when there is none. */
export const retryDeadForm = z.object({ id: maybeText().transform((value) => positiveId(value) ?? undefined) });

/** POST /ratings/opted-out/enable: the items' keys (one or more). */
export const reEnableForm = z.object({
  key: all()
    .transform((keys) => keys.filter((k) => k.length > 0 && k.length < 64).slice(0, 1000))
    .refine((keys) => keys.length > 0, 'Choose at least one item to re-enable.'),
});
