// After a reinstall or a lost volume, a fresh Sagewire pointed at a library an earlier install rated sees
// every rating as the person's own (manual) and plans nothing. The signs are in the library cache: ratings
// off the whole-point grid, which Plex clients cannot set, or the inferred mood tag, while the journal holds
// no applied write. Then the Dashboard offers Recover and `sync` / `serve` log a warning.
// The answer is kept per data version (library and ratings), so the Dashboard reads the cache again only
// after a sync or a rating change, and each count is capped (db/recovery-hint-reads.ts).
import { VersionedCache, type VersionReader } from '../../db/data-versions.js';
import type { RawReader } from '../../db/library-reads.js';
import { recoveryEvidence } from '../../db/recovery-hint-reads.js';
import type { AdminDeps } from '../deps.js';

/** Counts stop here: the notice says "at least" at it. */
const RECOVERY_COUNT_CAP = 10_000;

export interface RecoveryHint {
  /** Ratings that are not whole points (per kind up to the cap, summed). */
  fractional: number;
  /** Items carrying the inferred tag (up to the cap). */
  tagged: number;
  /** The inferred tag looked for; '' when tagging is off. */
  tag: string;
  /** Where each count stops; a count at it reads "at least". */
  cap: number;
}

/** The hint, or null when Sagewire has a journal of its own writes or the cache shows no sign of an earlier one. */
export function recoveryHint(sqlite: RawReader, tag: string, cap = RECOVERY_COUNT_CAP): RecoveryHint | null {
  const evidence = recoveryEvidence(sqlite, tag, cap);
  if (evidence.journaled || (evidence.fractional === 0 && evidence.tagged === 0)) return null;
  return { fractional: evidence.fractional, tagged: evidence.tagged, tag, cap };
}

/** The line `sync` and `serve` log when the hint is up. */
export function recoveryWarning(hint: RecoveryHint): string {
  const at = (n: number) => `${n >= hint.cap ? 'at least ' : ''}${n.toLocaleString('en')}`;
  const signs = [
    hint.fractional > 0 ? `${at(hint.fractional)} ratings that are not whole points` : '',
    hint.tagged > 0 ? `${at(hint.tagged)} items tagged ${hint.tag}` : '',
  ].filter(Boolean);
  return (
    `an earlier Sagewire seems to have rated this library (${signs.join(' and ')}), but this one has no journal: ` +
    'until its state is recovered those ratings count as manual and nothing is planned for them. ' +
    `Run sagewire recover ${recoverFlags(hint)} (add --dry-run to preview), or Recover on the Dashboard`
  );
}

/** The recover sources that match what was found. */
function recoverFlags(hint: RecoveryHint): string {
  return [hint.tagged > 0 ? '--from-tags' : '', hint.fractional > 0 ? '--from-fractional' : ''].filter(Boolean).join(' ');
}

/** One cache per connection and tag. */
const caches = new WeakMap<VersionReader, { tag: string; cache: VersionedCache<RecoveryHint | null> }>();

/** The hint as of the data versions now, built again only after a sync or a rating change. */
export function cachedRecoveryHint(sqlite: VersionReader & RawReader, tag: string): RecoveryHint | null {
  let entry = caches.get(sqlite);
  if (entry?.tag !== tag) {
    entry = { tag, cache: new VersionedCache(sqlite, ['library', 'ratings'], () => recoveryHint(sqlite, tag)) };
    caches.set(sqlite, entry);
  }
  return entry.cache.get();
}

/**
 * For the Dashboard handler: the hint for the rating pages' connection and the inferred tag in effect, or
 * null (no engine access, or nothing to recover). The page shows it with partials/dashboard-recover.eta,
 * which reads `it.page.recovery`.
 */
export async function dashboardRecoveryHint(deps: Pick<AdminDeps, 'ratings' | 'settings'>): Promise<RecoveryHint | null> {
  const sqlite = deps.ratings?.access.sqlite;
  if (!sqlite) return null;
  const tag = deps.ratings?.access.deps()?.inferredTag ?? (await deps.settings.get('INFERRED_TAG')).value ?? '';
  return cachedRecoveryHint(sqlite, tag);
}
