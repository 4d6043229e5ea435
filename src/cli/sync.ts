// `sagewire sync [--full] [--json]` — filled in when the Plex client and library sync land.
import type { Config } from '../config.js';
import type { Logger } from '../log.js';

export async function runSync(_args: string[], _config: Config, _logger: Logger): Promise<number> {
  throw Object.assign(new Error('sync: not available yet'), { userFacing: true });
}
