// The seed-track flow: typo-tolerant search → the track's dimensions described specifically (the analysis
// model, or offline) → tick what to keep → the same length, budget, estimate and generation as prompts.
//   GET /playlists/seed?q=          search (htmx swaps only the results while typing)
//   GET /playlists/seed/:key        the track, its dimensions, and the generation form
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';
import { parseInput } from '../forms/parse.js';
import { emptyForm } from '../forms/playlist.js';
import { seedParams, seedQuery, seedQueryOf } from '../forms/playlists.js';
import { describePlaylistError, type PlaylistUi } from '../services/playlist-ui.js';
import { composeData, isHtmx, playlistsOf } from './playlist-compose.js';

export function seedSearch(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const { q } = await parseInput(ctx, seedQuery, { from: 'query' });
    const started = performance.now();
    const hits = q ? ui.search().search(q, 20) : [];
    const data = { q, hits, ms: Math.round(performance.now() - started) };
    if (isHtmx(ctx) && ctx.get('HX-Target') === 'seed-results') return deps.views.fragment(ctx, 'playlist-seed-results', data);
    await deps.views.page(ctx, 'playlist-seed', 'Playlist from a track', { ...data, seed: null });
  };
}

export function showSeed(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const { key } = await parseInput(ctx, seedParams, { from: 'params', status: 404 });
    const { provider } = await parseInput(ctx, seedQueryOf(ui.runtime.defaultProvider), { from: 'query' });
    const track = ui.runtime.wiring.pool.track(key);
    if (!track) ctx.throw(404, 'There is no track with this key in the library cache.');
    const sonic = sonicStatus(ui, key); // asked beside the description, not after it
    const form = { ...emptyForm(provider), seedKey: key };
    let problem: string | null = null;
    let calls: unknown[] = [];
    try {
      const described = await ui.runtime.describeSeed(key, provider);
      form.dimensions = described.dimensions.map((d) => ({ ...d, kept: true }));
      form.keep = described.dimensions;
      calls = described.calls;
    } catch (err) {
      problem = describePlaylistError(err);
    }
    await deps.views.page(ctx, 'playlist-seed', `Like “${track.title}”`, {
      ...(await composeData(ui)),
      q: '',
      hits: [],
      ms: 0,
      seed: track,
      form,
      problem,
      calls,
      errors: {},
      step: 'filters',
      suggestion: null,
      sonic: await sonic,
    });
  };
}

/** Whether Plex can name the seed's sonic neighbours, asked fresh for each page (the tick box depends on it). */
async function sonicStatus(ui: PlaylistUi, key: string): Promise<{ available: boolean; count: number; problem: string | null }> {
  const current = await ui.plex.current();
  if (!current) return { available: false, count: 0, problem: 'Sonic neighbours need a Plex connection (Setup).' };
  try {
    const answer = await current.plex.sonicallySimilar(key, { limit: 50, signal: AbortSignal.timeout(5000) });
    if (!answer.available)
      return { available: false, count: 0, problem: 'This server has no sonic analysis (it needs Plex Pass and analysed music).' };
    return {
      available: true,
      count: answer.neighbours.length,
      problem: answer.neighbours.length ? null : 'Plex’s sonic analysis found no tracks close to this one.',
    };
  } catch (err) {
    return {
      available: false,
      count: 0,
      problem: `Plex could not be asked for sonic neighbours: ${(err as Error).message.replace(/^plex: /, '')}`,
    };
  }
}
