// Album recommendations in the Playlists section, and their JSON API.
//   GET  /playlists/albums              the form: prompt, mode, familiarity, model, optional filters
//   POST /playlists/albums              a recommendation (htmx: the result fragment). `op` says which step:
//                                       new (questions may come back), answer, skip, another (excludes
//                                       what was shown; carries the answers), count (the filters' live
//                                       "N albums (M tracks) match", or their problems, as a fragment)
//   POST /api/recommendations/albums    the recommender's own handler, behind the API token (routes.ts)
import type { Context, Next } from 'koa';
import { z } from 'zod';
import { FAMILIARITIES, type Familiarity, type QuestionAnswer } from '../../domain/recommend/index.js';
import { countAlbums } from '../../playlists/album-pool.js';
import type { AlbumCard, Recommendation } from '../../playlists/index.js';
import { recommendAlbumsHandler, recommendationError } from '../api/recommendations.js';
import type { AdminDeps } from '../deps.js';
import { readForm } from '../form-body.js';
import { all, choice, maybeText, text } from '../forms/fields.js';
import { check, rawOf } from '../forms/parse.js';
import { emptyForm, type PlaylistForm } from '../forms/playlist.js';
import { isPlexArtPath } from '../services/playlist-plex.js';
import { describePlaylistError } from '../services/playlist-ui.js';
import { composeData, isHtmx, parseForm, playlistsOf } from './playlist-compose.js';

const OPS = ['new', 'answer', 'skip', 'another', 'count'] as const;

export const FAMILIARITY_HELP: Record<Familiarity, [string, string]> = {
  any: ['Any', 'Rating and fit to the request alone.'],
  comfort: ['Comfort', 'Albums you rate highly and play a lot.'],
  'hidden-gems': ['Hidden gems', 'Rated highly (often inferred) but rarely or never played.'],
  rediscover: ['Rediscover', 'Well rated, not played for a long time.'],
};

const albumFields = z.object({
  op: choice(OPS, 'new'),
  mode: choice(['library', 'discovery'] as const, 'library'),
  familiarity: choice(FAMILIARITIES, 'any'),
  exclude: all().transform((v) =>
    v
      .map((s) => s.trim().slice(0, 400))
      .filter(Boolean)
      .slice(0, 100),
  ),
  q_0: maybeText(),
  q_1: maybeText(),
  a_0: text(),
  a_1: text(),
  a_0_other: text(),
  a_1_other: text(),
});

interface AlbumPage {
  form: PlaylistForm & { mode: 'library' | 'discovery'; familiarity: Familiarity };
  errors: Record<string, string>;
  result: null | {
    questions?: Recommendation & { kind: 'questions' };
    albums?: Recommendation & { kind: 'albums' };
    cards?: (AlbumCard & { art: string | null })[];
    answers: QuestionAnswer[];
    exclude: string[];
  };
  problem: string | null;
}

async function pageData(deps: AdminDeps, ctx: Context, page: AlbumPage) {
  const ui = playlistsOf(deps, ctx);
  return {
    ...(await composeData(ui)),
    familiarities: FAMILIARITIES.map((f) => ({ name: f, label: FAMILIARITY_HELP[f][0], help: FAMILIARITY_HELP[f][1] })),
    ...page,
  };
}

export function showAlbums(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const form = { ...emptyForm(ui.runtime.defaultProvider), mode: 'library' as const, familiarity: 'any' as const };
    await deps.views.page(
      ctx,
      'playlist-albums',
      'Album recommendations',
      await pageData(deps, ctx, { form, errors: {}, result: null, problem: null }),
    );
  };
}

const withArt = (c: AlbumCard) => ({
  ...c,
  art: c.thumb && isPlexArtPath(c.thumb) ? `/playlists/art?path=${encodeURIComponent(c.thumb)}` : null,
});

export function recommendAlbums(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const parsed = await parseForm(ui, ctx);
    const checked = check(albumFields, rawOf(await readForm(ctx)));
    if (!checked.ok) ctx.throw(400, checked.first);
    const f = checked.value;
    if (f.op === 'count') {
      // Only the filters' own problems: the prompt and model play no part in what matches.
      const { prompt: _prompt, provider: _provider, count: _count, max_tracks: _maxTracks, ...errors } = parsed.errors;
      const counts = Object.keys(errors).length ? null : countAlbums(ui.runtime.wiring.pool, parsed.filters);
      return deps.views.fragment(ctx, 'album-count', { errors, counts }); // htmx swaps only 2xx answers
    }
    const form = { ...parsed.form, mode: f.mode, familiarity: f.familiarity };
    // Length and budget belong to playlists; only the filters' problems matter here.
    const errors = Object.fromEntries(Object.entries(parsed.errors).filter(([k]) => k !== 'count' && k !== 'max_tracks'));
    if (errors.prompt) errors.prompt = 'Describe what you would like to hear.';
    const answers: QuestionAnswer[] = [];
    if (f.op !== 'new') {
      for (const [q, a, other] of [
        [f.q_0, f.a_0, f.a_0_other],
        [f.q_1, f.a_1, f.a_1_other],
      ] as const) {
        if (q) answers.push({ question: q.slice(0, 300), answer: (other.trim() || a.trim()).slice(0, 300) });
      }
    }
    const exclude = f.op === 'another' ? f.exclude : [];
    const page: AlbumPage = { form, errors, result: null, problem: null };
    if (Object.keys(errors).length === 0) {
      try {
        const result = await ui.runtime.recommender().recommend({
          prompt: form.prompt,
          mode: f.mode,
          familiarity: f.familiarity,
          filters: f.mode === 'library' ? parsed.filters : undefined,
          provider: form.provider,
          ...(f.op === 'new' ? {} : { answers, skipQuestions: true }),
          exclude,
        });
        page.result =
          result.kind === 'questions'
            ? { questions: result, answers, exclude }
            : { albums: result, cards: [result.primary, ...result.alternatives].map(withArt), answers, exclude };
        if (result.kind === 'albums') deps.logger.info({ mode: f.mode, provider: form.provider }, 'playlists: album recommended');
      } catch (err) {
        const mapped = recommendationError(err, { provider: form.provider });
        if (!mapped) throw err;
        page.problem = describePlaylistError(err);
      }
    }
    const data = await pageData(deps, ctx, page);
    if (isHtmx(ctx)) return deps.views.fragment(ctx, 'album-result', data); // htmx swaps only 2xx answers
    await deps.views.page(ctx, 'playlist-albums', 'Album recommendations', data, page.problem || Object.keys(errors).length ? 422 : 200);
  };
}

export function apiRecommendAlbums(deps: AdminDeps) {
  const handler = deps.playlists ? recommendAlbumsHandler({ recommender: () => deps.playlists!.runtime.recommender() }) : null;
  return async (ctx: Context, _next: Next) => {
    if (!handler) ctx.throw(503, 'Playlists are not available in this process');
    await handler(ctx);
  };
}
