// The Plex simulator in its own process (Plex is another process in real life, and on two cores an
// in-process simulator would steal Sagewire's event loop). Prints one JSON line, then runs until killed.
//   sim-child.ts TRACKS [--seed S] [--latency-ms L] [--no-echo]
import { parseArgs } from 'node:util';
import { startSimulator } from '../../src/sim/index.js';

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: {
    seed: { type: 'string', default: '1' },
    'latency-ms': { type: 'string', default: '0' },
    'no-echo': { type: 'boolean', default: false },
  },
});
const sim = await startSimulator({
  port: 0,
  tracks: Number(positionals[0] ?? '10000'),
  seed: Number(values.seed),
  latencyMs: Number(values['latency-ms']),
  echoWebhooks: !values['no-echo'],
  log: () => {},
});
process.stdout.write(
  `${JSON.stringify({ url: sim.url, token: sim.token, machineIdentifier: sim.machineIdentifier, musicSectionId: sim.musicSectionId })}\n`,
);
