// `sagewire recover [--from-tags] [--from-fractional] [--from-state-file FILE] [--dry-run] [--json]`
// A state file's keys are checked against the library cache (synced first unless --no-sync): unknown keys
// are counted and skipped without a Plex read; a file past STATE_FILE_LIMITS is refused.
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { recoverState } from '../engine/tools/recover.js';
import { openRatingTools } from '../app.js';
import { stopOnSignals, userError } from './progress.js';

export async function runRecover(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'from-tags': { type: 'boolean' },
      'from-fractional': { type: 'boolean' },
      'from-state-file': { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      'no-sync': { type: 'boolean' },
    },
  });
  if (!values['from-tags'] && !values['from-fractional'] && !values['from-state-file']) {
    throw userError('recover: choose at least one source: --from-tags, --from-fractional, --from-state-file plex_state.json');
  }
  const tools = await openRatingTools(config, logger);
  const stop = stopOnSignals();
  try {
    if (!values['no-sync']) await tools.sync(stop.signal);
    const report = await recoverState(
      tools.deps,
      { fromTags: values['from-tags'], fromFractional: values['from-fractional'], stateFile: values['from-state-file'] },
      { dryRun: Boolean(values['dry-run']) || config.dryRun, signal: stop.signal },
    );
    if (values.json) process.stdout.write(`${JSON.stringify({ ...report, claimed: report.claimed.length })}\n`);
    else {
      const { unknown, ...others } = report.skipped;
      process.stdout.write(
        `recover${report.dryRun ? ' (dry run)' : ''}: ${report.claimed.length} of ${report.candidates} candidates ` +
          `${report.dryRun ? 'would be' : 'were'} claimed as Sagewire's; ` +
          `${unknown} unknown key(s) skipped without asking Plex (not in the library cache); ` +
          `skipped ${JSON.stringify(others)}; ${report.tagsAdded} tags added${report.runId ? ` (run ${report.runId})` : ''}\n`,
      );
    }
    return 0;
  } finally {
    stop.dispose();
    await tools.close();
  }
}
