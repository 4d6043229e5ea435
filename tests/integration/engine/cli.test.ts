// The rating commands as a person runs them: a real process against the simulator, including a kill -9
// in the middle of a pass and the next `infer` reconciling its journal.
import { waitUntil } from '../../support/wait.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { spawnCli } from '../../support/spawn-cli.js';

async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = spawnCli(args, env);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

const ratings = (sim: RunningSimulator) => {
  const lib = sim.state.library;
  return new Map([...lib.artists, ...lib.albums, ...lib.tracks].map((i) => [i.ratingKey, i.userRating ?? null]));
};

describe('sagewire infer / undo (CLI)', () => {
  let sim: RunningSimulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    sim = await startSimulator({ tracks: 1000, seed: 5, echoWebhooks: false, log: () => {} });
    dir = mkdtempSync(join(tmpdir(), 'sagewire-cli-engine-'));
    env = { PLEX_URL: sim.url, PLEX_TOKEN: sim.token, DATA_DIR: dir, LOG_LEVEL: 'silent', RATING_WRITE_MODE: 'rate' };
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('infer --dry-run --json prints one JSON object and writes nothing', async () => {
    const original = ratings(sim);
    const { code, stdout } = await runCli(['infer', '--dry-run', '--json'], env);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim()) as Record<string, number>;
    for (const key of ['runId', 'mu', 'epsilon', 'planned', 'written', 'driftSkipped', 'takeovers', 'seconds'])
      expect(summary).toHaveProperty(key);
    expect(summary.planned).toBeGreaterThan(0);
    expect(summary.written).toBe(0);
    expect(sim.stats.ratingWrites).toBe(0);
    expect(ratings(sim)).toEqual(original);
  });

  it('a pass killed with SIGKILL mid-write is finished by the next infer: no write lost, none sent twice', async () => {
    const original = ratings(sim);
    sim.config.latencyMs = 15;
    const cli = spawnCli(['infer', '--json'], { ...env, WRITE_BATCH_SIZE: '20', WRITE_CONCURRENCY: '2' });
    await waitUntil(() => sim.stats.ratingWrites >= 150, '150 rating writes before the kill');
    cli.child.kill('SIGKILL');
    await cli.exited;
    sim.config.latencyMs = 0;
    const killedAt = sim.stats.ratingWrites;
    expect(killedAt).toBeGreaterThan(0);
    const { code, stdout } = await runCli(['infer', '--json'], env);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim()) as { planned: number; written: number };
    const changed = [...ratings(sim)].filter(([k, v]) => v !== original.get(k)).length;
    // Every item written exactly once across the two processes.
    expect(sim.stats.ratingWrites).toBe(changed);
    const again = await runCli(['infer', '--json'], env);
    expect((JSON.parse(again.stdout.trim()) as { planned: number }).planned).toBe(0);
    expect(summary.written).toBeGreaterThan(0);
  });

  it('undo --all --json restores the library', async () => {
    const { code, stdout } = await runCli(['undo', '--all', '--json'], env);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout.trim()) as { restored: number; leftAlone: number };
    expect(summary.leftAlone).toBe(0);
    const lib = sim.state.library;
    expect([...lib.tracks, ...lib.albums].filter((i) => i.moods.includes('Rating_Inferred'))).toHaveLength(0);
  });

  it('undo without a scope is a usage error', async () => {
    const { code, stderr } = await runCli(['undo'], env);
    expect(code).toBe(1);
    expect(stderr).toMatch(/exactly one of --run ID, --event ID or --all/);
  });
});
