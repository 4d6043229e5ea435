// Library cache sync: brings the local copy of the configured music section up to date with Plex.
//
// Full when there is no usable previous sync (first run, another server or section: the cache is
// emptied first), when asked, when the last deletion scan is older than a day, or when the
// incremental pass finds the cache holding more items than Plex. Incremental otherwise
// (sync-changes.ts). The watermarks are saved only after a sync succeeds, so a failed or
// interrupted sync is simply repeated from the old ones next time.
import type { Kysely } from 'kysely';
import { LibraryReads } from '../db/library-reads.js';
import { LibraryRepo, type RawDatabase } from '../db/library-repo.js';
import { readSyncState, saveSyncState, type SyncStateRow } from '../db/library-sync-state.js';
import type { Database } from '../db/schema.js';
import { createLimiter } from '../plex/limit.js';
import type { PlexIdentity, PlexSection } from '../plex/types.js';
import { applyChanges } from './sync-changes.js';
import { emptyTally, type SyncContext, type SyncPlex, type SyncProgress } from './sync-context.js';
import { fullListing } from './sync-full.js';

export type { SyncProgress, SyncPlex } from './sync-context.js';

export interface SyncOptions {
  db: { db: Kysely<Database>; sqlite: RawDatabase };
  plex: SyncPlex;
  /** Title (or id) of the music section, e.g. config.plex.musicLibrary. */
  sectionTitle: string;
  /** Force a full listing with a deletion scan. */
  full?: boolean;
  /** Clock in epoch ms (for the sync bookkeeping). */
  now?: () => number;
  onProgress?: (progress: SyncProgress) => void;
  signal?: AbortSignal;
  /** Items per page. Default 1000. */
  pageSize?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Hours between deletion scans (full listings) when nothing else asks for one. Default 24. */
  deletionScanHours?: number;
}

export interface SyncResult {
  /** Counts in the cache after the sync. */
  artists: number;
  albums: number;
  tracks: number;
  added: number;
  updated: number;
  deleted: number;
  /** Items left out because Plex sent them without their keys. */
  skipped: number;
  mode: 'full' | 'incremental';
  /** Why a full sync was chosen; null for incremental. */
  reason: string | null;
  /** Plex requests sent (retries included). */
  requests: number;
  seconds: number;
}

export async function syncLibrary(options: SyncOptions): Promise<SyncResult> {
  const started = performance.now();
  const now = options.now ?? Date.now;
  const { plex } = options;
  const requestsBefore = plex.counters.requests;
  const repo = new LibraryRepo(options.db.sqlite);
  const reads = new LibraryReads(options.db.sqlite);

  const identity = await plex.identity(options.signal);
  // Plex's clock when this sync began: the next incremental asks for changes from here on.
  const serverStart = plex.lastServerTime;
  const section = await plex.musicSection(options.sectionTitle, options.signal);
  const state = await readSyncState(options.db.db);

  const concurrency = options.concurrency ?? 4;
  const ctx: SyncContext = {
    plex,
    repo,
    reads,
    sectionId: section.key,
    limiter: createLimiter(concurrency),
    pageSize: options.pageSize ?? 1000,
    concurrency,
    signal: options.signal,
    tally: emptyTally(),
    progress: (phase, done, total) => options.onProgress?.({ phase, done, total }),
  };

  let reason = fullSyncReason(state, identity, section, options, now());
  if (reason === 'another server or library') repo.clear();
  if (reason === null) {
    const { deletionsSuspected } = await applyChanges(ctx, state!);
    if (deletionsSuspected) reason = 'Plex has fewer items than the cache';
  }
  if (reason !== null) await fullListing(ctx);

  const nowSeconds = Math.floor(now() / 1000);
  const { tally } = ctx;
  const mark = (seen: number, previous: number | null | undefined) => serverStart ?? Math.max(seen, previous ?? 0);
  await saveSyncState(options.db.db, {
    section_id: Number(section.key),
    section_uuid: section.uuid ?? null,
    machine_identifier: identity.machineIdentifier,
    last_sync_at: nowSeconds,
    last_full_sync_at: reason !== null ? nowSeconds : (state?.last_full_sync_at ?? null),
    last_deletion_scan_at: reason !== null ? nowSeconds : (state?.last_deletion_scan_at ?? null),
    watermark_updated_at: mark(tally.maxUpdatedAt, state?.watermark_updated_at),
    watermark_added_at: mark(tally.maxAddedAt, state?.watermark_added_at),
    watermark_rated_at: mark(tally.maxRatedAt, state?.watermark_rated_at),
  });

  const counts = reads.counts();
  return {
    ...counts,
    added: tally.added,
    updated: tally.updated,
    deleted: tally.deleted,
    skipped: tally.skipped,
    mode: reason === null ? 'incremental' : 'full',
    reason,
    requests: plex.counters.requests - requestsBefore,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}

/** Null when an incremental sync is enough; otherwise why it is not. */
function fullSyncReason(
  state: SyncStateRow | null,
  identity: PlexIdentity,
  section: PlexSection,
  options: SyncOptions,
  nowMs: number,
): string | null {
  const sameLibrary =
    state !== null &&
    String(state.section_id) === section.key &&
    state.machine_identifier === identity.machineIdentifier &&
    (state.section_uuid ?? null) === (section.uuid ?? null);
  if (state === null) return 'first sync';
  if (!sameLibrary) return 'another server or library';
  if (options.full) return 'requested';
  if (state.watermark_updated_at === null || state.watermark_added_at === null || state.watermark_rated_at === null) return 'no watermark';
  const scanEverySeconds = (options.deletionScanHours ?? 24) * 3600;
  if (state.last_deletion_scan_at === null || nowMs / 1000 - state.last_deletion_scan_at >= scanEverySeconds) return 'daily deletion scan';
  return null;
}
