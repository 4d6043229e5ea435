// The Plex simulator as a child process for the benchmarks (see sim-child.ts), and its control API.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SimChild {
  url: string;
  token: string;
  machineIdentifier: string;
  musicSectionId: number;
  child: ChildProcess;
}

export interface SimChildOptions {
  seed?: number;
  /** Added to every Plex request. */
  latencyMs?: number;
  /** Rating writes come back as webhooks (default true). */
  echoWebhooks?: boolean;
}

/** Starts the simulator in a child process; resolves once it listens. Kill `child` to stop it. */
export async function spawnSim(tracks: number, options: SimChildOptions = {}): Promise<SimChild> {
  const entry = fileURLToPath(new URL('./sim-child.ts', import.meta.url));
  const flags = [
    '--seed',
    String(options.seed ?? 1),
    '--latency-ms',
    String(options.latencyMs ?? 0),
    ...(options.echoWebhooks === false ? ['--no-echo'] : []),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', '--max-old-space-size=4096', entry, String(tracks), ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { ...(JSON.parse(line) as Omit<SimChild, 'child'>), child };
}

export async function control<T = Record<string, unknown>>(sim: SimChild, path: string, method = 'POST'): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, { method, headers: { 'X-Plex-Token': sim.token, Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
