// `sagewire demo`: the whole system on an embedded simulated Plex library — no accounts, no keys.
// Starts the simulator, points a fresh Sagewire (temporary data folder) at it, prints the URL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../app.js';
import { demoConfig } from '../config.js';
import { createLogger } from '../log.js';
import { startSimulator } from '../sim/index.js';
import { untilSignal } from './serve.js';

export const DEMO_PASSWORD = 'sagewire-demo';

export async function runDemo(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      tracks: { type: 'string', default: '5000' },
      seed: { type: 'string', default: '1' },
      port: { type: 'string' },
      'sim-port': { type: 'string', default: '0' },
    },
  });
  const tracks = Number(values.tracks);
  if (!Number.isInteger(tracks) || tracks < 1) throw Object.assign(new Error('--tracks must be a positive integer'), { userFacing: true });

  // The generated listening history ends today (to the day), so "not played for a year" and "rediscover" read
  // as they would on a library in use.
  const today = Math.floor(Date.now() / 86_400_000) * 86_400;
  const sim = await startSimulator({ port: Number(values['sim-port']), tracks, seed: Number(values.seed), listeningEndsAt: today });
  const demo = demoConfig(env, {
    plexUrl: sim.url,
    plexToken: sim.token,
    port: values.port,
    password: DEMO_PASSWORD,
    temporaryDataDir: () => mkdtempSync(join(tmpdir(), 'sagewire-demo-')),
  });
  const { config, dataDir } = demo;
  const logger = createLogger(config.logLevel);
  const app = await buildApp(config, logger);
  const url = await app.listen();
  // Live propagation: sync, the first full pass (applied: this is a simulator, not a real library), then the
  // webhook — a rating made with /__sim/user-rate reaches its album, artist and tracks within a second.
  let sample = '';
  if (app.live) {
    await app.live.ready;
    const pass = await app.live.requestFullPass();
    sim.webhooks.add(`${url}/webhooks/plex/${app.webhookSecret}`);
    const track = sim.state.tracks.find((t) => t.userRating === undefined) ?? sim.state.tracks[0];
    sample = [
      `  first full pass: ${pass.outcome?.written ?? 0} ratings inferred (μ ${pass.plan.mu.toFixed(2)}); webhooks registered`,
      `  try a rating:    curl -X POST '${sim.url}/__sim/user-rate?key=${track.ratingKey}&rating=9&X-Plex-Token=${sim.token}'`,
      `                   then the Dashboard at ${url} shows it within a second, without a reload: a row`,
      `                   naming the track (linked to its Explorer page) with what it did, then its run and`,
      `                   the counts. Plex also sends back every rating Sagewire writes ("echoes"); some may be`,
      `                   delivered before your event, and the feed folds them into one "N echoes" row`,
      `  listen:          Playlists → Albums or a generated list → Play on a simulated player ("Living Room");`,
      `                   GET ${sim.url}/__sim/now-playing?X-Plex-Token=${sim.token} shows what it plays`,
    ].join('\n');
  }
  process.stdout.write(
    [
      '',
      `Sagewire demo is running at ${url}`,
      `  login password: ${demo.ownPassword ? '(your ADMIN_PASSWORD)' : DEMO_PASSWORD}`,
      `  simulated Plex: ${sim.url} (token ${sim.token}, ${tracks} tracks, seed ${values.seed})`,
      `  data folder:    ${dataDir}${demo.temporaryDataDir ? ' (temporary, removed on exit)' : ''}`,
      ...(sample ? [sample] : []),
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await untilSignal(logger);
  await app.close();
  await sim.close();
  if (demo.temporaryDataDir) rmSync(dataDir, { recursive: true, force: true });
}
