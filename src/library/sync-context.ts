// What the full and the incremental sync share: the narrow view of the Plex client they use, the
// running tally, and storing one page of Plex items into the cache (one short transaction, after
// the page has arrived — never across a request).
import type { LibraryReads } from '../db/library-reads.js';
import type { LibraryRepo } from '../db/library-repo.js';
import type { CachedItem, LibraryKind } from '../db/library-rows.js';
import type { PlexClient } from '../plex/client.js';
import type { Limiter } from '../plex/limit.js';
import type { PlexItem, PlexItemTypeCode } from '../plex/types.js';
import { albumItem, artistItem, trackItem } from './sync-mapping.js';

/** The part of the Plex client a sync needs. */
export type SyncPlex = Pick<
  PlexClient,
  'identity' | 'musicSection' | 'listItems' | 'countItems' | 'metadata' | 'counters' | 'lastServerTime'
>;

export type SyncPhase = 'listing' | 'changes' | 'deletions';

export interface SyncProgress {
  phase: SyncPhase;
  done: number;
  /** 0 while not yet known. */
  total: number;
}

export interface SyncTally {
  added: number;
  updated: number;
  deleted: number;
  /** Items Plex sent without the keys the cache needs; left out, never fatal. */
  skipped: number;
  /** Highest timestamps seen, the fallback watermark when Plex sends no `Date` header. */
  maxUpdatedAt: number;
  maxAddedAt: number;
  maxRatedAt: number;
}

export interface SyncContext {
  plex: SyncPlex;
  repo: LibraryRepo;
  reads: LibraryReads;
  sectionId: string;
  limiter: Limiter;
  pageSize: number;
  concurrency: number;
  signal?: AbortSignal;
  tally: SyncTally;
  progress(phase: SyncPhase, done: number, total: number): void;
}

export const KINDS: readonly { kind: LibraryKind; code: PlexItemTypeCode }[] = [
  { kind: 'artist', code: 8 },
  { kind: 'album', code: 9 },
  { kind: 'track', code: 10 },
];

const MAPPERS: Record<LibraryKind, (item: never) => CachedItem<{ rating_key: string }> | null> = {
  artist: artistItem,
  album: albumItem,
  track: trackItem,
};

export function emptyTally(): SyncTally {
  return { added: 0, updated: 0, deleted: 0, skipped: 0, maxUpdatedAt: 0, maxAddedAt: 0, maxRatedAt: 0 };
}

/** Maps and upserts one page of items of one kind; returns the stored rows' keys. */
export function storeItems(ctx: SyncContext, kind: LibraryKind, items: readonly PlexItem[]): CachedItem<{ rating_key: string }>[] {
  const mapper = MAPPERS[kind];
  const mapped: CachedItem<{ rating_key: string }>[] = [];
  const { tally } = ctx;
  for (const item of items) {
    const one = mapper(item as never);
    if (!one) {
      tally.skipped++;
      continue;
    }
    mapped.push(one);
    const row = one.row as { updated_at?: number | null; added_at?: number | null; last_rated_at?: number | null };
    if (row.updated_at && row.updated_at > tally.maxUpdatedAt) tally.maxUpdatedAt = row.updated_at;
    if (row.added_at && row.added_at > tally.maxAddedAt) tally.maxAddedAt = row.added_at;
    if (row.last_rated_at && row.last_rated_at > tally.maxRatedAt) tally.maxRatedAt = row.last_rated_at;
  }
  if (mapped.length > 0) {
    const result = ctx.repo.upsert(kind, mapped);
    tally.added += result.added;
    tally.updated += result.updated;
  }
  return mapped;
}
