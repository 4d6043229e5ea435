// Shared by the live benchmarks: a simulator child process, and a Sagewire `serve` (buildApp + listen) in
// this process with live propagation, its cache synced and a first full pass applied.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type Sagewire } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { control, type SimChild } from './sim-process.js';

export const SECRET = 'bench-webhook-secret-0123456789';

export { control, spawnSim, type SimChild } from './sim-process.js';

export interface Bench {
  app: Sagewire;
  url: string;
  webhookUrl: string;
  close(): Promise<void>;
}

/** Sagewire on a fresh data folder: synced, first full pass applied (without echoes), webhook registered. */
export async function startSagewire(sim: SimChild, options: { register?: boolean } = {}): Promise<Bench> {
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-bench-'));
  const config = loadConfig({
    PLEX_URL: sim.url,
    PLEX_TOKEN: sim.token,
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_SECRET: SECRET,
    ADMIN_PASSWORD: 'bench-password',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    RECONCILE_MINUTES: '600',
    // The model's settings pass through, so a run can compare the learned model with the classic one.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('RATING_'))),
  });
  const app = await buildApp(config, createLogger(config.logLevel), { live: { worker: { idlePollMs: 200 } } });
  const url = await app.listen();
  await app.live!.ready;
  await control(sim, '/__sim/config?echoWebhooks=0');
  const pass = await app.live!.requestFullPass();
  await control(sim, '/__sim/config?echoWebhooks=1');
  process.stderr.write(`bench: first full pass wrote ${pass.outcome?.written ?? 0} ratings in ${pass.seconds.toFixed(1)} s\n`);
  const webhookUrl = `${url}/webhooks/plex/${SECRET}`;
  if (options.register !== false) await control(sim, `/__sim/webhooks?url=${encodeURIComponent(webhookUrl)}`);
  return {
    app,
    url,
    webhookUrl,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
