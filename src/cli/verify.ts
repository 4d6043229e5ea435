// `sagewire verify [--fix] [--json]`
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { openRatingTools } from '../app.js';
import { verifyState } from '../engine/tools/verify.js';
import { progressLine, stopOnSignals } from './progress.js';

export async function runVerify(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({ args, options: { fix: { type: 'boolean' }, json: { type: 'boolean' }, 'no-sync': { type: 'boolean' } } });
  const tools = await openRatingTools(config, logger);
  const stop = stopOnSignals();
  const progress = progressLine();
  try {
    if (!values['no-sync']) await tools.sync(stop.signal);
    const fix = Boolean(values.fix) && !config.dryRun;
    const report = await verifyState(tools.deps, {
      fix,
      signal: stop.signal,
      onProgress: (p) => progress.update(`verifying ${p.done}/${p.total}`),
    });
    progress.done();
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      const c = report.counts;
      process.stdout.write(
        `verify: ${report.checked} checked — ${c.in_sync} in sync, ${c.taken_over} taken over, ${c.cleared} cleared, ` +
          `${c.deleted} deleted, ` +
          `${c.tag_missing} tag missing, ${c.tag_stray} stray tag, ${c.rated_after_opt_out} rated after opt-out, ` +
          `${c.opted_out} opted out; ` +
          `${c.target_moved} targets moved by ε or more${report.fixRunId ? `; fixed ${report.fixed} (run ${report.fixRunId})` : ''}\n`,
      );
      for (const p of report.problems.slice(0, 20))
        process.stdout.write(`  ${p.kind} ${p.key}: ${p.finding} (wrote ${p.written ?? '—'}, Plex holds ${p.current ?? '—'})\n`);
      if (report.problems.length > 0 && !fix) process.stdout.write('  run `sagewire verify --fix` to resolve these\n');
      if (c.target_moved > 0) process.stdout.write('  run `sagewire infer` to write the moved targets\n');
    }
    return 0;
  } finally {
    progress.done();
    stop.dispose();
    await tools.close();
  }
}
