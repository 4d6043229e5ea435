// `sagewire serve`: the web server (and, as later parts land, the worker and reconciliation)
// until SIGINT/SIGTERM, then a clean stop.
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { warnIfRecoverable } from './recovery-warning.js';

export async function serve(config: Config, logger: Logger, onListening?: (url: string) => void): Promise<void> {
  const app = await buildApp(config, logger);
  const url = await app.listen();
  onListening?.(url);
  // Once live propagation has synced the cache (or at once, without Plex): the cache is what shows an
  // earlier install's ratings. A check that fails (the server stopping meanwhile) only costs the warning.
  const warn = () => {
    try {
      warnIfRecoverable(app.database.sqlite, app.live?.deps?.inferredTag ?? config.inferredTag, logger, 'serve');
    } catch (err) {
      logger.debug({ err }, 'serve: could not look for an earlier install');
    }
  };
  if (app.live) void app.live.ready.then(warn);
  else warn();
  // A receiver thread that cannot be kept running stops the process (exit code 1) rather than leave
  // a server up that drops every webhook.
  const outcome = await Promise.race([untilSignal(logger), app.failed.catch(() => 'failed' as const)]);
  await app.close();
  if (outcome === 'failed') process.exitCode = 1;
}

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
export function untilSignal(logger: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'stopping');
      process.once(signal, () => process.exit(130));
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
