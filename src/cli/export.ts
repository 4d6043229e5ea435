// `sagewire export --type tracks|albums|artists --out F.csv` (from the library cache; `--sync` refreshes it first)
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openRatingTools, openStateDatabase } from '../app.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { exportRatingsCsv, type ExportType } from '../engine/tools/csv-ratings.js';
import { createEngineStore } from '../engine/core/engine-store.js';
import { userError } from './progress.js';

export async function runExport(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({ args, options: { type: { type: 'string' }, out: { type: 'string' }, sync: { type: 'boolean' } } });
  const type = values.type as ExportType | undefined;
  if (!type || !['tracks', 'albums', 'artists'].includes(type)) throw userError('export: --type must be tracks, albums or artists');
  if (!values.out) throw userError('export: --out F.csv is required');
  if (values.sync) {
    const tools = await openRatingTools(config, logger);
    try {
      await tools.sync();
    } finally {
      await tools.close();
    }
  }
  const handle = await openStateDatabase(config);
  try {
    const csv = exportRatingsCsv({ store: createEngineStore(handle.sqlite) }, type);
    writeFileSync(values.out, csv);
    process.stdout.write(`export: ${csv.split('\n').filter(Boolean).length - 1} ${type} written to ${values.out}\n`);
    return 0;
  } finally {
    await handle.close();
  }
}
