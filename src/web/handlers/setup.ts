// The Setup page: how to reach Plex (URL, token, music library), the webhook URL to paste into Plex,
// and how Sagewire behaves. The token is never rendered back: the page only says whether one is set.
// A saved token is only ever sent to the URL it was saved with (secrets/binding.ts): testing or saving
// another URL needs the token typed in the same form.
//   GET  /setup                 the page
//   GET  /setup/libraries       the library field, filled from Plex (htmx, on load)
//   POST /setup/test            "Test connection" (htmx fragment; the whole page without JS)
//   POST /setup                 save
import type { Context } from 'koa';
import type { z } from 'zod';
import { whenApplied, type AdminDeps } from '../deps.js';
import { behaviourView } from '../forms/behaviour.js';
import { parseInput } from '../forms/parse.js';
import { normalizePlexUrl, setupForm, setupTestForm, tokenBoundProblem } from '../forms/setup.js';
import { currentBehaviour, type BehaviourView } from '../services/behaviour-settings.js';
import type { MusicLibrary, PlexCheck } from '../services/plex-check.js';
import { allowedUrl, bindingToRecord, boundUrlSetting, comparableUrl } from '../../secrets/binding.js';

interface PlexFields {
  url: string;
  library: string;
  errors: { plexUrl?: string; plexToken?: string; library?: string };
}

interface SetupPage {
  firstRun: boolean;
  plexUrl: string;
  library: string;
  fixed: { plexUrl: boolean; plexToken: boolean; library: boolean };
  tokenSet: boolean;
  /** Why the token in effect is not sent to the URL in effect (the page says so), or null. */
  tokenWithheld: string | null;
  libraries: MusicLibrary[] | null;
  check: PlexCheck | null;
  behaviour: BehaviourView;
  webhookUrl: string;
  errors: PlexFields['errors'];
}

async function setupPage(deps: AdminDeps, ctx: Context, overrides: Partial<SetupPage> = {}): Promise<SetupPage> {
  const [url, token, library, connection, tokenWithheld] = await Promise.all([
    deps.settings.get('PLEX_URL'),
    deps.settings.get('PLEX_TOKEN'),
    deps.settings.get('PLEX_MUSIC_LIBRARY'),
    deps.settings.plexConnection(),
    deps.settings.plexTokenWithheld(),
  ]);
  const behaviour = await currentBehaviour(deps.settings);
  // The dry-run-first recommendation, acted on: a first setup starts with dry-run mode ticked.
  if (connection === null && !behaviour.fixed.dryRun && (await deps.settings.get('DRY_RUN')).source === 'default') behaviour.dryRun = true;
  return {
    firstRun: connection === null && tokenWithheld === null,
    plexUrl: url.value ?? '',
    library: library.value ?? 'Music',
    fixed: {
      plexUrl: deps.settings.fixedByEnv('PLEX_URL'),
      plexToken: deps.settings.fixedByEnv('PLEX_TOKEN'),
      library: deps.settings.fixedByEnv('PLEX_MUSIC_LIBRARY'),
    },
    tokenSet: token.value !== null && token.value !== '',
    tokenWithheld,
    libraries: null,
    check: null,
    behaviour,
    // Koa 3's ctx.origin is the Origin request header; the URL is built from protocol and host.
    webhookUrl: `${ctx.protocol}://${ctx.host}/webhooks/plex/${deps.webhookSecret()}`,
    errors: {},
    ...overrides,
  };
}

/**
 * The URL and token to test: the form's URL (the environment's when fixed) with the token typed in the same
 * form; without one, the token in effect, but only for the URL it is bound to.
 */
async function connectionToTest(
  deps: AdminDeps,
  form: z.output<typeof setupTestForm>,
): Promise<{ url: string | null; token: string | null; problem: string | null }> {
  const state = await deps.settings.secretState('PLEX_TOKEN');
  const rawUrl = deps.settings.fixedByEnv('PLEX_URL') ? (state.url ?? '') : form.plex_url;
  const url = normalizePlexUrl(rawUrl);
  if (!url)
    return {
      url: null,
      token: null,
      problem: rawUrl.trim()
        ? 'That is not a Plex URL: it should start with http:// or https:// and look like http://192.168.1.10:32400'
        : 'Enter the Plex URL first.',
    };
  const typed = deps.settings.fixedByEnv('PLEX_TOKEN') ? '' : form.plex_token;
  if (typed) return { url, token: typed, problem: null };
  if (!state.secret)
    return {
      url,
      token: null,
      problem: 'Enter the Plex token first (Plex Web → any item → ⋯ → Get Info → View XML: the X-Plex-Token in the address).',
    };
  const allowed = allowedUrl('PLEX_TOKEN', state);
  if (allowed !== comparableUrl(url)) return { url, token: null, problem: tokenBoundProblem(state.secretFromEnv, allowed) };
  return { url, token: state.secret, problem: null };
}

