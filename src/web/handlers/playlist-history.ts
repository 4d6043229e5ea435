// Playlist history and the art proxy.
//   GET /playlists/history?show=all|playlists|albums
//                                     everything that cost something, newest first: playlist generations
//                                     (request, filters in words, provider, model, tokens per call, cost;
//                                     a schedule's runs marked with its name) and album recommendations
//                                     (mode, familiarity, prompt, the albums, provider, model, tokens, cost),
//                                     with the cost per month above
//   GET /playlists/history/albums/:id one album recommendation in full
//   GET /playlists/art?path=          album art fetched from Plex server-side (the token stays here); only
//                                     `/library/metadata/<id>/thumb|art[/<ts>]` paths, anything else is a 400
import type { Context } from 'koa';
import { z } from 'zod';
import { costPerMonth } from '../../db/playlist-history-repo.js';
import { scheduleMarks } from '../../db/playlist-schedules-repo.js';
import { getRecommendation, listRecommendations, type RecommendationRecord } from '../../db/recommendation-repo.js';
import type { AdminDeps } from '../deps.js';
import { filtersInWords } from '../filter-words.js';
import { choice, text } from '../forms/fields.js';
import { artQuery } from '../forms/playlists.js';
import { parseInput } from '../forms/parse.js';
import { PROVIDER_LABELS } from '../services/playlist-llm-settings.js';
import { isPlexArtPath } from '../services/playlist-plex.js';
import type { HistoryEntry } from '../services/playlist-ui.js';
import { FAMILIARITY_HELP } from './playlist-albums.js';
import { playlistsOf } from './playlist-compose.js';

const SHOWS = ['all', 'playlists', 'albums'] as const;
const LIMIT = 100;

const historyQuery = z.object({ show: choice(SHOWS, 'all') });

const recommendationParams = z.object({
  id: text()
    .transform(Number)
    .refine((id) => Number.isSafeInteger(id) && id > 0, 'There is no such album recommendation in the history.'),
});

const familiarityLabel = (f: string) => FAMILIARITY_HELP[f as keyof typeof FAMILIARITY_HELP]?.[0] ?? f;

/** A recommendation as History shows it: labels, the filters in words, the primary album apart. */
function albumView(r: RecommendationRecord) {
  const [primary = null, ...alternatives] = r.albums;
  const art = (thumb: string | null | undefined) =>
    thumb && isPlexArtPath(thumb) ? `/playlists/art?path=${encodeURIComponent(thumb)}` : null;
  return {
    ...r,
    primary: primary && { ...primary, art: art(primary.thumb) },
    alternatives: alternatives.map((a) => ({ ...a, art: art(a.thumb) })),
    modeLabel: r.mode === 'discovery' ? 'Discovery' : 'From the library',
    familiarityLabel: familiarityLabel(r.familiarity),
    filterText: filtersInWords(r.filters),
  };
}

type Item =
  | { type: 'playlist'; at: number; entry: HistoryEntry & { filterText: string } }
  | { type: 'album'; at: number; rec: ReturnType<typeof albumView> };

export function showHistory(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const { show } = await parseInput(ctx, historyQuery, { from: 'query' });
    const entries = show === 'albums' ? [] : await ui.history(LIMIT);
    const recommendations = show === 'playlists' ? [] : await listRecommendations(deps.db, LIMIT);
    // A schedule's runs are marked with the schedule (and a catch-up run says so).
    const scheduled = await scheduleMarks(
      deps.db,
      entries.map((e) => e.id),
    );
    const items: Item[] = [
      ...entries.map((e): Item => ({ type: 'playlist', at: e.createdAt, entry: { ...e, filterText: filtersInWords(e.filters) } })),
      ...recommendations.map((r): Item => ({ type: 'album', at: r.createdAt, rec: albumView(r) })),
    ]
      .sort((a, b) => b.at - a.at)
      .slice(0, LIMIT);
    await deps.views.page(ctx, 'playlist-history', 'History', {
      items,
      show,
      labels: PROVIDER_LABELS,
      scheduled,
      months: await costPerMonth(deps.db),
    });
  };
}

export function showRecommendation(deps: AdminDeps) {
  return async (ctx: Context) => {
    const { id } = await parseInput(ctx, recommendationParams, { from: 'params', status: 404 });
    const rec = await getRecommendation(deps.db, id);
    if (!rec) ctx.throw(404, 'There is no such album recommendation in the history.');
    const view = albumView(rec);
    await deps.views.page(ctx, 'playlist-history-album', view.primary ? `${view.primary.title} (recommended)` : `Recommendation ${id}`, {
      rec: view,
      providerLabel: PROVIDER_LABELS[rec.provider as keyof typeof PROVIDER_LABELS] ?? rec.provider,
    });
  };
}

export function playlistArt(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const { path } = await parseInput(ctx, artQuery, { from: 'query' });
    let image = null;
    try {
      image = await ui.plex.art(path);
    } catch (err) {
      deps.logger.debug({ err: (err as Error).message }, 'playlists: album art not fetched');
    }
    if (!image) {
      ctx.status = 404;
      ctx.set('Cache-Control', 'private, max-age=300');
      ctx.body = 'no artwork';
      return;
    }
    ctx.type = image.type;
    // Plex puts a timestamp in thumb paths, so the same path is the same picture: cache it for a day.
    ctx.set('Cache-Control', 'private, max-age=86400');
    ctx.body = image.body;
  };
}
