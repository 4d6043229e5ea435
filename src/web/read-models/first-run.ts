// The first-run wizard as steps: Plex → library → webhooks or polling → dry run → apply. A pure function of
// what Sagewire knows (FirstRunFacts, gathered by services/first-run.ts): each step is done or not on its own
// facts, the first one not done is the current step and the others wait. Every step says, in one sentence,
// what is done (or what is missing) and, in another, what comes next, so the page and the Dashboard read the
// same words.

export type FirstRunStepId = 'plex' | 'library' | 'updates' | 'dry-run' | 'apply';

export type FirstRunStepState = 'done' | 'current' | 'waiting';

export interface FirstRunFacts {
  plex: {
    configured: boolean;
    /** Whether Plex answered just now: null when not asked (not configured, or the caller skips the call). */
    reachable: boolean | null;
    /** Plex's answer when it did not answer as asked, or why the saved token is not used. */
    problem: string | null;
  };
  library: {
    /** The music library (or libraries) chosen, as written in the setting. */
    name: string | null;
    /** Tracks in the library cache. */
    tracks: number;
    /** When the cache was last synced (epoch ms); null before the first sync. */
    syncedAt: number | null;
    /** Live propagation's last start failure (a library Plex does not have, Plex down), or null. */
    problem: string | null;
  };
  updates: {
    webhooks: 'on' | 'off';
    /** Webhook deliveries from Plex ever stored (any outcome): proof that Plex reaches Sagewire. */
    received: number;
    /** The person chose polling in the wizard (kept even when WEBHOOKS is fixed by the environment). */
    pollingChosen: boolean;
  };
  dryRun: {
    /** The newest finished dry run, or null. */
    last: { runId: number; at: number; planned: number | null } | null;
  };
  apply: {
    /** The newest finished full pass that wrote (not a dry run), or null. */
    last: { runId: number; at: number; written: number | null } | null;
    /** Rating writes applied by any run (events included). */
    appliedWrites: number;
    /** Dry-run mode is on: the apply button of the Ratings page is off until it is turned off. */
    dryRunMode: boolean;
  };
}

export interface FirstRunStep {
  id: FirstRunStepId;
  number: number;
  title: string;
  state: FirstRunStepState;
  /** What is done, or what is missing. */
  status: string;
  /** What comes next. */
  next: string;
}

export interface FirstRunView {
  steps: FirstRunStep[];
  /** The first step not done; null once all are. */
  current: FirstRunStepId | null;
  allDone: boolean;
  anyDone: boolean;
}

const TITLES: Record<FirstRunStepId, string> = {
  plex: 'Connect to Plex',
  library: 'Choose and read the music library',
  updates: 'Hear about new ratings: webhooks or polling',
  'dry-run': 'Run a dry run',
  apply: 'Apply the plan',
};

const ORDER: readonly FirstRunStepId[] = ['plex', 'library', 'updates', 'dry-run', 'apply'];