/**
 * The Plex client names the environment variables (PLEX_URL, PLEX_TOKEN) in its errors; a value typed into
 * this form is named as the field above instead, so nobody goes looking for a variable they never set.
 */
function inFormWords(message: string, urlFromEnv: boolean, tokenTyped: boolean): string {
  let text = message;
  if (!urlFromEnv) text = text.replace(/\bPLEX_URL\b/g, 'the Plex URL above');
  if (tokenTyped) text = text.replace(/\bPLEX_TOKEN\b/g, 'the Plex token above');
  return text;
}

export function showSetup(deps: AdminDeps) {
  return async (ctx: Context) => {
    await deps.views.page(ctx, 'setup', 'Setup', await setupPage(deps, ctx));
  };
}

export function setupLibraries(deps: AdminDeps) {
  return async (ctx: Context) => {
    const page = await setupPage(deps, ctx);
    const connection = await deps.settings.plexConnection();
    const check = connection ? await deps.checkPlex(connection.url, connection.token) : null;
    deps.views.fragment(ctx, 'library-field', { ...page, libraries: check?.ok ? check.libraries : null });
  };
}

export function testPlexConnection(deps: AdminDeps) {
  return async (ctx: Context) => {
    const form = await parseInput(ctx, setupTestForm);
    const target = await connectionToTest(deps, form);
    const checked: PlexCheck = target.problem ? { ok: false, message: target.problem } : await deps.checkPlex(target.url!, target.token!);
    const check = checked.ok
      ? checked
      : {
          ...checked,
          message: inFormWords(
            checked.message,
            deps.settings.fixedByEnv('PLEX_URL'),
            !deps.settings.fixedByEnv('PLEX_TOKEN') && Boolean(form.plex_token),
          ),
        };
    const library = deps.settings.fixedByEnv('PLEX_MUSIC_LIBRARY') ? undefined : form.plex_library;
    const page = await setupPage(deps, ctx, { check, libraries: check.ok ? check.libraries : null, ...(library ? { library } : {}) });
    // htmx: the result, plus the library field swapped out-of-band (a list once Plex answered).
    if (ctx.get('HX-Request')) return deps.views.fragment(ctx, 'plex-check', { ...page, oob: true });
    // Without JavaScript the whole page comes back; the typed URL is kept, a typed token is not (never rendered).
    if (!page.fixed.plexUrl) page.plexUrl = form.plex_url;
    await deps.views.page(ctx, 'setup', 'Setup', page);
  };
}

export function saveSetup(deps: AdminDeps) {
  return async (ctx: Context) => {
    const page = await setupPage(deps, ctx);
    const before = await deps.settings.secretState('PLEX_TOKEN');
    const form = setupForm({ fixed: page.fixed, behaviourFixed: page.behaviour.fixed, tokenSet: page.tokenSet, token: before });
    const input = await parseInput(ctx, form, {
      invalid: async (errors, raw) => {
        // The form again as typed (a typed token is never rendered), each problem next to its field.
        const typed = setupTestForm.parse(raw);
        if (!page.fixed.plexUrl) page.plexUrl = typed.plex_url;
        if (!page.fixed.library) page.library = typed.plex_library.trim();
        page.errors = { plexUrl: errors.plex_url, plexToken: errors.plex_token, library: errors.plex_library };
        for (const key of Object.keys(page.errors) as (keyof typeof page.errors)[]) if (!page.errors[key]) delete page.errors[key];
        page.behaviour = behaviourView(page.behaviour, raw, errors);
        await deps.views.page(ctx, 'setup', 'Setup', page, 422);
      },
    });
    if (!input) return;
    const values: Record<string, string> = { ...input.plex };
    // The binding of the token in effect to the URL in effect is recorded with every save.
    const finalUrl = values.PLEX_URL ?? before.url;
    const binding = values.PLEX_TOKEN || before.secret ? bindingToRecord('PLEX_TOKEN', before, finalUrl, Boolean(values.PLEX_TOKEN)) : null;
    if (binding) values[boundUrlSetting('PLEX_TOKEN')] = binding;
    await deps.settings.save({ ...values, ...input.behaviour });
    deps.logger.info({ names: Object.keys(values).concat(Object.keys(input.behaviour)) }, 'admin: setup saved');
    await deps.sessions.setFlash(ctx, { kind: 'success', text: `Setup saved.${whenApplied(deps)}` });
    ctx.redirect(page.firstRun ? '/' : '/setup');
  };
}
