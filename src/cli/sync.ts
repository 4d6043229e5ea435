// `sagewire sync [--full] [--json]`: brings the local library cache up to date with Plex — a full
// listing the first time (and at most daily, to find deletions), only what changed afterwards.
import { parseArgs } from 'node:util';
import { openLibrarySync, openStateDatabase } from '../app.js';
import type { Config } from '../config.js';
import type { SyncResult } from '../library/sync.js';
import type { Logger } from '../log.js';
import { progressLine, stopOnSignals } from './progress.js';
import { warnIfRecoverable } from './recovery-warning.js';

export async function runSync(argv: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { full: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
  });
  const library = await openLibrarySync(config);
  const stop = stopOnSignals();
  const progress = progressLine();
  try {
    const result = await library.sync({
      full: values.full,
      signal: stop.signal,
      onProgress: (p) =>
        progress.update(`sync: ${p.phase} ${p.done.toLocaleString('en')}${p.total ? ` / ${p.total.toLocaleString('en')}` : ''}`),
    });
    progress.done();
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${summary(result)}\n`);
    const state = await openStateDatabase(config);
    try {
      warnIfRecoverable(state.sqlite, config.inferredTag, logger, 'sync');
    } finally {
      await state.close();
    }
    return 0;
  } finally {
    progress.done();
    stop.dispose();
    await library.close();
  }
}

function summary(r: SyncResult): string {
  const n = (v: number) => v.toLocaleString('en');
  return (
    `sync (${r.mode}${r.reason ? `: ${r.reason}` : ''}): ${n(r.artists)} artists, ${n(r.albums)} albums, ` +
    `${n(r.tracks)} tracks in the cache; ` +
    `${n(r.added)} added, ${n(r.updated)} updated, ${n(r.deleted)} deleted; ${n(r.requests)} requests in ${r.seconds.toFixed(1)} s`
  );
}
