// Runs the real python-plexapi (tests/python/plexapi_fidelity.py, and plexapi_sections.py against a server
// with two music sections) against the simulator when the library is available: PLEXAPI_PATH, or
// /tmp/plexapi (extract it from github.com/pkkid/python-plexapi). CI cannot reach PyPI, so without it this
// test is skipped, saying why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { startSim } from './helpers.js';

const plexapiPath = process.env.PLEXAPI_PATH ?? '/tmp/plexapi';
const probe = existsSync(join(plexapiPath, 'plexapi'))
  ? spawnSync('python3', ['-c', 'import plexapi.server, requests'], { env: { ...process.env, PYTHONPATH: plexapiPath }, encoding: 'utf8' })
  : undefined;
const available = probe?.status === 0;
const reason =
  probe === undefined
    ? `python-plexapi not found at ${plexapiPath} (set PLEXAPI_PATH)`
    : `python-plexapi at ${plexapiPath} cannot be imported: ${probe.stderr.trim().split('\n').pop()}`;
if (!available) console.warn(`skipping python-plexapi fidelity: ${reason}`);

async function runPython(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('python3', [script, ...args], { env: { ...process.env, PYTHONPATH: plexapiPath } });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, output };
}

describe.skipIf(!available)('python-plexapi against the simulator', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSim({ tracks: 2500 });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('passes every check of tests/python/plexapi_fidelity.py', async () => {
    const script = join(process.cwd(), 'tests/python/plexapi_fidelity.py');
    const { code, output } = await runPython(script, [sim.url, sim.token]);
    expect(output).toMatch(/\d+ passed, 0 failed/);
    expect(code, output).toBe(0);
  }, 120_000);
});

describe.skipIf(!available)('python-plexapi against a simulator with two music sections', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSim({ extraMusicSections: [{ title: 'Family Music', tracks: 300, seed: 7 }] });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('passes every check of tests/python/plexapi_sections.py', async () => {
    const script = join(process.cwd(), 'tests/python/plexapi_sections.py');
    const { code, output } = await runPython(script, [sim.url, sim.token, 'Family Music']);
    expect(output).toMatch(/\d+ passed, 0 failed/);
    expect(code, output).toBe(0);
  }, 120_000);
});
