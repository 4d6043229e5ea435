// `sync` and `serve` say so when an earlier Sagewire rated this library and this one has no journal
// (web/read-models/recovery-hint.ts): otherwise a reinstall plans nothing, silently.
import type { RawReader } from '../db/library-reads.js';
import type { Logger } from '../log.js';
import { recoveryHint, recoveryWarning } from '../web/read-models/recovery-hint.js';

/** Logs one warning line when the library cache shows an earlier install's ratings; says whether it did. */
export function warnIfRecoverable(sqlite: RawReader, inferredTag: string, logger: Logger, command: string): boolean {
  const hint = recoveryHint(sqlite, inferredTag);
  if (!hint) return false;
  logger.warn({ fractional: hint.fractional, tagged: hint.tagged }, `${command}: ${recoveryWarning(hint)}`);
  return true;
}
