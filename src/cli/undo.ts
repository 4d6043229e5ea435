// `sagewire undo --run ID | --event ID | --all [--dry-run] [--json]`
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { openRatingTools } from '../app.js';
import { undoWrites, type UndoScope } from '../engine/tools/undo.js';
import { progressLine, stopOnSignals, userError } from './progress.js';

export async function runUndo(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      run: { type: 'string' },
      event: { type: 'string' },
      all: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const chosen = [values.run, values.event, values.all].filter((v) => v !== undefined && v !== false).length;
  if (chosen !== 1) throw userError('undo: give exactly one of --run ID, --event ID or --all');
  const id = (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw userError(`undo: "${v}" is not a run or event id`);
    return n;
  };
  const scope: UndoScope = values.all ? 'all' : values.run ? { runId: id(values.run) } : { eventId: id(values.event!) };
  const tools = await openRatingTools(config, logger);
  if (typeof scope === 'object' && 'runId' in scope && !tools.deps.store.runs.get(scope.runId)) {
    await tools.close();
    throw userError(`undo: there is no run ${scope.runId}`);
  }
  const stop = stopOnSignals();
  const progress = progressLine();
  try {
    const dryRun = Boolean(values['dry-run']) || config.dryRun;
    const result = await undoWrites(tools.deps, scope, {
      dryRun,
      signal: stop.signal,
      onProgress: (p) => progress.update(`undoing ${p.done}/${p.total}`),
    });
    progress.done();
    const byResult: Record<string, number> = {};
    for (const item of result.items) byResult[item.result] = (byResult[item.result] ?? 0) + 1;
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({
          runId: result.runId,
          dryRun,
          restored: result.restored,
          leftAlone: result.leftAlone,
          byResult,
          leftAloneItems: result.items.filter((i) => !['restored', 'would-restore', 'unchanged'].includes(i.result)),
        })}\n`,
      );
    } else {
      process.stdout.write(
        `${dryRun ? 'undo (dry run) would restore' : `undo run ${result.runId} restored`} ${result.restored} item(s); ` +
          `left alone ${result.leftAlone}: ${JSON.stringify(byResult)}\n`,
      );
      for (const item of result.items.filter((i) => i.result === 'changed-by-person' || i.result === 'rewritten-later').slice(0, 20)) {
        process.stdout.write(`  ${item.kind} ${item.key}: ${item.result} (Sagewire wrote ${item.wrote ?? 'nothing'})\n`);
      }
    }
    return result.cancelled ? 130 : 0;
  } finally {
    progress.done();
    stop.dispose();
    await tools.close();
  }
}
