// `sagewire opt-in KEY… | --list`: re-enables inference on items the person had opted out of by
// clearing a rating Sagewire wrote. Only Sagewire's state changes (journaled as an `opt_in` run); the next
// pass (or the next event on that artist) infers them again.
import { parseArgs } from 'node:util';
import { openStateDatabase } from '../app.js';
import type { Config } from '../config.js';
import { optedOutList } from '../db/opt-out-reads.js';
import { createEngineStore } from '../engine/core/engine-store.js';
import { optInItems } from '../engine/tools/opt-in.js';
import type { Logger } from '../log.js';
import { userError } from './progress.js';

export async function runOptIn(args: string[], config: Config, _logger: Logger): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { list: { type: 'boolean' } } });
  const handle = await openStateDatabase(config);
  try {
    if (values.list) {
      const rows = await optedOutList(handle.db);
      for (const r of rows) process.stdout.write(`${r.key}\t${r.kind}\t${r.title ?? '(not in the cache)'}\n`);
      process.stdout.write(`${rows.length} opted-out item${rows.length === 1 ? '' : 's'}\n`);
      return 0;
    }
    if (positionals.length === 0) throw userError('opt-in: name the ratingKeys to re-enable, or --list to see opted-out items');
    const { changed } = optInItems(createEngineStore(handle.sqlite), positionals);
    const missed = positionals.length - changed;
    process.stdout.write(
      `opt-in: ${changed} item${changed === 1 ? '' : 's'} re-enabled${missed > 0 ? `; ${missed} not opted out (left as they are)` : ''}. ` +
        'Run `sagewire infer` (or wait for the next event on that artist) to rate them again.\n',
    );
    return 0;
  } finally {
    await handle.close();
  }
}
