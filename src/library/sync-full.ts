// The full sync: list every artist, album and track (pages of the three listings in flight together
// under one concurrency cap), upsert page by page, then find what Plex no longer has.
//
// Deletions are the one dangerous step: a paged listing of a library that changes while we read it
// can skip rows, and a skipped row must not be deleted from the cache. So every key missing from
// the listing is asked about by id (`/library/metadata/k1,k2,…`); only those Plex does not return
// are deleted, and the ones it does return are stored.
import type { LibraryKind } from '../db/library-rows.js';
import { KINDS, storeItems, type SyncContext } from './sync-context.js';
import { mapItem } from './sync-mapping.js';

export async function fullListing(ctx: SyncContext): Promise<void> {
  const seen: Record<LibraryKind, Set<string>> = { artist: new Set(), album: new Set(), track: new Set() };
  const totals: Record<LibraryKind, number> = { artist: 0, album: 0, track: 0 };
  let done = 0;
  const totalKnown = () => totals.artist + totals.album + totals.track;

  await Promise.all(
    KINDS.map(async ({ kind, code }) => {
      const pages = ctx.plex.listItems(ctx.sectionId, code, {
        pageSize: ctx.pageSize,
        concurrency: ctx.concurrency,
        limiter: ctx.limiter,
        signal: ctx.signal,
      });
      for await (const page of pages) {
        if (Number.isFinite(page.totalSize)) totals[kind] = page.totalSize;
        for (const stored of storeItems(ctx, kind, page.items)) seen[kind].add(stored.row.rating_key);
        done += page.items.length;
        ctx.progress('listing', done, Math.max(done, totalKnown()));
      }
    }),
  );

  await removeVanished(ctx, seen);
}

async function removeVanished(ctx: SyncContext, seen: Record<LibraryKind, Set<string>>): Promise<void> {
  const candidates: { kind: LibraryKind; key: string }[] = [];
  for (const { kind } of KINDS) {
    for (const key of ctx.repo.keys(kind)) if (!seen[kind].has(key)) candidates.push({ kind, key });
  }
  if (candidates.length === 0) return;
  ctx.progress('deletions', 0, candidates.length);

  const stillThere = new Set<string>();
  for (const item of await ctx.plex.metadata(
    candidates.map((c) => c.key),
    { signal: ctx.signal, concurrency: ctx.concurrency },
  )) {
    const mapped = mapItem(item);
    if (!mapped) continue;
    // Keyed by kind too: a key that now names another kind of item does not keep the old row alive.
    stillThere.add(`${mapped.kind}:${mapped.row.rating_key}`);
    storeItems(ctx, mapped.kind, [item]);
  }
  for (const { kind } of KINDS) {
    const gone = candidates.filter((c) => c.kind === kind && !stillThere.has(`${kind}:${c.key}`)).map((c) => c.key);
    if (gone.length > 0) ctx.tally.deleted += ctx.repo.delete(kind, gone);
  }
  ctx.progress('deletions', candidates.length, candidates.length);
}
