// The control API (`/__sim/*`, same token, exempt from faults): what a person does in a Plex client, and
// knobs for tests and benchmarks. Answers are JSON.
import type { Router, RouterContext } from '@koa/router';
import { resolve } from 'node:path';
import type { SimDeps } from './deps.js';
import { BadRequest } from '../render/respond.js';
import { NotFound } from '../http/errors.js';
import { OWNER_ACCOUNT_ID } from '../state/state.js';
import { addAlbum } from '../state/add-album.js';
import { applyConfig } from '../config.js';
import { saveLibraryFile } from '../library.js';

function str(ctx: RouterContext, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[0] : v;
}

function flatQuery(ctx: RouterContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.query)) if (v !== undefined) out[k] = Array.isArray(v) ? v[0] : v;
  return out;
}

export function controlRoutes(router: Router, deps: SimDeps): void {
  const { state, webhooks, stats, config } = deps;

  router.post('/__sim/user-rate', (ctx) => {
    const key = str(ctx, 'key') ?? '';
    const raw = str(ctx, 'rating') ?? '';
    const rating = Number(raw);
    if (raw === '' || !Number.isFinite(rating) || (rating !== -1 && (rating < 0 || rating > 10)))
      throw new BadRequest('rating must be 0–10 or -1');
    if (!state.get(key)) throw new NotFound();
    const accountRaw = str(ctx, 'account');
    const account = accountRaw === undefined ? OWNER_ACCOUNT_ID : Number(accountRaw);
    if (!Number.isInteger(account) || account < 1) throw new BadRequest('account must be a positive integer');
    const notify = str(ctx, 'notify') !== '0';
    const stored = state.userRate(key, rating === -1 ? null : rating, { notify, account });
    ctx.body = { ratingKey: key, rating: stored ?? null, account, notified: notify };
  });

  router.get('/__sim/rating', (ctx) => {
    const key = str(ctx, 'key') ?? '';
    const ref = state.get(key);
    if (!ref) throw new NotFound();
    const account = Number(str(ctx, 'account') ?? OWNER_ACCOUNT_ID);
    ctx.body = { ratingKey: key, rating: state.getRating(key, account) ?? null, lastRatedAt: ref.item.lastRatedAt ?? null };
  });

  router.get('/__sim/webhooks', (ctx) => {
    ctx.body = { urls: webhooks.urls() };
  });
  router.post('/__sim/webhooks', (ctx) => {
    const url = str(ctx, 'url');
    if (!url) throw new BadRequest('url is required');
    try {
      webhooks.add(url);
    } catch {
      throw new BadRequest('url must be an http(s) URL');
    }
    ctx.body = { urls: webhooks.urls() };
  });
  router.delete('/__sim/webhooks', (ctx) => {
    const url = str(ctx, 'url');
    if (!url || !webhooks.remove(url)) throw new NotFound();
    ctx.body = { urls: webhooks.urls() };
  });
  /** Waits until every queued webhook delivery has been attempted. */
  router.post('/__sim/webhooks/flush', async (ctx) => {
    await webhooks.idle();
    ctx.body = { ok: true };
  });

  router.post('/__sim/add-album', (ctx) => {
    const tracksRaw = str(ctx, 'tracks');
    const yearRaw = str(ctx, 'year');
    const titles = str(ctx, 'trackTitles');
    const sectionRaw = str(ctx, 'section');
    if (sectionRaw !== undefined && !/^\d+$/.test(sectionRaw)) throw new BadRequest('section must be a section id');
    const added = addAlbum(state, {
      sectionId: sectionRaw === undefined ? undefined : Number(sectionRaw),
      artistKey: str(ctx, 'artistKey'),
      artist: str(ctx, 'artist'),
      title: str(ctx, 'title'),
      genre: str(ctx, 'genre'),
      tracks: tracksRaw === undefined ? undefined : Number(tracksRaw),
      year: yearRaw === undefined ? undefined : Number(yearRaw),
      trackTitles: titles === undefined ? undefined : titles.split('|'),
    });
    ctx.body = { artistKey: added.artist.ratingKey, albumKey: added.album.ratingKey, trackKeys: added.tracks.map((t) => t.ratingKey) };
  });

  router.get('/__sim/stats', (ctx) => {
    ctx.body = stats.toJSON();
  });
  const reset = (ctx: RouterContext): void => {
    stats.reset();
    ctx.body = { ok: true };
  };
  router.post('/__sim/stats/reset', reset);
  router.delete('/__sim/stats', reset);

  const configure = (ctx: RouterContext): void => {
    const problems = applyConfig(config, flatQuery(ctx));
    if (problems.length > 0) throw new BadRequest(problems.join('; '));
    ctx.body = config;
  };
  router.get('/__sim/config', (ctx) => {
    ctx.body = config;
  });
  router.post('/__sim/config', configure);
  router.post('/__sim/faults', configure);

  router.post('/__sim/save', (ctx) => {
    const path = str(ctx, 'path');
    if (!path) throw new BadRequest('path is required');
    const full = resolve(path);
    saveLibraryFile(full, state.library);
    ctx.body = { path: full, artists: state.artists.length, albums: state.albums.length, tracks: state.tracks.length };
  });

  router.get('/__sim/taste', (ctx) => {
    ctx.body = state.library.taste;
  });
}
