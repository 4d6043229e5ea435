// The main thread's side of the front door (see thread.ts): starts the thread, relays what it says
// (committed events wake the worker, its log lines go to the main logger, it asks for Plex probes), and
// restarts it on the same port if it dies; after repeated deaths it gives up and reports the failure,
// so the process stops rather than run without a receiver.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../log.js';
import type { PlexProbe } from '../web/health.js';
import type { FromFront, FrontData, ToFront } from './messages.js';

export interface FrontDoorOptions {
  data: FrontData;
  logger: Logger;
  /** An event was committed to the spool (pending or ignored). */
  onAccepted(id: number): void;
  probePlex: PlexProbe;
  /** The thread died and could not be restarted: the process should stop. */
  onFatal(err: Error): void;
  /** Restarts allowed within a minute before giving up. */
  maxRestartsPerMinute?: number;
}

const FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * The thread's module: thread.js from dist/; run from the TypeScript sources (tests, benchmarks,
 * `npm run dev`), a small module that loads thread.ts through tsx (a dev dependency), since a worker
 * does not take loader flags such as `--import tsx`.
 */
function threadEntry(): URL {
  if (!FROM_SOURCE) return new URL('./thread.js', import.meta.url);
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const exported = (JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports[
    './esm/api'
  ];
  const api = pathToFileURL(join(dirname(manifest), exported.import.default)).href;
  const thread = new URL('./thread.ts', import.meta.url).href;
  const code = `import { tsImport } from ${JSON.stringify(api)};\nawait tsImport(${JSON.stringify(thread)}, ${JSON.stringify(thread)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export class FrontDoor {
  private worker: Worker | null = null;
  private stopping = false;
  private restarts: number[] = [];
  private data: FrontData;

  private constructor(private readonly options: FrontDoorOptions) {
    this.data = options.data;
  }

  /** Starts the thread; resolves once it listens (the port is then the one it bound). */
  static async start(options: FrontDoorOptions): Promise<FrontDoor> {
    const door = new FrontDoor(options);
    await door.spawn();
    return door;
  }

  /** The public port. */
  get port(): number {
    return this.data.port;
  }

  /** The running thread (tests stop it to see the restart). */
  get thread(): Worker | null {
    return this.worker;
  }

  /** Turns the receiver on or off (WEBHOOKS saved on the Settings page); a restarted thread keeps the choice. */
  setWebhooks(enabled: boolean): void {
    if (!this.data.webhooks) return;
    this.data = { ...this.data, webhooks: { ...this.data.webhooks, enabled } };
    this.worker?.postMessage({ type: 'webhooks', enabled } satisfies ToFront);
  }

  /** Stops accepting and waits for requests in flight, then ends the thread. */
  async close(): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const stopped = new Promise<void>((resolve) => {
      worker.on('message', (m: FromFront) => m.type === 'stopped' && resolve());
    });
    worker.postMessage({ type: 'stop' } satisfies ToFront);
    // A thread that does not finish in time is ended anyway.
    const late = new Promise<void>((resolve) => setTimeout(resolve, this.data.limits.closeGraceMs + 2_000).unref());
    await Promise.race([stopped, exited, late]);
    await worker.terminate();
    this.worker = null;
  }

  private spawn(): Promise<void> {
    const { logger } = this.options;
    const worker = new Worker(threadEntry(), { workerData: this.data, name: 'sagewire-front' });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let listening = false;
      worker.on('message', (message: FromFront) => {
        switch (message.type) {
          case 'accepted':
            this.options.onAccepted(message.id);
            break;
          case 'log':
            relog(logger, message.line);
            break;
          case 'probe':
            void this.options
              .probePlex()
              .catch((err: unknown) => ({ configured: null, reachable: null, error: `probe failed: ${(err as Error).message}` }))
              .then((value) => worker.postMessage({ type: 'probe-result', value } satisfies ToFront));
            break;
          case 'listening':
            listening = true;
            // A restart binds the same port again, not a new one.
            this.data = { ...this.data, port: message.port };
            resolve();
            break;
          case 'listen-failed':
            reject(Object.assign(new Error(message.message), { code: message.code }));
            void worker.terminate();
            break;
          case 'stopped':
            break;
        }
      });
      worker.on('error', (err) => {
        logger.error({ err }, 'front: the receiver thread failed');
        if (!listening) reject(err);
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = null;
        if (!listening) {
          reject(new Error(`the receiver thread exited (code ${code}) before listening`));
          return;
        }
        if (!this.stopping) this.restart(code);
      });
    });
  }

  private restart(code: number): void {
    const { logger } = this.options;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    if (this.restarts.length >= (this.options.maxRestartsPerMinute ?? 3)) {
      this.options.onFatal(
        new Error(`the receiver thread stopped ${this.restarts.length + 1} times within a minute (last exit code ${code})`),
      );
      return;
    }
    this.restarts.push(now);
    logger.error({ code }, 'front: the receiver thread stopped; restarting it');
    this.spawn().then(
      () => logger.info({ port: this.data.port }, 'front: the receiver thread is back'),
      (err: Error) => this.options.onFatal(err),
    );
  }
}

/** A log line of the thread, logged by the main logger (its level, fields and message; its own time). */
function relog(logger: Logger, line: string): void {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = record;
  const label = logger.levels.labels[Number(level)] as 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | undefined;
  if (label) logger[label](fields, typeof msg === 'string' ? msg : '');
}
