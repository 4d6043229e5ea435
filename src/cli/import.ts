// `sagewire import F.csv [--apply-valid] [--dry-run] [--json]`
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { importRatingsCsv } from '../engine/tools/csv-ratings.js';
import { openRatingTools } from '../app.js';
import { stopOnSignals, userError } from './progress.js';

export async function runImport(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'apply-valid': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      'no-sync': { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw userError('import: give one CSV file: sagewire import F.csv');
  let text: string;
  try {
    text = readFileSync(positionals[0], 'utf8');
  } catch (err) {
    throw userError(`import: cannot read ${positionals[0]}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const tools = await openRatingTools(config, logger);
  const stop = stopOnSignals();
  try {
    if (!values['no-sync']) await tools.sync(stop.signal);
    const result = await importRatingsCsv(tools.deps, text, {
      applyValid: values['apply-valid'],
      dryRun: Boolean(values['dry-run']) || config.dryRun,
      signal: stop.signal,
    });
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      for (const p of result.problems) process.stdout.write(`  line ${p.line}${p.ratingKey ? ` (${p.ratingKey})` : ''}: ${p.message}\n`);
      for (const s of result.skipped.slice(0, 50)) process.stdout.write(`  line ${s.line} (${s.ratingKey}): skipped — ${s.reason}\n`);
      process.stdout.write(
        result.applied
          ? `import run ${result.runId}: ${result.written} written, ${result.unchanged} unchanged, ` +
              `${result.skipped.length} skipped, ${result.problems.length} bad row(s) not applied\n`
          : `import: ${result.problems.length} bad row(s), ${result.valid} valid; ` +
              `nothing applied${result.problems.length > 0 ? ' (fix the file, or use --apply-valid)' : ''}\n`,
      );
    }
    return result.problems.length > 0 && !result.applied ? 1 : 0;
  } finally {
    stop.dispose();
    await tools.close();
  }
}
