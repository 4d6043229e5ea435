// How Sagewire behaves, as the Setup and Settings forms send it: the inferred tag (on/off and its name),
// webhooks or polling, the reconcile interval, dry-run mode. A field the environment fixes is not read.
import { z } from 'zod';
import { DEFAULT_INFERRED_TAG, type BehaviourView } from '../services/behaviour-settings.js';
import type { FieldErrors, RawInput } from './parse.js';
import { ignored, text, ticked } from './fields.js';

export type BehaviourFixed = BehaviourView['fixed'];

const MINUTES = 'must be a whole number of minutes from 1 to 1440';

const tag = text()
  .transform((value) => value.trim() || DEFAULT_INFERRED_TAG)
  .pipe(
    z
      .string()
      .max(64, 'must be at most 64 characters')
      .regex(/^[^,\u0000-\u001f]*$/, 'must not contain commas or control characters'),
  );
const minutes = text()
  .transform((value) => value.trim())
  .pipe(
    z
      .string()
      .regex(/^\d+$/, MINUTES)
      .refine((value) => Number(value) >= 1 && Number(value) <= 1440, MINUTES),
  );
const webhooks = text().transform((value): 'on' | 'off' => (value === 'off' ? 'off' : 'on'));

/** The form's fields, those the environment fixes left out. */
export function behaviourShape(fixed: BehaviourFixed) {
  return {
    inferred_tag_enabled: fixed.inferredTag ? ignored() : ticked(),
    inferred_tag: fixed.inferredTag ? ignored() : tag,
    webhooks: fixed.webhooks ? ignored() : webhooks,
    reconcile_minutes: fixed.reconcileMinutes ? ignored() : minutes,
    dry_run: fixed.dryRun ? ignored() : ticked(),
  };
}

type BehaviourFields = Partial<{
  inferred_tag_enabled: boolean;
  inferred_tag: string;
  webhooks: 'on' | 'off';
  reconcile_minutes: string;
  dry_run: boolean;
}>;

/** The settings rows the fields save. */
export function behaviourValues(fields: BehaviourFields): Record<string, string> {
  const values: Record<string, string> = {};
  if (fields.inferred_tag !== undefined) values.INFERRED_TAG = fields.inferred_tag_enabled ? fields.inferred_tag : '';
  if (fields.webhooks !== undefined) values.WEBHOOKS = fields.webhooks;
  if (fields.reconcile_minutes !== undefined) values.RECONCILE_MINUTES = String(Number(fields.reconcile_minutes));
  if (fields.dry_run !== undefined) values.DRY_RUN = String(fields.dry_run);
  return values;
}

/** POST /settings/behaviour: the settings rows to save. */
export const behaviourForm = (fixed: BehaviourFixed) => z.object(behaviourShape(fixed)).transform(behaviourValues);

const echo = z.object({ inferred_tag_enabled: ticked(), inferred_tag: text(), webhooks, reconcile_minutes: text(), dry_run: ticked() });

/** The behaviour as submitted (fixed fields as they are), with each field's problem: the form shown again. */
export function behaviourView(current: BehaviourView, raw: RawInput, errors: FieldErrors): BehaviourView {
  const sent = echo.parse(raw);
  const { fixed } = current;
  return {
    ...current,
    ...(fixed.inferredTag
      ? {}
      : { inferredTagEnabled: sent.inferred_tag_enabled, inferredTag: sent.inferred_tag.trim() || DEFAULT_INFERRED_TAG }),
    ...(fixed.webhooks ? {} : { webhooks: sent.webhooks }),
    ...(fixed.reconcileMinutes ? {} : { reconcileMinutes: sent.reconcile_minutes.trim() }),
    ...(fixed.dryRun ? {} : { dryRun: sent.dry_run }),
    errors: {
      ...(errors.inferred_tag ? { inferredTag: errors.inferred_tag } : {}),
      ...(errors.reconcile_minutes ? { reconcileMinutes: errors.reconcile_minutes } : {}),
    },
  };
}
