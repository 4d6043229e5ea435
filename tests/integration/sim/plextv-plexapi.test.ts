// Runs python-plexapi's own sign-in classes (tests/python/plexapi_plextv.py) against the simulator's plex.tv
// stand-in when the library is available: PLEXAPI_PATH, or /tmp/plexapi (extract it from
// github.com/pkkid/python-plexapi). Without it this test is skipped, saying why.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';

const plexapiPath = process.env.PLEXAPI_PATH ?? '/tmp/plexapi';
const probe = existsSync(join(plexapiPath, 'plexapi'))
  ? spawnSync('python3', ['-c', 'import plexapi.myplex, requests'], { env: { ...process.env, PYTHONPATH: plexapiPath }, encoding: 'utf8' })
  : undefined;
const available = probe?.status === 0;
if (!available) {
  const reason =
    probe === undefined ? `not found at ${plexapiPath} (set PLEXAPI_PATH)` : `cannot be imported: ${probe.stderr.trim().split('\n').pop()}`;
  console.warn(`skipping python-plexapi sign-in fidelity: python-plexapi ${reason}`);
}

describe.skipIf(!available)('python-plexapi sign-in against the plex.tv stand-in', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, tracks: 100, seed: 5, log: { warn() {}, error() {} } as never });
  });
  afterAll(() => sim.close());

  it('passes every check of tests/python/plexapi_plextv.py', async () => {
    const script = join(process.cwd(), 'tests/python/plexapi_plextv.py');
    const child = spawn('python3', [script, sim.url, sim.token], { env: { ...process.env, PYTHONPATH: plexapiPath } });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // Every check of the script ran (an early exception would leave fewer).
    expect(output).toMatch(/\b14 passed, 0 failed/);
    expect(code, output).toBe(0);
  }, 60_000);
});