const plural = (n: number, word: string, words = `${word}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? word : words}`;

interface StepText {
  done: boolean;
  status: string;
  next: string;
}

function plexStep(f: FirstRunFacts): StepText {
  const { plex } = f;
  if (!plex.configured)
    return {
      done: false,
      status: plex.problem ? `Plex is not connected: ${plex.problem}` : 'Sagewire does not know your Plex server yet.',
      next: 'Enter the server’s URL and token on Setup (or sign in with Plex there), test the connection and save.',
    };
  if (plex.reachable === false)
    return {
      done: false,
      status: `The saved connection does not work now: ${plex.problem ?? 'Plex did not answer'}.`,
      next: 'Check the URL and token on Setup and test the connection again.',
    };
  return {
    done: true,
    status: plex.reachable ? 'Connected: Plex answered just now.' : 'The Plex connection is saved.',
    next: 'Next: choose the music library.',
  };
}

function libraryStep(f: FirstRunFacts): StepText {
  const { library } = f;
  const name = library.name ? `“${library.name}”` : 'your music library';
  if (library.syncedAt !== null && library.tracks > 0)
    return {
      done: true,
      status: `${name} is read: ${plural(library.tracks, 'track')} in Sagewire’s copy.`,
      next: 'Next: tell Sagewire how it hears about new ratings.',
    };
  if (!f.plex.configured)
    return { done: false, status: 'Waiting for the Plex connection.', next: 'Once Plex is connected, pick the music library on Setup.' };
  if (library.problem)
    return {
      done: false,
      status: `Sagewire could not read ${name}: ${library.problem}`,
      next: 'Pick one of the music libraries Plex lists on Setup and save.',
    };
  if (library.syncedAt !== null)
    return {
      done: false,
      status: `${name} was read but holds no tracks.`,
      next: 'Pick the music library that holds your music on Setup, or add music to this one in Plex.',
    };
  return {
    done: false,
    status: `Sagewire is reading ${name} from Plex (a large library takes a minute or two).`,
    next: 'Wait for the track count to show here, or pick another library on Setup.',
  };
}

function updatesStep(f: FirstRunFacts): StepText {
  const { updates } = f;
  if (updates.webhooks === 'off' || updates.pollingChosen)
    return {
      done: true,
      status: 'Polling: Sagewire asks Plex for new ratings every few minutes.',
      next: 'Next: a dry run, to see what Sagewire would write.',
    };
  if (updates.received > 0)
    return {
      done: true,
      status: `Webhooks work: ${plural(updates.received, 'delivery', 'deliveries')} from Plex received.`,
      next: 'Next: a dry run, to see what Sagewire would write.',
    };
  return {
    done: false,
    status: 'No webhook from Plex has arrived yet.',
    next: 'Paste the webhook URL into Plex (Settings → Webhooks, needs Plex Pass) and rate any track, or use polling instead.',
  };
}

function dryRunStep(f: FirstRunFacts): StepText {
  const last = f.dryRun.last;
  if (last)
    return {
      done: true,
      status: `Dry run ${last.runId} planned ${last.planned === null ? 'its changes' : plural(last.planned, 'change')}; nothing was written.`,
      next: 'Next: look at the plan, then apply it.',
    };
  return {
    done: false,
    status: 'No dry run yet.',
    next: 'Start a dry run: it computes every rating and writes nothing, so you can see the plan first.',
  };
}

function applyStep(f: FirstRunFacts): StepText {
  const { last, appliedWrites, dryRunMode } = f.apply;
  if (last)
    return {
      done: true,
      status: `Full pass ${last.runId} applied${last.written === null ? '' : `: ${plural(last.written, 'rating')} written`}.`,
      next: 'All set: new ratings spread on their own from now on. Every run can be undone on the Ratings page.',
    };
  if (appliedWrites > 0)
    return {
      done: true,
      status: `Sagewire has written ${plural(appliedWrites, 'rating')} to Plex.`,
      next: 'All set: new ratings spread on their own from now on. Every run can be undone on the Ratings page.',
    };
  if (dryRunMode)
    return {
      done: false,
      status: 'Nothing applied yet: dry-run mode is on, so Sagewire writes nothing to Plex.',
      next: 'When the plan looks right, turn dry-run mode off in Settings, then apply the plan on the Ratings page.',
    };
  return {
    done: false,
    status: 'Nothing applied yet.',
    next: 'Apply the plan on the Ratings page: it asks for confirmation, journals every write and can be undone.',
  };
}

const TEXT: Record<FirstRunStepId, (f: FirstRunFacts) => StepText> = {
  plex: plexStep,
  library: libraryStep,
  updates: updatesStep,
  'dry-run': dryRunStep,
  apply: applyStep,
};

export function firstRunSteps(facts: FirstRunFacts): FirstRunView {
  let current: FirstRunStepId | null = null;
  const steps = ORDER.map((id, i): FirstRunStep => {
    const text = TEXT[id](facts);
    let state: FirstRunStepState = 'done';
    if (!text.done) {
      state = current === null ? 'current' : 'waiting';
      current ??= id;
    }
    return { id, number: i + 1, title: TITLES[id], state, status: text.status, next: text.next };
  });
  const done = steps.filter((s) => s.state === 'done').length;
  return { steps, current, allDone: done === steps.length, anyDone: done > 0 };
}

/**
 * The first visit to the Dashboard goes to the wizard: only while Plex is not configured and nothing is done,
 * and only once (`seen`), so a person who leaves it is never sent back.
 */
export function opensWizard(view: FirstRunView, plexConfigured: boolean, seen: boolean): boolean {
  return !seen && !plexConfigured && !view.anyDone;
}
