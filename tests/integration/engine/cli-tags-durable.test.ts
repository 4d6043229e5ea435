// The inferred tag under crashes and a flaky Plex, as a person meets it: `sagewire infer` killed with
// SIGKILL at random points and 20 % of Plex requests failing, run again until it finishes, the person taking
// inferred items over and clearing others in between — then `sagewire verify` (without --fix) finds no
// tag missing and no stray tag.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { seededRandom } from '../../support/seeded-random.js';
import { spawnCli } from '../../support/spawn-cli.js';
import { waitUntil } from '../../support/wait.js';

describe('inferred tags after kill -9 and 20 % faults (CLI)', () => {
  let sim: RunningSimulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    sim = await startSimulator({ tracks: 600, seed: 9, echoWebhooks: false, log: () => {} });
    dir = mkdtempSync(join(tmpdir(), 'sagewire-cli-tags-'));
    env = {
      PLEX_URL: sim.url,
      PLEX_TOKEN: sim.token,
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      RATING_WRITE_MODE: 'auto',
      WRITE_BATCH_SIZE: '10',
      WRITE_CONCURRENCY: '2',
    };
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verify reports no tag problem afterwards, without --fix', async () => {
    const random = seededRandom(2024);
    sim.config.faultRate = 0.2;
    sim.config.latencyMs = 2;
    let kills = 0;
    for (let round = 0; round < 3; round++) {
      // One run killed at a random number of rating writes from now (if it gets that far).
      const target = sim.stats.ratingWrites + 1 + Math.floor(random() * 150);
      const doomed = spawnCli(['infer', '--json'], env);
      let exited = false;
      void doomed.exited.then(() => (exited = true));
      await waitUntil(() => exited || sim.stats.ratingWrites >= target, 'the pass to reach its kill point or end', 240_000);
      if (!exited) {
        doomed.child.kill('SIGKILL');
        kills += 1;
      }
      await doomed.exited;
      // The person takes some inferred items over and clears others; the next run starts from the state
      // the killed one left (its journal unresolved), so each kill is recovered from by the run after it.
      const db = new SQLite(join(dir, 'sagewire.db'), { readonly: true });
      const inferred = db
        .prepare('select item_key from rating_state where written_value is not null order by item_key')
        .pluck()
        .all() as string[];
      db.close();
      for (const [n, key] of inferred.filter(() => random() < 0.05).entries())
        sim.state.userRate(key, n % 3 === 0 ? null : 2 + (n % 8), { notify: false });
    }
    expect(kills).toBeGreaterThan(0);
    // Then `infer` again until one finishes (a run Plex failed under is simply run again).
    let finished = false;
    for (let attempt = 0; attempt < 20 && !finished; attempt++) finished = (await spawnCli(['infer', '--json'], env).exited).code === 0;
    expect(finished).toBe(true);
    expect(sim.stats.faults.error ?? 0).toBeGreaterThan(0);
    sim.config.faultRate = 0;
    const verify = spawnCli(['verify', '--json'], env);
    expect((await verify.exited).code).toBe(0);
    const report = JSON.parse(verify.stdout().trim()) as { counts: Record<string, number>; problems: Array<{ finding: string }> };
    expect(report.problems.filter((p) => p.finding === 'tag_missing' || p.finding === 'tag_stray')).toEqual([]);
    expect(report.counts.tag_missing + report.counts.tag_stray).toBe(0);
  }, 300_000);
});
