// `sagewire sim`: the simulator alone, for trying Sagewire (or python-plexapi) against a fake Plex.
import { parseArgs } from 'node:util';
import { startSimulator, DEFAULT_SIM_TRACKS } from './index.js';
import type { FaultMode } from './config.js';
import type { ExtraSectionSpec } from './generate.js';

const USAGE = `usage: sagewire sim [--host 127.0.0.1] [--port 32400] [--token sim-token] [--tracks ${DEFAULT_SIM_TRACKS}] [--seed 1]
                    [--library FILE] [--listening-ends today|YYYY-MM-DD] [--latency-ms N] [--fault-rate 0..1] [--fault-mode error|timeout|drop] [--webhook URL]...
                    [--extra-section "TITLE:TRACKS[:SEED]"]...   (another music section, e.g. --extra-section "Family Music:300")`;

export async function runSimCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '32400' },
      token: { type: 'string', default: 'sim-token' },
      tracks: { type: 'string', default: String(DEFAULT_SIM_TRACKS) },
      seed: { type: 'string', default: '1' },
      library: { type: 'string' },
      'listening-ends': { type: 'string' },
      'latency-ms': { type: 'string', default: '0' },
      'fault-rate': { type: 'string', default: '0' },
      'fault-mode': { type: 'string', default: 'error' },
      webhook: { type: 'string', multiple: true, default: [] },
      'extra-section': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const int = (name: string, raw: string, min: number, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`sim: --${name} must be an integer from ${min} to ${max}\n${USAGE}`);
    return n;
  };
  const faultRate = Number(values['fault-rate']);
  if (!(faultRate >= 0 && faultRate <= 1)) throw new Error(`sim: --fault-rate must be between 0 and 1\n${USAGE}`);
  if (!['error', 'timeout', 'drop'].includes(values['fault-mode']))
    throw new Error(`sim: --fault-mode must be error, timeout or drop\n${USAGE}`);

  const listeningEndsAt = listeningEnd(values['listening-ends']);
  const extraMusicSections = values['extra-section'].map(extraSection);

  const started = Date.now();
  const sim = await startSimulator({
    host: values.host,
    port: int('port', values.port, 0, 65535),
    token: values.token,
    tracks: int('tracks', values.tracks, 0, 5_000_000),
    seed: int('seed', values.seed, 0, 2 ** 32 - 1),
    libraryFile: values.library,
    listeningEndsAt,
    latencyMs: int('latency-ms', values['latency-ms'], 0, 600_000),
    faultRate,
    faultMode: values['fault-mode'] as FaultMode,
    webhookUrls: values.webhook,
    extraMusicSections,
  });
  const { state } = sim;
  console.log(`Plex simulator listening on ${sim.url} (ready in ${Date.now() - started} ms)`);
  console.log(`  token              ${sim.token}`);
  console.log(`  machineIdentifier  ${sim.machineIdentifier}`);
  for (const section of state.sections) {
    const rated = section.tracks.filter((t) => t.userRating !== undefined).length;
    console.log(
      `  section ${String(section.id).padEnd(10)} "${section.title}": ${section.artists.length} artists, ${section.albums.length} albums, ${section.tracks.length} tracks (${rated} rated)`,
    );
  }
  for (const p of sim.players.nowPlaying().players) console.log(`  player             ${p.name} (${p.product}) ${p.machineIdentifier}`);
  if (values.webhook.length > 0) console.log(`  webhooks           ${values.webhook.join(', ')}`);
  console.log('  control API        POST /__sim/user-rate?key=&rating=  GET /__sim/stats  (Ctrl-C to stop)');

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void sim.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `TITLE:TRACKS[:SEED]`; the title may itself hold colons, the numbers are read from the end. */
function extraSection(raw: string): ExtraSectionSpec {
  const m = raw.match(/^(.+?):(\d+)(?::(\d+))?$/);
  const tracks = Number(m?.[2]);
  const seed = m?.[3] === undefined ? undefined : Number(m[3]);
  if (
    !m ||
    m[1].trim() === '' ||
    !Number.isSafeInteger(tracks) ||
    tracks < 1 ||
    tracks > 5_000_000 ||
    (seed !== undefined && seed > 2 ** 32 - 1)
  )
    throw new Error(`sim: --extra-section must be "TITLE:TRACKS" or "TITLE:TRACKS:SEED" (tracks 1 to 5000000), not "${raw}"\n${USAGE}`);
  return { title: m[1].trim(), tracks, seed };
}

/** `today` (to the day) or a date; undefined keeps the generated library's fixed end. */
function listeningEnd(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const day = raw === 'today' ? new Date().toISOString().slice(0, 10) : raw;
  const at = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(at)) throw new Error(`sim: --listening-ends must be "today" or a date (YYYY-MM-DD)\n${USAGE}`);
  return at / 1000;
}
