// Live propagation as `serve` runs it: the incremental engine behind the inbox worker, plus catch-up
// polling. Boot (in the background, retried while Plex is unreachable): identify the server and the music
// section → sync the cache when it is empty or from another library → app.ts assembles the engine for that
// section (its init reconciles the journal and builds the model), the worker and the poller → start the
// worker (which revives events a crash left `processing`) → start catch-up (which polls at once, so what
// changed while Sagewire was down is queued). Stop: catch-up first, then the worker after its batch in flight.
import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/connection.js';
import { readSyncState } from '../../db/library-sync-state.js';
import type { Logger } from '../../log.js';
import type { PlexClient } from '../../plex/client.js';
import type { InboxWorker } from '../../webhooks/worker.js';
import type { CatchUpPoller } from './catch-up.js';
import type { EngineDeps, FullPassResult } from '../pass/full-pass.js';
import type { IncrementalEngine, IncrementalStatus } from './incremental-engine.js';
import type { OwnershipCounts } from '../core/ownership-counts.js';
import { syncLibrary } from '../../library/sync.js';

export interface PlexConnection {
  url: string;
  token: string;
  musicLibrary: string;
  timeoutMs: number;
}

/** The music section live propagation runs on, as Plex named it at boot. */
export interface LiveSection {
  key: string;
  machineIdentifier: string;
}

/** What runs live propagation for one section; built by app.ts. */
export interface LiveParts {
  deps: EngineDeps;
  /** Its model already built (init). */
  engine: IncrementalEngine;
  worker: InboxWorker;
  poller: CatchUpPoller;
}

export interface LiveEngineOptions {
  /** What the status and the log say: the catch-up interval, whether webhooks are on, dry-run mode. */
  config: Pick<Config, 'reconcileMinutes' | 'webhooks' | 'dryRun'>;
  database: DatabaseHandle;
  logger: Logger;
  client: PlexClient;
  musicLibrary: string;
  /** Builds the engine, the worker and the poller for the section (`wake` tells the worker to look for work now). */
  assemble(section: LiveSection, wake: () => void): Promise<LiveParts>;
  bootRetryMs?: number;
}

export interface LiveStatus {
  state: 'starting' | 'running' | 'stopped' | 'failed';
  error: string | null;
  engine: IncrementalStatus | null;
  catchUp: { intervalMinutes: number; lastPollAt: number | null; lastResult: unknown };
  webhooks: 'on' | 'off';
}

export class LiveEngine {
  readonly client: PlexClient;
  engine: IncrementalEngine | null = null;
  worker: InboxWorker | null = null;
  poller: CatchUpPoller | null = null;
  deps: EngineDeps | null = null;
  /** The section as Plex named it at boot (null before): its id routes webhooks to this engine's inbox. */
  section: (LiveSection & { title: string }) | null = null;
  /** Resolves once the worker runs (after the first successful boot). */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private state: LiveStatus['state'] = 'starting';
  private error: string | null = null;
  private stopped = false;
  private bootTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: LiveEngineOptions) {
    this.client = options.client;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /** Boots in the background; a failure (Plex down) is logged and retried. */
  start(): void {
    const attempt = async () => {
      if (this.stopped) return;
      try {
        await this.boot();
        this.state = 'running';
        this.error = null;
        this.markReady();
      } catch (err) {
        this.state = 'failed';
        this.error = err instanceof Error ? err.message : String(err);
        this.options.logger.error({ err: this.error }, 'engine: could not start live propagation; retrying');
        if (!this.stopped) {
          this.bootTimer = setTimeout(() => void attempt(), this.options.bootRetryMs ?? 30_000);
          this.bootTimer.unref();
        }
      }
    };
    void attempt();
  }

  wake(): void {
    this.worker?.wake();
  }

  requestFullPass(): Promise<FullPassResult> {
    if (!this.engine) return Promise.reject(new Error('engine: live propagation has not started'));
    return this.engine.requestFullPass();
  }

  /** Stops polling, then the worker after the write batch in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.bootTimer) clearTimeout(this.bootTimer);
    await this.poller?.stop();
    this.engine?.stop();
    await this.worker?.stop();
    this.state = 'stopped';
  }

  /** Ownership of every artist, album and track (per kind and in total); null before the model is built. */
  ownership(): OwnershipCounts | null {
    return this.engine?.model.tally ? this.engine.model.ownershipCounts() : null;
  }

  status(): LiveStatus {
    return {
      state: this.state,
      error: this.error,
      engine: this.engine?.status() ?? null,
      catchUp: {
        intervalMinutes: this.options.config.reconcileMinutes,
        lastPollAt: this.poller?.lastPollAt ?? null,
        lastResult: this.poller?.lastResult ?? null,
      },
      webhooks: this.options.config.webhooks,
    };
  }

  private async boot(): Promise<void> {
    const { config, database, logger, musicLibrary } = this.options;
    const identity = await this.client.identity();
    const section = await this.client.musicSection(musicLibrary);
    const synced = await readSyncState(database.db);
    if (!synced || String(synced.section_id) !== section.key || synced.machine_identifier !== identity.machineIdentifier) {
      logger.info({ section: section.title }, 'engine: the library cache is empty or of another library; syncing first');
      const result = await syncLibrary({ db: database, plex: this.client, sectionTitle: musicLibrary });
      logger.info({ tracks: result.tracks, seconds: result.seconds }, 'engine: library cache synced');
    }
    if (this.stopped) return;
    this.section = { key: section.key, machineIdentifier: identity.machineIdentifier, title: section.title };
    const { deps, engine, worker, poller } = await this.options.assemble(
      { key: section.key, machineIdentifier: identity.machineIdentifier },
      () => this.wake(),
    );
    this.deps = deps;
    this.engine = engine;
    this.worker = worker;
    this.poller = poller;
    if (this.stopped) return;
    await worker.start();
    poller.start();
    logger.info(
      { webhooks: config.webhooks, catchUpMinutes: config.reconcileMinutes, dryRun: config.dryRun },
      'engine: live propagation running',
    );
  }
}
