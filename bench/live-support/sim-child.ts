// The Plex simulator in its own process (Plex is another process in real life, and on two cores an
// in-process simulator would steal Sagewire's event loop). Prints one JSON line, then runs until killed.
import { startSimulator } from '../../src/sim/index.js';

const tracks = Number(process.argv[2] ?? '10000');
const sim = await startSimulator({ port: 0, tracks, seed: 1, log: () => {} });
process.stdout.write(`${JSON.stringify({ url: sim.url, token: sim.token, machineIdentifier: sim.machineIdentifier, musicSectionId: sim.musicSectionId })}\n`);
