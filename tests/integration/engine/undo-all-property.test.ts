// Property: whatever sequence of full passes, live (event) runs, undos of single runs, earlier undo --all
// runs and a person's ratings and clears came first, `undo --all` leaves every item holding what Plex held
// before Sagewire's first write to it — or the person's later rating — and no inferred tag or claim
// remains. Random sequences from a seeded PRNG, against the simulator over HTTP, in every write mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/connection.js';
import { DEFAULT_RATING_PARAMS } from '../../../src/domain/rating/index.js';
import { createEngineStore } from '../../../src/engine/core/engine-store.js';
import { intentsOf, planFullPass, runFullPass, type EngineDeps } from '../../../src/engine/pass/full-pass.js';
import { PlexRatingPort } from '../../../src/engine/core/plex-rating-port.js';
import { syncLibrary } from '../../../src/library/sync.js';
import { undoWrites } from '../../../src/engine/tools/undo.js';
import { RatingWriter } from '../../../src/engine/writer/writer.js';
import { createLogger } from '../../../src/log.js';
import { PlexClient } from '../../../src/plex/client.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { seededRandom } from '../../support/seeded-random.js';

const TAG = 'Rating_Inferred';
const MODES = ['auto', 'rate', 'bulk'] as const;

function simItems(sim: RunningSimulator) {
  const lib = sim.state.library;
  return [...lib.artists, ...lib.albums, ...lib.tracks];
}

async function personRates(sim: RunningSimulator, key: string, rating: number | null): Promise<void> {
  const res = await fetch(`${sim.url}/__sim/user-rate?key=${key}&rating=${rating ?? -1}&notify=0`, {
    method: 'POST',
    headers: { 'X-Plex-Token': sim.token, Accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`user-rate: ${res.status}`);
}

/** A live run: what the incremental engine does for one event — a part of the plan, as a run of kind `event`. */
async function liveRun(deps: EngineDeps, random: () => number): Promise<void> {
  const plan = planFullPass(deps.store, deps.params, deps.inferredTag);
  const part = { ...plan, writes: plan.writes.filter(() => random() < 0.3), tagFixes: [] };
  const runId = deps.store.runs.start('event');
  const writer = new RatingWriter(deps.store, deps.port, deps.logger, { ...deps.writer, inferredTag: deps.inferredTag });
  const outcome = await writer.execute(runId, intentsOf(part));
  deps.store.runs.finish(runId, 'done', { written: outcome.written });
}

describe('undo --all over random histories (simulator)', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'seed %i',
    async (seed) => {
      const random = seededRandom(seed * 7919);
      const mode = MODES[seed % MODES.length];
      const sim = await startSimulator({ tracks: 300, seed: 40 + seed, echoWebhooks: false, log: () => {} });
      const dir = mkdtempSync(join(tmpdir(), 'sagewire-undo-property-'));
      const handle = await openDatabase(join(dir, 'sagewire.db'));
      try {
        const client = new PlexClient({ url: sim.url, token: sim.token, retries: 1, retryBaseMs: 10 });
        const deps: EngineDeps = {
          store: createEngineStore(handle.sqlite),
          port: new PlexRatingPort(client, sim.musicSectionId),
          logger: createLogger('silent'),
          params: DEFAULT_RATING_PARAMS,
          inferredTag: TAG,
          writer: { mode, concurrency: 4, batchSize: 40, batchPauseMs: 0 },
        };
        const sync = () => syncLibrary({ db: handle, plex: client, sectionTitle: 'Music' });
        // What each item must hold in the end: its value now, then the person's every later act.
        const expected = new Map(simItems(sim).map((i) => [i.ratingKey, i.userRating ?? null]));
        const steps: string[] = [];
        await sync();
        await runFullPass(deps);
        steps.push('pass');
        for (let step = 0; step < 9; step++) {
          const roll = random();
          if (roll < 0.3) {
            // The person rates or clears a few items: inferred ones (a takeover or an opt-out) and others.
            const items = simItems(sim);
            for (let n = 0; n < 6; n++) {
              const item = items[Math.floor(random() * items.length)];
              const rating = random() < 0.25 ? null : 1 + Math.floor(random() * 10);
              await personRates(sim, item.ratingKey, rating);
              expected.set(item.ratingKey, rating);
            }
            steps.push('person');
          } else if (roll < 0.5) {
            await sync();
            await runFullPass(deps);
            steps.push('pass');
          } else if (roll < 0.7) {
            await sync();
            await liveRun(deps, random);
            steps.push('live');
          } else if (roll < 0.9) {
            const runs = handle.sqlite
              .prepare("select id from engine_runs where kind in ('full', 'event', 'undo') and status = 'done'")
              .pluck()
              .all() as number[];
            // Mostly one of the newest runs (values it moved are what an earlier undo got wrong).
            const runId = runs[runs.length - 1 - Math.floor(random() * Math.min(3, runs.length))];
            await undoWrites(deps, { runId });
            steps.push(`undo ${runId}`);
          } else {
            await undoWrites(deps, 'all');
            steps.push('undo all');
          }
        }
        const result = await undoWrites(deps, 'all');
        const context = `${mode}: ${steps.join(' → ')}`;
        expect(
          result.items.filter((i) => i.result === 'failed'),
          context,
        ).toEqual([]);
        const wrong = simItems(sim)
          .filter((i) => (i.userRating ?? null) !== expected.get(i.ratingKey))
          .map((i) => ({ key: i.ratingKey, holds: i.userRating ?? null, expected: expected.get(i.ratingKey) }));
        expect(wrong.slice(0, 5), context).toEqual([]);
        expect(
          simItems(sim)
            .filter((i) => i.moods.includes(TAG))
            .map((i) => i.ratingKey),
          context,
        ).toEqual([]);
        expect([...deps.store.state.loadAll().values()].filter((c) => c.writtenValue !== null).length, context).toBe(0);
        expect(deps.store.journal.pending(), context).toEqual([]);
      } finally {
        await handle.close();
        await sim.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
