// How Sagewire behaves, shared by the Setup and Settings pages: the inferred mood tag (on/off and its
// name), webhooks or polling, the reconcile interval and dry-run mode. Validated as a whole.
import type { SettingsService } from './settings.js';

export const DEFAULT_INFERRED_TAG = 'Rating_Inferred';

export interface BehaviourView {
  inferredTagEnabled: boolean;
  inferredTag: string;
  webhooks: 'on' | 'off';
  reconcileMinutes: string;
  dryRun: boolean;
  fixed: { inferredTag: boolean; webhooks: boolean; reconcileMinutes: boolean; dryRun: boolean };
  errors: { inferredTag?: string; reconcileMinutes?: string };
}

const truthy = (v: string | null) => ['1', 'true', 'yes', 'on'].includes((v ?? '').trim().toLowerCase());

export async function currentBehaviour(settings: SettingsService): Promise<BehaviourView> {
  const [tag, webhooks, minutes, dryRun] = await Promise.all(['INFERRED_TAG', 'WEBHOOKS', 'RECONCILE_MINUTES', 'DRY_RUN'].map((n) => settings.get(n)));
  return {
    inferredTagEnabled: (tag.value ?? '') !== '',
    inferredTag: tag.value || DEFAULT_INFERRED_TAG,
    webhooks: webhooks.value === 'off' ? 'off' : 'on',
    reconcileMinutes: minutes.value ?? '10',
    dryRun: truthy(dryRun.value),
    fixed: {
      inferredTag: settings.fixedByEnv('INFERRED_TAG'),
      webhooks: settings.fixedByEnv('WEBHOOKS'),
      reconcileMinutes: settings.fixedByEnv('RECONCILE_MINUTES'),
      dryRun: settings.fixedByEnv('DRY_RUN'),
    },
    errors: {},
  };
}

/** The submitted behaviour over the current one (fixed fields keep their value), with per-field errors. */
export async function submittedBehaviour(settings: SettingsService, form: URLSearchParams): Promise<{ view: BehaviourView; values: Record<string, string> }> {
  const view = await currentBehaviour(settings);
  const values: Record<string, string> = {};
  if (!view.fixed.inferredTag) {
    view.inferredTagEnabled = form.getAll('inferred_tag_enabled').includes('true');
    view.inferredTag = (form.get('inferred_tag') ?? '').trim() || DEFAULT_INFERRED_TAG;
    if (view.inferredTag.length > 64) view.errors.inferredTag = 'must be at most 64 characters';
    else if (/[,\u0000-\u001f]/.test(view.inferredTag)) view.errors.inferredTag = 'must not contain commas or control characters';
    values.INFERRED_TAG = view.inferredTagEnabled ? view.inferredTag : '';
  }
  if (!view.fixed.webhooks) {
    view.webhooks = form.get('webhooks') === 'off' ? 'off' : 'on';
    values.WEBHOOKS = view.webhooks;
  }
  if (!view.fixed.reconcileMinutes) {
    view.reconcileMinutes = (form.get('reconcile_minutes') ?? '').trim();
    const n = Number(view.reconcileMinutes);
    if (!/^\d+$/.test(view.reconcileMinutes) || n < 1 || n > 1440) view.errors.reconcileMinutes = 'must be a whole number of minutes from 1 to 1440';
    values.RECONCILE_MINUTES = String(n);
  }
  if (!view.fixed.dryRun) {
    view.dryRun = form.getAll('dry_run').includes('true');
    values.DRY_RUN = String(view.dryRun);
  }
  return { view, values };
}

export const hasErrors = (view: { errors: object }): boolean => Object.keys(view.errors).length > 0;
