// Another program holding the database: `npx tsx bench/busy.ts [--hold-ms N] [--samples N]`.
// Starts Sagewire (no Plex needed) on a fresh data folder, then, while a second connection holds the
// write lock (BEGIN IMMEDIATE, as a backup tool or `sqlite3` in a shell would), times GET /api/health and a
// webhook POST, each alone, --samples times; then again after the lock is released. Goals: /api/health
// answers in milliseconds whatever the lock; a webhook is taken (200, into the receiver's spool) in
// milliseconds while the lock is held, and every webhook taken reaches the inbox once it is released.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { percentile } from './live-support/harness.js';

const { values: args } = parseArgs({ args: process.argv.slice(2), options: { samples: { type: 'string', default: '5' } } });
const samples = Number(args.samples);
const SECRET = 'bench-busy-secret-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'sagewire-busy-'));
const config = loadConfig({
  DATA_DIR: dir,
  PORT: '0',
  HOST: '127.0.0.1',
  WEBHOOK_SECRET: SECRET,
  ADMIN_PASSWORD: 'bench-password',
  LOG_LEVEL: 'silent',
});
const app = await buildApp(config, createLogger('silent'));
const url = await app.listen();

const payload = JSON.stringify({
  event: 'media.rate',
  user: true,
  owner: true,
  rating: 8,
  Metadata: { type: 'track', ratingKey: '101', librarySectionType: 'artist' },
});
const timed = async (send: () => Promise<Response>) => {
  const t0 = performance.now();
  const res = await send();
  await res.arrayBuffer();
  return { ms: +(performance.now() - t0).toFixed(1), status: res.status };
};
const health = () => timed(() => fetch(`${url}/api/health`));
const webhook = () => {
  const form = new FormData();
  form.append('payload', payload);
  return timed(() => fetch(`${url}/webhooks/plex/${SECRET}`, { method: 'POST', body: form }));
};
const series = async (probe: () => Promise<{ ms: number; status: number }>) => {
  const runs = [];
  for (let i = 0; i < samples; i++) runs.push(await probe());
  const ms = runs.map((r) => r.ms);
  const statuses: Record<string, number> = {};
  for (const r of runs) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return { statuses, p50Ms: +percentile(ms, 50).toFixed(1), maxMs: +Math.max(...ms).toFixed(1) };
};

try {
  await health();
  await webhook();
  const before = { health: await series(health), webhook: await series(webhook) };
  const holder = new SQLite(config.dbPath);
  holder.exec('begin immediate');
  holder.prepare("insert into settings (key, value, updated_at) values ('bench-busy', '1', 0) on conflict (key) do nothing").run();
  // Both at once too: health must not queue behind a webhook waiting for the lock.
  const together = await Promise.all([webhook(), health()]);
  const held = {
    health: await series(health),
    webhook: await series(webhook),
    healthWhileWebhookWaits: { webhook: together[0], health: together[1] },
  };
  holder.exec('rollback');
  holder.close();
  const after = { health: await series(health), webhook: await series(webhook) };
  app.moveReceived();
  const taken = 2 + 3 * samples; // one to warm up, one beside a health check, three series
  const filed = app.database.sqlite.prepare('select count(*) from webhook_events').pluck().get() as number;
  const report = {
    samples,
    before,
    whileHeld: held,
    afterRelease: after,
    webhooksTaken: taken,
    inInbox: filed,
    goals: { healthMs: '≤ 20 while held', webhookWhileHeld: '200 in ms', inInbox: 'all taken' },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
