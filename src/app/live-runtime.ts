// Live propagation as the settings in effect describe it. `serve` starts with what the environment and the
// saved settings say; when a page saves a setting live propagation depends on (the Plex connection, the
// music section, webhooks or polling, dry run, the catch-up interval, the inferred tag, the model's
// parameters, the writer), the running engine is stopped after its batch in flight and a new one is built
// from the configuration as it now stands, so nothing waits for a restart of Sagewire. A save that changes
// nothing live propagation reads leaves it running untouched.
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';
import { LiveEngine, type PlexConnection } from '../engine/live/live-engine.js';
import type { Logger } from '../log.js';
import { liveAssembly, type LiveKnobs } from './live.js';
import { plexClientFor } from './plex.js';

export interface LiveRuntimeOptions {
  database: DatabaseHandle;
  logger: Logger;
  knobs: LiveKnobs;
  plexRetries?: { retries?: number; retryBaseMs?: number };
  bootRetryMs?: number;
  /** Tests: this connection in place of the one the settings describe, kept across rebuilds. */
  plex?: PlexConnection;
  /** The Plex connection the settings describe now (null while it is missing or its token is withheld). */
  connection: () => Promise<PlexConnection | null>;
}

/** What the last change of settings did to live propagation, for the pages. */
export interface AppliedSettings {
  at: number;
  /** One sentence, e.g. "Live propagation restarted with the new settings on the section “Music”." */
  text: string;
}

export class LiveRuntime {
  /** The engine running now; null while Plex is not configured. */
  engine: LiveEngine | null = null;
  /** The configuration live propagation was last built from. */
  config: Config;
  lastApplied: AppliedSettings | null = null;
  private fingerprint: string | null = null;
  private started = false;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly builtListeners: Array<(engine: LiveEngine | null, config: Config) => void> = [];

  constructor(
    config: Config,
    private readonly options: LiveRuntimeOptions,
  ) {
    this.config = config;
  }

  /** Called with every engine built (null: none, Plex not configured), after the first one too. */
  onBuilt(listener: (engine: LiveEngine | null, config: Config) => void): void {
    this.builtListeners.push(listener);
  }

  /** Builds the first engine (not started). */
  async init(): Promise<void> {
    const connection = await this.connectionNow();
    this.build(this.config, connection);
    if (!connection)
      this.options.logger.warn('serve: Plex is not configured; live propagation starts as soon as the Setup page saves a connection');
  }

  /** Starts the engine built, and every one built from now on. */
  start(): void {
    this.started = true;
    this.engine?.start();
  }

  /**
   * Rebuilds live propagation from `next` when anything it reads changed; resolves once the old engine has
   * stopped and the new one is booting (its boot, which may sync the library, goes on in the background).
   * Calls are taken one at a time, in order.
   */
  apply(next: Config): Promise<AppliedSettings | null> {
    const run = this.queue.then(() => this.rebuild(next));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Stops the engine after its batch in flight; no engine is built after this. */
  async stop(): Promise<void> {
    this.closed = true;
    await this.queue;
    await this.engine?.stop();
  }

  private async rebuild(next: Config): Promise<AppliedSettings | null> {
    if (this.closed) return null;
    const connection = await this.connectionNow();
    if (fingerprintOf(next, connection) === this.fingerprint) {
      this.config = next;
      return null;
    }
    const old = this.engine;
    this.engine = null;
    await old?.stop();
    if (this.closed) return null;
    const engine = this.build(next, connection);
    if (this.started) engine?.start();
    const text = connection
      ? `Live propagation restarted with the new settings on the section “${connection.musicLibrary}”${next.dryRun ? ' (dry run: nothing is written to Plex)' : ''}.`
      : 'Live propagation is stopped: Plex is not configured (a URL and a token are needed).';
    this.options.logger.info({ section: connection?.musicLibrary ?? null }, `serve: settings applied: ${text}`);
    this.lastApplied = { at: Date.now(), text };
    return this.lastApplied;
  }

  private build(config: Config, connection: PlexConnection | null): LiveEngine | null {
    const { database, logger, knobs, plexRetries, bootRetryMs } = this.options;
    this.config = config;
    this.fingerprint = fingerprintOf(config, connection);
    if (connection) {
      const client = plexClientFor(connection, plexRetries);
      this.engine = new LiveEngine({
        config,
        database,
        logger,
        client,
        musicLibrary: connection.musicLibrary,
        bootRetryMs,
        assemble: liveAssembly(config, database, client, logger, knobs),
      });
    } else this.engine = null;
    for (const listener of this.builtListeners) listener(this.engine, config);
    return this.engine;
  }

  private async connectionNow(): Promise<PlexConnection | null> {
    return this.options.plex ?? (await this.options.connection());
  }
}

/** Everything live propagation is built from; the token only as a digest, so the string holds no secret. */
function fingerprintOf(config: Config, connection: PlexConnection | null): string {
  return JSON.stringify({
    plex: connection
      ? {
          url: connection.url,
          token: createHash('sha256').update(connection.token).digest('hex'),
          library: connection.musicLibrary,
          timeoutMs: connection.timeoutMs,
        }
      : null,
    webhooks: config.webhooks,
    dryRun: config.dryRun,
    reconcileMinutes: config.reconcileMinutes,
    inferredTag: config.inferredTag,
    ratingOverrides: config.ratingOverrides,
    writer: config.writer,
    retentionDays: config.inboxRetentionDays,
  });
}
