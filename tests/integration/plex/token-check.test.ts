// The simulator answers GET /identity to anyone, as real Plex does; Sagewire's own checks of a token —
// Setup's "Test connection" and the /api/health probe — must therefore still report a wrong token as
// rejected, by asking something that needs the token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { plexChecker } from '../../../src/web/services/plex-check.js';

let sim: RunningSimulator;
let dir: string;
beforeAll(async () => {
  sim = await startSimulator({ tracks: 50, seed: 3, echoWebhooks: false, log: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'sagewire-token-check-'));
});
afterAll(async () => {
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a wrong Plex token, now that /identity answers without one', () => {
  it('the simulator: /identity answers without a token, /library/sections still refuses a wrong one', async () => {
    const identity = await fetch(`${sim.url}/identity`, { headers: { Accept: 'application/json' } });
    expect(identity.status).toBe(200);
    expect(((await identity.json()) as { MediaContainer: { machineIdentifier: string } }).MediaContainer.machineIdentifier).toBe(
      sim.machineIdentifier,
    );
    const sections = await fetch(`${sim.url}/library/sections`, { headers: { Accept: 'application/json', 'X-Plex-Token': 'wrong-token' } });
    expect(sections.status).toBe(401);
  });

  it("Setup's connection check reports the token as rejected, and accepts the right one", async () => {
    const check = plexChecker('test', 3000);
    const wrong = await check(sim.url, 'wrong-token');
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.message).toMatch(/401|reject|token/i);
    const right = await check(sim.url, sim.token);
    expect(right).toMatchObject({ ok: true, machineIdentifier: sim.machineIdentifier });
  });

  it.each([
    ['wrong-token', { configured: true, reachable: false, error: 'Plex rejected PLEX_TOKEN' }],
    ['right', { configured: true, reachable: true }],
  ] as const)('the health probe with the %s token', async (which, expected) => {
    const token = which === 'right' ? sim.token : which;
    const config = loadConfig({
      DATA_DIR: join(dir, which),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      WEBHOOKS: 'off',
      PLEX_URL: sim.url,
      PLEX_TOKEN: token,
    });
    const app = await buildApp(config, createLogger('silent'), { live: { bootRetryMs: 60_000 } });
    try {
      const url = await app.listen();
      const health = (await (await fetch(`${url}/api/health`)).json()) as { plex: unknown };
      expect(health.plex).toEqual(expected);
    } finally {
      await app.close();
    }
  });
});
