// The first-run wizard's facts, gathered from the settings in effect, the status, the tables and (on the
// wizard's own page) a one-off question to Plex; and the two choices the wizard keeps: that it was shown
// once, and that the person chose polling. Both are settings rows written straight to the table, so saving
// them never looks like a connection change to whatever watches the settings.
import { readFirstRunRecord } from '../../db/first-run-reads.js';
import { getSetting, putSetting } from '../../db/settings-repo.js';
import type { AdminDeps } from '../deps.js';
import { firstRunSteps, opensWizard, type FirstRunFacts, type FirstRunView } from '../read-models/first-run.js';
import type { PlexCheck } from './plex-check.js';

type FirstRunDeps = Pick<AdminDeps, 'db' | 'settings' | 'status' | 'checkPlex'>;

const WIZARD_SEEN = 'FIRST_RUN_WIZARD_SEEN';
const POLLING_CHOSEN = 'FIRST_RUN_POLLING_CHOSEN';

export interface FirstRunPage {
  view: FirstRunView;
  facts: FirstRunFacts;
  /** Plex's answer to the wizard's question, when it asked. */
  check: PlexCheck | null;
  /** WEBHOOKS is set by the environment: "use polling" cannot turn the receiver off. */
  webhooksFixed: boolean;
}

/** The names a comma-separated library setting lists (one section today, several where configured). */
function libraryNames(setting: string | null): string[] {
  return (setting ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Why the chosen library cannot be read, from Plex's list of music libraries; null when it can. */
function missingLibrary(setting: string | null, check: PlexCheck | null): string | null {
  if (!check?.ok) return null;
  const known = (name: string) => check.libraries.some((l) => l.title.toLowerCase() === name.toLowerCase() || l.id === name);
  const missing = libraryNames(setting).filter((name) => !known(name));
  if (missing.length === 0) return null;
  const offered = check.libraries.length ? `it has ${check.libraries.map((l) => `“${l.title}”`).join(', ')}` : 'it has none';
  return `Plex has no music library named ${missing.map((n) => `“${n}”`).join(', ')} (${offered}).`;
}

/** `askPlex`: ask the server now whether it answers (the wizard's page; the Dashboard does not wait on Plex). */
export async function firstRunFacts(deps: FirstRunDeps, askPlex: boolean): Promise<{ facts: FirstRunFacts; check: PlexCheck | null }> {
  const [status, record, connection, withheld, library, polling] = await Promise.all([
    deps.status.current(),
    readFirstRunRecord(deps.db),
    deps.settings.plexConnection(),
    deps.settings.plexTokenWithheld(),
    deps.settings.get('PLEX_MUSIC_LIBRARY'),
    getSetting(deps.db, POLLING_CHOSEN),
  ]);
  const check = askPlex && connection ? await deps.checkPlex(connection.url, connection.token) : null;
  const live = status.live as { state?: string; error?: string | null } | null;
  const bootProblem = live?.state === 'failed' && live.error ? live.error : null;
  const facts: FirstRunFacts = {
    plex: {
      configured: connection !== null,
      reachable: check ? check.ok : null,
      problem: check && !check.ok ? check.message : withheld,
    },
    library: {
      name: library.value,
      tracks: record.tracks,
      syncedAt: record.lastSyncAt !== null ? record.lastSyncAt * 1000 : null,
      problem: missingLibrary(library.value, check) ?? bootProblem,
    },
    updates: { webhooks: status.mode.webhooks, received: record.webhooksReceived, pollingChosen: polling === '1' },
    dryRun: {
      last: record.lastDryRun
        ? { runId: record.lastDryRun.id, at: record.lastDryRun.finishedAt, planned: record.lastDryRun.counts.planned ?? null }
        : null,
    },
    apply: {
      last: record.lastFullPass
        ? { runId: record.lastFullPass.id, at: record.lastFullPass.finishedAt, written: record.lastFullPass.counts.written ?? null }
        : null,
      appliedWrites: record.appliedWrites,
      dryRunMode: status.mode.dryRun,
    },
  };
  return { facts, check };
}

export async function firstRunPage(deps: FirstRunDeps): Promise<FirstRunPage> {
  const { facts, check } = await firstRunFacts(deps, true);
  return { view: firstRunSteps(facts), facts, check, webhooksFixed: deps.settings.fixedByEnv('WEBHOOKS') };
}

/**
 * For the Dashboard: where to send the person instead (the wizard, on the very first visit only: it is
 * then remembered as seen), and the steps for partials/dashboard-steps.eta, which lists those left undone.
 */
export async function firstRunOnDashboard(deps: FirstRunDeps): Promise<{ sendTo: string | null; steps: FirstRunView }> {
  const [{ facts }, seen] = await Promise.all([firstRunFacts(deps, false), getSetting(deps.db, WIZARD_SEEN)]);
  const steps = firstRunSteps(facts);
  if (!opensWizard(steps, facts.plex.configured, seen !== null)) return { sendTo: null, steps };
  await putSetting(deps.db, WIZARD_SEEN, '1');
  return { sendTo: '/welcome', steps };
}

/** "Use polling instead": webhooks off (unless the environment fixes them) and the choice remembered. */
export async function choosePolling(deps: FirstRunDeps): Promise<{ webhooksOff: boolean }> {
  const saved = await deps.settings.save({ WEBHOOKS: 'off' });
  await putSetting(deps.db, POLLING_CHOSEN, '1');
  return { webhooksOff: saved.includes('WEBHOOKS') };
}
