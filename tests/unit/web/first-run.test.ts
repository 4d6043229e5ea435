// The first-run wizard's steps from the facts: which steps are done, which one is current (the first not
// done), what each says, and when the Dashboard opens the wizard.
import { describe, expect, it } from 'vitest';
import { firstRunSteps, opensWizard, type FirstRunFacts, type FirstRunStepId } from '../../../src/web/read-models/first-run.js';

/** A fresh install: nothing configured, nothing received, nothing run. */
function fresh(): FirstRunFacts {
  return {
    plex: { configured: false, reachable: null, problem: null },
    library: { name: 'Music', tracks: 0, syncedAt: null, problem: null },
    updates: { webhooks: 'on', received: 0, pollingChosen: false },
    dryRun: { last: null },
    apply: { last: null, appliedWrites: 0, dryRunMode: true },
  };
}

type Patch = { [K in keyof FirstRunFacts]?: Partial<FirstRunFacts[K]> };

function facts(patch: Patch): FirstRunFacts {
  const base = fresh();
  for (const key of Object.keys(patch) as (keyof FirstRunFacts)[]) Object.assign(base[key], patch[key]);
  return base;
}

const connected: Patch = { plex: { configured: true, reachable: true } };
const synced: Patch['library'] = { tracks: 1200, syncedAt: 1_765_000_000_000 };
const dryRunDone: Patch['dryRun'] = { last: { runId: 4, at: 1_765_000_100_000, planned: 321 } };

const cases: Array<{ name: string; facts: FirstRunFacts; done: FirstRunStepId[]; current: FirstRunStepId | null; says?: RegExp[] }> = [
  {
    name: 'a fresh install starts at Plex',
    facts: fresh(),
    done: [],
    current: 'plex',
    says: [
      /does not know your Plex server/,
      /Waiting for the Plex connection/,
      /No webhook from Plex/,
      /No dry run yet/,
      /dry-run mode is on/,
    ],
  },
  {
    name: 'a token bound to another URL is said as the reason',
    facts: facts({ plex: { problem: 'it was saved for http://old:32400' } }),
    done: [],
    current: 'plex',
    says: [/Plex is not connected: it was saved for http:\/\/old:32400/],
  },
  {
    name: 'a saved connection Plex does not answer keeps Plex current',
    facts: facts({ plex: { configured: true, reachable: false, problem: 'Plex rejected PLEX_TOKEN' } }),
    done: [],
    current: 'plex',
    says: [/does not work now: Plex rejected PLEX_TOKEN/],
  },
  {
    name: 'connected (not asked just now) and reading the library',
    facts: facts({ plex: { configured: true } }),
    done: ['plex'],
    current: 'library',
    says: [/connection is saved/, /is reading “Music”/],
  },
  {
    name: 'a library Plex does not have is the library step’s problem',
    facts: facts({ ...connected, library: { problem: 'Plex has no music library named “Musik”' } }),
    done: ['plex'],
    current: 'library',
    says: [/could not read “Music”: Plex has no music library named “Musik”/],
  },
  {
    name: 'a library read but empty',
    facts: facts({ ...connected, library: { syncedAt: 1_765_000_000_000 } }),
    done: ['plex'],
    current: 'library',
    says: [/holds no tracks/],
  },
  {
    name: 'the library read: webhooks are next',
    facts: facts({ ...connected, library: synced }),
    done: ['plex', 'library'],
    current: 'updates',
    says: [/1,200 tracks/, /Paste the webhook URL into Plex/],
  },
  {
    name: 'a delivery from Plex completes webhooks',
    facts: facts({ ...connected, library: synced, updates: { received: 1 } }),
    done: ['plex', 'library', 'updates'],
    current: 'dry-run',
    says: [/Webhooks work: 1 delivery from Plex/],
  },
  {
    name: 'deliveries, in the plural',
    facts: facts({ ...connected, library: synced, updates: { received: 12 } }),
    done: ['plex', 'library', 'updates'],
    current: 'dry-run',
    says: [/Webhooks work: 12 deliveries from Plex received\./],
  },
  {
    name: 'WEBHOOKS=off is polling',
    facts: facts({ ...connected, library: synced, updates: { webhooks: 'off' } }),
    done: ['plex', 'library', 'updates'],
    current: 'dry-run',
    says: [/Polling: Sagewire asks Plex/],
  },
  {
    name: 'polling chosen while the environment keeps webhooks on',
    facts: facts({ ...connected, library: synced, updates: { pollingChosen: true } }),
    done: ['plex', 'library', 'updates'],
    current: 'dry-run',
  },
  {
    name: 'a dry run done, dry-run mode on: apply says to turn it off',
    facts: facts({ ...connected, library: synced, updates: { webhooks: 'off' }, dryRun: dryRunDone }),
    done: ['plex', 'library', 'updates', 'dry-run'],
    current: 'apply',
    says: [/Dry run 4 planned 321 changes; nothing was written/, /turn dry-run mode off in Settings/],
  },
  {
    name: 'a dry run done, dry-run mode off: apply on the Ratings page',
    facts: facts({ ...connected, library: synced, updates: { webhooks: 'off' }, dryRun: dryRunDone, apply: { dryRunMode: false } }),
    done: ['plex', 'library', 'updates', 'dry-run'],
    current: 'apply',
    says: [/Apply the plan on the Ratings page/],
  },
  {
    name: 'a full pass applied: everything done',
    facts: facts({
      ...connected,
      library: synced,
      updates: { received: 3 },
      dryRun: dryRunDone,
      apply: { last: { runId: 5, at: 1_765_000_200_000, written: 1 }, dryRunMode: false },
    }),
    done: ['plex', 'library', 'updates', 'dry-run', 'apply'],
    current: null,
    says: [/Full pass 5 applied: 1 rating written/, /All set/],
  },
  {
    name: 'applied writes without a full pass count as applied; an undone step before them stays current',
    facts: facts({ ...connected, library: synced, apply: { appliedWrites: 12 } }),
    done: ['plex', 'library', 'apply'],
    current: 'updates',
    says: [/has written 12 ratings/],
  },
  {
    name: 'polling set by the environment on a fresh install is done out of order',
    facts: facts({ updates: { webhooks: 'off' } }),
    done: ['updates'],
    current: 'plex',
  },
];

