// The incremental sync: ask Plex only for items changed since the last sync and store them.
//
// Three filters per item type, because each misses something the others catch:
//   updatedAt>>=  metadata edits (titles, tags);   addedAt>>=  new items;
//   lastRatedAt>>=  ratings — setting a rating does NOT change `updatedAt`.
// Watermarks are Plex's own clock at the start of the previous sync, minus one second: an edit in
// the same second as the watermark is fetched again rather than missed.
//
// Deletions leave no trace to filter on. A cheap check (three count-only requests) shows when
// the cache holds more items than Plex; the caller then runs a full listing.
import type { LibraryKind } from '../db/library-rows.js';
import type { SyncStateRow } from '../db/library-sync-state.js';
import type { PlexFilters } from '../plex/types.js';
import { KINDS, storeItems, type SyncContext } from './sync-context.js';

export interface ChangesOutcome {
  /** True when the cache holds items Plex no longer counts: a full listing must find them. */
  deletionsSuspected: boolean;
}

export async function applyChanges(ctx: SyncContext, state: SyncStateRow): Promise<ChangesOutcome> {
  const filters: PlexFilters[] = [
    { 'updatedAt>>': (state.watermark_updated_at ?? 0) - 1 },
    { 'addedAt>>': (state.watermark_added_at ?? 0) - 1 },
    { 'lastRatedAt>>': (state.watermark_rated_at ?? 0) - 1 },
  ];
  const changedParents = {
    artist: new Map<string, { rating_key: string; title: string }>(),
    album: new Map<string, { rating_key: string; title: string; year: number | null }>(),
  };
  let done = 0;

  await Promise.all(
    KINDS.flatMap(({ kind, code }) =>
      filters.map(async (filter) => {
        const pages = ctx.plex.listItems(ctx.sectionId, code, {
          filters: filter,
          pageSize: ctx.pageSize,
          concurrency: 1,
          limiter: ctx.limiter,
          signal: ctx.signal,
        });
        for await (const page of pages) {
          const stored = storeItems(ctx, kind, page.items);
          if (kind === 'artist' || kind === 'album') {
            for (const { row } of stored) changedParents[kind].set(row.rating_key, row as never);
          }
          done += page.items.length;
          ctx.progress('changes', done, done);
        }
      }),
    ),
  );

  // A renamed artist or album does not bump its tracks' `updatedAt`; copy the names down.
  if (changedParents.artist.size > 0 || changedParents.album.size > 0) {
    ctx.repo.propagateParents([...changedParents.artist.values()], [...changedParents.album.values()]);
  }
  return { deletionsSuspected: await cacheHoldsMoreThanPlex(ctx) };
}

async function cacheHoldsMoreThanPlex(ctx: SyncContext): Promise<boolean> {
  const cached = ctx.reads.counts();
  const cachedOf: Record<LibraryKind, number> = { artist: cached.artists, album: cached.albums, track: cached.tracks };
  const plexCounts = await Promise.all(
    KINDS.map(({ code }) => ctx.limiter(() => ctx.plex.countItems(ctx.sectionId, code, { signal: ctx.signal }))),
  );
  // Only "more in the cache" means deletions; fewer can be items skipped as malformed, and
  // escalating for those would turn every sync into a full one.
  return KINDS.some(({ kind }, i) => Number.isFinite(plexCounts[i]) && cachedOf[kind] > plexCounts[i]);
}
