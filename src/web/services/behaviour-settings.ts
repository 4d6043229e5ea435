// How Sagewire behaves, shared by the Setup and Settings pages: the inferred mood tag (on/off and its
// name), webhooks or polling, the reconcile interval and dry-run mode. The forms' fields are read by forms/behaviour.ts.
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
  const [tag, webhooks, minutes, dryRun] = await Promise.all(
    ['INFERRED_TAG', 'WEBHOOKS', 'RECONCILE_MINUTES', 'DRY_RUN'].map((n) => settings.get(n)),
  );
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