describe('first-run steps', () => {
  it.each(cases)('$name', ({ facts: f, done, current, says }) => {
    const view = firstRunSteps(f);
    expect(view.steps.map((s) => s.id)).toEqual(['plex', 'library', 'updates', 'dry-run', 'apply']);
    expect(view.steps.map((s) => s.number)).toEqual([1, 2, 3, 4, 5]);
    expect(view.steps.filter((s) => s.state === 'done').map((s) => s.id)).toEqual(done);
    expect(view.current).toBe(current);
    // One current step at most, the first not done; every other undone step waits.
    const undone = view.steps.filter((s) => s.state !== 'done');
    expect(undone.map((s) => s.state)).toEqual(undone.map((_, i) => (i === 0 ? 'current' : 'waiting')));
    expect(view.allDone).toBe(done.length === 5);
    expect(view.anyDone).toBe(done.length > 0);
    for (const step of view.steps) {
      expect(step.status.length, `${step.id} says what is done`).toBeGreaterThan(10);
      expect(step.next.length, `${step.id} says what is next`).toBeGreaterThan(10);
    }
    const text = view.steps.map((s) => `${s.status} ${s.next}`).join('\n');
    for (const pattern of says ?? []) expect(text).toMatch(pattern);
  });
});

describe('the Dashboard opens the wizard', () => {
  const table: Array<{ name: string; facts: FirstRunFacts; configured: boolean; seen: boolean; opens: boolean }> = [
    { name: 'on the first visit of a fresh install', facts: fresh(), configured: false, seen: false, opens: true },
    { name: 'not a second time', facts: fresh(), configured: false, seen: true, opens: false },
    { name: 'not once Plex is configured', facts: facts({ plex: { configured: true } }), configured: true, seen: false, opens: false },
    {
      name: 'not when a step is done (an install that lost its token but has run passes)',
      facts: facts({ apply: { appliedWrites: 40 } }),
      configured: false,
      seen: false,
      opens: false,
    },
  ];
  it.each(table)('$name', ({ facts: f, configured, seen, opens }) => {
    expect(opensWizard(firstRunSteps(f), configured, seen)).toBe(opens);
  });
});
