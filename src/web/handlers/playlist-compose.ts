// The prompt flow: prompt → suggested filters (editable) with a live count → length, budget and the
// estimated cost of every call → generate in the background, the page polling the job → review.
//   GET  /playlists                 the prompt form
//   POST /playlists/suggest         the analysis step: the filters the model reads in the prompt
//   POST /playlists/preview         matching tracks and the cost estimate for the form as it is now
//   POST /playlists/generate        starts the generation (seed flow too); htmx gets the job panel
//   GET  /playlists/jobs/:id        the job panel; when done, htmx is sent on to the review
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';
import { readForm } from '../form-body.js';
import { parseInput } from '../forms/parse.js';
import { BUDGET, LENGTH, emptyForm, filterFormOf, playlistForm, type ParsedForm } from '../forms/playlist.js';
import { jobParams } from '../forms/playlists.js';
import { estimateGeneration } from '../services/playlist-estimate.js';
import { PROVIDER_LABELS } from '../services/playlist-llm-settings.js';
import { describePlaylistError, type PlaylistUi } from '../services/playlist-ui.js';
import type { GenerateInput } from '../../playlists/index.js';

export function playlistsOf(deps: AdminDeps, ctx: Context): PlaylistUi {
  if (!deps.playlists) ctx.throw(503, 'Playlists are not available in this process');
  return deps.playlists;
}

export const isHtmx = (ctx: Context): boolean => Boolean(ctx.get('HX-Request'));

/** What every compose view needs besides the form: providers, limits, the library's vocabulary. */
export async function composeData(ui: PlaylistUi) {
  const { vocabulary } = await ui.vocabulary();
  return {
    providers: Object.entries(PROVIDER_LABELS).map(([name, label]) => ({ name, label })),
    limits: { length: LENGTH, budget: BUDGET },
    vocabulary: {
      genres: vocabulary.genres.slice(0, 12).map((t) => t.tag),
      styles: vocabulary.styles.slice(0, 12).map((t) => t.tag),
      moods: vocabulary.moods.slice(0, 12).map((t) => t.tag),
      decades: vocabulary.decades,
    },
  };
}

export async function parseForm(ui: PlaylistUi, ctx: Context): Promise<ParsedForm> {
  return parseInput(ctx, playlistForm(await ui.vocabulary(), ui.runtime.defaultProvider));
}

export function showPlaylists(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    await deps.views.page(ctx, 'playlists', 'Playlists', {
      ...(await composeData(ui)),
      form: emptyForm(ui.runtime.defaultProvider),
      step: 'prompt',
      errors: {},
      suggestion: null,
    });
  };
}

export function suggestFilters(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const { form, errors } = await parseForm(ui, ctx);
    const data = {
      ...(await composeData(ui)),
      form,
      errors: (errors.prompt ? { prompt: errors.prompt } : {}) as Record<string, string>,
      step: 'prompt',
      suggestion: null as object | null,
    };
    if (!errors.prompt) {
      try {
        const suggestion = await ui.runtime.suggest(form.prompt, form.provider, form.count);
        form.filters = filterFormOf(suggestion.filters);
        Object.assign(data, { step: 'filters', suggestion: { ...suggestion, id: ui.keepSuggestion(suggestion.calls) } });
      } catch (err) {
        data.errors = { provider: describePlaylistError(err) };
      }
    }
    if (isHtmx(ctx)) return deps.views.fragment(ctx, 'playlist-filters', data); // htmx swaps only 2xx answers
    await deps.views.page(ctx, 'playlists', 'Playlists', data, Object.keys(data.errors).length ? 422 : 200);
  };
}

export function previewPlaylist(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const { form, filters, errors } = await parseForm(ui, ctx);
    delete errors.prompt;
    const seed = form.seedKey ? (ui.runtime.wiring.pool.track(form.seedKey) ?? undefined) : undefined;
    let estimate = null;
    let problem: string | null = null;
    if (Object.keys(errors).length === 0) {
      try {
        estimate = estimateGeneration(ui.runtime, {
          provider: form.provider,
          filters,
          count: form.count,
          maxTracks: form.maxTracks,
          prompt: form.prompt,
          seed,
          keep: form.keep,
        });
      } catch (err) {
        problem = describePlaylistError(err);
      }
    }
    deps.views.fragment(ctx, 'playlist-preview', { form, errors, estimate, problem, seeded: Boolean(seed) });
  };
}

export function startGeneration(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const { form, filters, errors, suggestionId } = await parseForm(ui, ctx);
    if (form.seedKey) delete errors.prompt;
    if (Object.keys(errors).length > 0) {
      const first = Object.entries(errors)[0];
      ctx.throw(400, `${first[0].replace('_', ' ')}: ${first[1]}`);
    }
    const input: GenerateInput = {
      count: form.count,
      provider: form.provider,
      maxTracks: form.maxTracks,
      filters,
      ...(form.seedKey ? { seedRatingKey: form.seedKey, keep: form.keep.length ? form.keep : undefined } : {}),
      // The seed page's "sounds like it" box (sonic neighbours); read beside the shared playlist form.
      ...(form.seedKey && (await readForm(ctx)).get('sonic') === '1' ? { sonic: true } : {}),
      ...(form.prompt ? { prompt: form.prompt } : {}),
    };
    const job = ui.generate(input, `${form.count} tracks with ${PROVIDER_LABELS[form.provider]}`, (result) =>
      ui.addSuggestion(suggestionId, result.id),
    );
    deps.logger.info({ provider: form.provider, count: form.count, seed: Boolean(form.seedKey) }, 'playlists: generation started');
    if (isHtmx(ctx)) return deps.views.fragment(ctx, 'playlist-job', { job, now: Date.now() }, 202);
    ctx.redirect(`/playlists/jobs/${job.id}`);
  };
}

export function jobStatus(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const job = ui.jobs.get((await parseInput(ctx, jobParams, { from: 'params' })).id);
    if (!job) ctx.throw(404, 'This generation is no longer running; its result is in History.');
    if (job.state === 'done' && isHtmx(ctx)) {
      ctx.set('HX-Redirect', `/playlists/history/${job.result?.generationId}`);
      ctx.status = 204;
      return;
    }
    if (job.state === 'done') return ctx.redirect(`/playlists/history/${job.result?.generationId}`);
    if (isHtmx(ctx)) return deps.views.fragment(ctx, 'playlist-job', { job, now: Date.now() });
    await deps.views.page(ctx, 'playlist-job', 'Generating…', { job, now: Date.now() });
  };
}
