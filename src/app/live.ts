// Live propagation's parts as app.ts builds them once Plex named the music section: the incremental engine
// (its model built), the inbox worker that feeds it, and catch-up polling, which wakes the worker.
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/connection.js';
import { inboxRetentionPolicy } from '../db/inbox-retention-repo.js';
import { CatchUpPoller } from '../engine/live/catch-up.js';
import { IncrementalEngine } from '../engine/live/incremental-engine.js';
import type { LiveEngineOptions } from '../engine/live/live-engine.js';
import type { Logger } from '../log.js';
import type { PlexClient } from '../plex/client.js';
import { InboxWorker, type WorkerOptions } from '../webhooks/worker.js';
import { engineDeps } from './engine.js';

/** Test and benchmark knobs of live propagation. */
export interface LiveKnobs {
  /** The worker's backoff and attempts. */
  worker?: Partial<Omit<WorkerOptions, 'db' | 'applier' | 'logger'>>;
  /** Catch-up interval; default RECONCILE_MINUTES. */
  catchUpIntervalMs?: number;
}

/** Live propagation's parts for the section Plex named: the engine (its model built), the worker, the poller. */
export function liveAssembly(
  config: Config,
  database: DatabaseHandle,
  client: PlexClient,
  logger: Logger,
  knobs: LiveKnobs,
): LiveEngineOptions['assemble'] {
  return async (section, wake) => {
    const deps = engineDeps(database.sqlite, client, section.key, config, logger);
    const engine = new IncrementalEngine({
      deps,
      db: database.db,
      plex: client,
      sectionId: section.key,
      machineIdentifier: section.machineIdentifier,
      dryRun: config.dryRun,
      wake,
    });
    await engine.init();
    const worker = new InboxWorker({
      db: database.db,
      applier: engine,
      logger,
      retention: inboxRetentionPolicy(config.inboxRetentionDays),
      ...knobs.worker,
    });
    const poller = new CatchUpPoller({
      db: database.db,
      sqlite: database.sqlite,
      plex: client,
      sectionId: section.key,
      logger,
      intervalMs: knobs.catchUpIntervalMs ?? config.reconcileMinutes * 60_000,
      onEnqueued: () => worker.wake(),
    });
    return { deps, engine, worker, poller };
  };
}
