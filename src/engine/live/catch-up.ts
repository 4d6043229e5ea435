// Catch-up polling: webhooks are an accelerator, never the only input. On start and every RECONCILE_MINUTES,
// ask Plex for items rated (`lastRatedAt>>=`) or added (`addedAt>>=`) since the watermark, and put those whose
// rating differs from the cache (or that the cache lacks) into the inbox as synthetic `poll.rate` / `poll.new`
// events: durable, visible in the feed, and applied by the same worker path as webhooks. With WEBHOOKS=off this
// is the only input. (Not to be confused with reconcile.ts, which resolves the write journal.)
// The watermark is the newest Plex timestamp seen, re-asked with one second of overlap; it starts at the
// library sync's. Setting a rating does not move `updatedAt`, so only `lastRatedAt` finds ratings; a clear
// is found while Plex keeps `lastRatedAt` on it.
import type { Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import { queuedItemKeys } from '../../db/inbox-repo.js';
import { cachedRatingLookup } from '../../db/library-snapshot-reads.js';
import { getSetting, putSetting } from '../../db/settings-repo.js';
import { syncWatermark } from '../../db/sync-state-reads.js';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../log.js';
import { PLEX_TYPE, type PlexItem, type PlexItemTypeCode } from '../../plex/types.js';
import { recordWebhook } from '../../webhooks/inbox.js';
import { isRatingKey } from '../../webhooks/payload.js';
import type { LivePlex } from './live-plex.js';

export const WATERMARK_SETTING = 'engine.catch_up_watermark';

export interface CatchUpOptions {
  db: Kysely<Database>;
  sqlite: SQLite.Database;
  plex: LivePlex;
  sectionId: string;
  logger: Logger;
  intervalMs: number;
  /** Called after rows were added to the inbox. */
  onEnqueued?: (count: number) => void;
}

export interface CatchUpResult {
  rated: number;
  added: number;
  watermark: number;
}

type Kind = 'artist' | 'album' | 'track';

export class CatchUpPoller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<CatchUpResult> | null = null;
  private stopped = false;
  /** The cached rating (null: unrated), or undefined when the cache lacks the item; prepared once per poller. */
  private readonly cachedRating: (kind: Kind, key: string) => number | null | undefined;
  lastPollAt: number | null = null;
  lastResult: CatchUpResult | null = null;

  constructor(private readonly options: CatchUpOptions) {
    this.cachedRating = cachedRatingLookup(options.sqlite);
  }

  /** Polls now, then every interval (never two polls at once). */
  start(): void {
    const tick = async () => {
      try {
        await this.pollNow();
      } catch (err) {
        this.options.logger.warn({ err: String(err) }, 'catch-up: poll failed; trying again at the next interval');
      }
      if (!this.stopped) {
        this.timer = setTimeout(tick, this.options.intervalMs);
        this.timer.unref();
      }
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  pollNow(): Promise<CatchUpResult> {
    this.running ??= this.poll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async poll(): Promise<CatchUpResult> {
    const { db, plex, sectionId, logger } = this.options;
    const since = await this.watermark();
    let newest = since;
    const seen = (item: PlexItem) => {
      for (const field of ['lastRatedAt', 'addedAt'] as const) {
        const value = Number((item as unknown as Record<string, unknown>)[field]);
        if (Number.isFinite(value) && value > newest) newest = value;
      }
    };
    const list = async (code: PlexItemTypeCode, filter: 'lastRatedAt>>' | 'addedAt>>'): Promise<PlexItem[]> => {
      const items: PlexItem[] = [];
      for await (const page of plex.listItems(sectionId, code, { filters: { [filter]: since - 1 }, pageSize: 1000 }))
        items.push(...(page.items as PlexItem[]));
      items.forEach(seen);
      return items;
    };
    const [ratedArtists, ratedAlbums, ratedTracks, addedAlbums, addedTracks] = await Promise.all([
      list(PLEX_TYPE.artist, 'lastRatedAt>>'),
      list(PLEX_TYPE.album, 'lastRatedAt>>'),
      list(PLEX_TYPE.track, 'lastRatedAt>>'),
      list(PLEX_TYPE.album, 'addedAt>>'),
      list(PLEX_TYPE.track, 'addedAt>>'),
    ]);

    const queued = new Set(await queuedItemKeys(db));
    let rows: Array<{ event: 'poll.rate' | 'poll.new'; key: string; kind: Kind; rating: number | null }> = [];
    const newAlbums = new Set<string>();
    for (const album of addedAlbums) {
      const key = String(album.ratingKey);
      if (this.cachedRating('album', key) !== undefined || queued.has(key)) continue;
      newAlbums.add(key);
      rows.push({ event: 'poll.new', key, kind: 'album', rating: null });
    }
    for (const track of addedTracks) {
      const key = String(track.ratingKey);
      const album = String((track as { parentRatingKey?: unknown }).parentRatingKey ?? '');
      if (newAlbums.has(album) || this.cachedRating('track', key) !== undefined || queued.has(key)) continue;
      newAlbums.add(album); // one event per album is enough: it fetches the album's subtree
      rows.push({ event: 'poll.new', key, kind: 'track', rating: null });
    }
    const rated: Array<[Kind, PlexItem[]]> = [
      ['artist', ratedArtists],
      ['album', ratedAlbums],
      ['track', ratedTracks],
    ];
    for (const [kind, items] of rated) {
      for (const item of items) {
        const key = String(item.ratingKey);
        const rating = typeof item.userRating === 'number' && item.userRating >= 0 ? item.userRating : null;
        const cached = this.cachedRating(kind, key);
        if (queued.has(key) || (cached !== undefined && sameValue(cached, rating))) continue;
        rows.push({ event: cached === undefined ? 'poll.new' : 'poll.rate', key, kind, rating });
      }
    }

    const now = Date.now();
    // A key that is not a ratingKey never becomes an event (it would reach a Plex request path).
    const skipped = rows.length;
    rows = rows.filter((row) => isRatingKey(row.key));
    if (rows.length < skipped)
      logger.warn({ items: skipped - rows.length }, 'catch-up: Plex listed items whose ratingKey is not a positive integer; skipped');
    for (const row of rows) {
      const classified = {
        status: 'pending' as const,
        ignoreReason: null,
        itemKey: row.key,
        itemType: row.kind,
        rating: row.rating,
        accountId: null,
        serverUuid: null,
      };
      await recordWebhook(
        db,
        row.event,
        classified,
        JSON.stringify({ source: 'catch-up', event: row.event, ratingKey: row.key, rating: row.rating }),
        now,
      );
    }
    await putSetting(db, WATERMARK_SETTING, String(newest));
    const result: CatchUpResult = {
      rated: rows.filter((r) => r.event === 'poll.rate').length,
      added: rows.filter((r) => r.event === 'poll.new').length,
      watermark: newest,
    };
    this.lastPollAt = now;
    this.lastResult = result;
    if (rows.length > 0) {
      logger.info(result, 'catch-up: changes Plex did not announce were queued');
      this.options.onEnqueued?.(rows.length);
    } else {
      logger.debug(result, 'catch-up: nothing missed');
    }
    return result;
  }

  private async watermark(): Promise<number> {
    const saved = await getSetting(this.options.db, WATERMARK_SETTING);
    if (saved !== null && Number.isFinite(Number(saved))) return Number(saved);
    const sync = await syncWatermark(this.options.db, Number(this.options.sectionId));
    return sync ?? Math.floor(Date.now() / 1000);
  }
}

function sameValue(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < 0.05;
}
