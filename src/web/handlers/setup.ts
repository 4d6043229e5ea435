// The Setup page: how to reach Plex (URL, token, music library), the webhook URL to paste into Plex,
// and how Sagewire behaves. The token is never rendered back: the page only says whether one is set.
// A saved token is only ever sent to the URL it was saved with (secrets/binding.ts): testing or saving
// another URL needs the token typed in the same form.
//   GET  /setup                 the page
//   GET  /setup/libraries       the library field, filled from Plex (htmx, on load)
//   POST /setup/test            "Test connection" (htmx fragment; the whole page without JS)
//   POST /setup                 save
//   POST /setup/plex-signin     Sign in with Plex: a PIN at plex.tv, the link to approve it (htmx fragment or the page)
//   GET  /setup/plex-signin     its state, polled by the page until the account's servers are listed (htmx fragment)
//   POST /setup/plex-signin/choose  test the chosen server connection, then save its URL and the server's token
// Sign in with Plex keeps the account's and servers' tokens on the server (services/plex-signin.ts); the
// page shows names and connection URIs and sends back a choice's id.
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { z } from 'zod';
import { whenApplied, type AdminDeps } from '../deps.js';
import { behaviourView } from '../forms/behaviour.js';
import { parseInput } from '../forms/parse.js';
import { normalizePlexUrl, plexSignInChoiceForm, setupForm, setupTestForm, tokenBoundProblem } from '../forms/setup.js';
import { currentBehaviour, type BehaviourView } from '../services/behaviour-settings.js';
import type { MusicLibrary, PlexCheck } from '../services/plex-check.js';
import { allowedUrl, bindingToRecord, boundUrlSetting, comparableUrl, type SecretState } from '../../secrets/binding.js';
import { currentSession } from '../auth/sessions.js';
import { getOrCreateSetting } from '../../db/settings-repo.js';
import { DEFAULT_PLEX_TV_URL, PlexTv } from '../../plex/plextv.js';
import { PlexSignIns, type SignInView } from '../services/plex-signin.js';

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
  signIn: SignInPanel;
}

interface SignInPanel {
  view: SignInView;
  /** The settings the environment fixes that a sign-in would save (then it is not offered). */
  fixedBy: string[];
  /** Why the chosen connection was not saved, or null. */
  error: string | null;
}

/** One sign-in store per admin UI (deps are built once), shared by the page and the sign-in routes. */
const signInStores = new WeakMap<AdminDeps, PlexSignIns>();

function plexSignIns(deps: AdminDeps): PlexSignIns {
  let store = signInStores.get(deps);
  if (!store) {
    store = new PlexSignIns({
      plexTv: async () =>
        new PlexTv({
          url: (await deps.settings.get('PLEX_TV_URL')).value ?? DEFAULT_PLEX_TV_URL,
          // Created once and kept: plex.tv lists the devices an account signed in to by this id.
          clientIdentifier: await getOrCreateSetting(deps.db, 'PLEX_CLIENT_IDENTIFIER', () => randomUUID()),
          product: 'Sagewire',
          version: deps.version,
        }),
    });
    signInStores.set(deps, store);
  }
  return store;
}

/** Sign-ins are per admin session (the routes require one). */
function signInKey(ctx: Context): string {
  return currentSession(ctx)?.id_hash ?? '';
}

function signInFixedBy(deps: AdminDeps): string[] {
  return ['PLEX_URL', 'PLEX_TOKEN'].filter((name) => deps.settings.fixedByEnv(name));
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
    signIn: { view: plexSignIns(deps).view(signInKey(ctx)), fixedBy: signInFixedBy(deps), error: null },
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

/** The Plex settings to save with the binding of the token in effect to the URL in effect, recorded with every save. */
function withTokenBinding(plex: Record<string, string>, before: SecretState): Record<string, string> {
  const values = { ...plex };
  const finalUrl = values.PLEX_URL ?? before.url;
  const binding = values.PLEX_TOKEN || before.secret ? bindingToRecord('PLEX_TOKEN', before, finalUrl, Boolean(values.PLEX_TOKEN)) : null;
  if (binding) values[boundUrlSetting('PLEX_TOKEN')] = binding;
  return values;
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
    const values = withTokenBinding(input.plex, before);
    await deps.settings.save({ ...values, ...input.behaviour });
    deps.logger.info({ names: Object.keys(values).concat(Object.keys(input.behaviour)) }, 'admin: setup saved');
    await deps.sessions.setFlash(ctx, { kind: 'success', text: `Setup saved.${whenApplied(deps)}` });
    ctx.redirect(page.firstRun ? '/' : '/setup');
  };
}

/** The sign-in panel alone (htmx), or the Setup page around it. */
async function answerSignIn(deps: AdminDeps, ctx: Context, signIn: SignInPanel, status = 200): Promise<void> {
  if (ctx.get('HX-Request')) return deps.views.fragment(ctx, 'plex-signin', { signIn }, status);
  await deps.views.page(ctx, 'setup', 'Setup', await setupPage(deps, ctx, { signIn }), status);
}

function refusedByEnv(fixedBy: string[]): string {
  return `${fixedBy.join(' and ')} ${fixedBy.length === 1 ? 'comes' : 'come'} from the environment, so Sign in with Plex cannot change ${fixedBy.length === 1 ? 'it' : 'them'}; change the environment instead.`;
}

export function startPlexSignIn(deps: AdminDeps) {
  return async (ctx: Context) => {
    const fixedBy = signInFixedBy(deps);
    if (fixedBy.length > 0) {
      return answerSignIn(deps, ctx, { view: { state: 'failed', message: refusedByEnv(fixedBy) }, fixedBy, error: null }, 409);
    }
    const view = await plexSignIns(deps).start(signInKey(ctx));
    deps.logger.info({ state: view.state }, 'admin: sign in with Plex started');
    await answerSignIn(deps, ctx, { view, fixedBy, error: null });
  };
}

export function plexSignInStatus(deps: AdminDeps) {
  return async (ctx: Context) => {
    const view = await plexSignIns(deps).poll(signInKey(ctx));
    await answerSignIn(deps, ctx, { view, fixedBy: signInFixedBy(deps), error: null });
  };
}

export function choosePlexServer(deps: AdminDeps) {
  return async (ctx: Context) => {
    const signIns = plexSignIns(deps);
    const key = signInKey(ctx);
    const fixedBy = signInFixedBy(deps);
    const again = (error: string, status: number) => answerSignIn(deps, ctx, { view: signIns.view(key), fixedBy, error }, status);
    if (fixedBy.length > 0) return again(refusedByEnv(fixedBy), 409);
    const form = await parseInput(ctx, plexSignInChoiceForm, {
      invalid: (errors) => again(errors.connection ?? 'Choose a connection.', 422),
    });
    if (!form) return;
    const chosen = signIns.chosen(key, form.connection);
    if (!chosen) return again('That connection is not one of those listed; sign in with Plex again.', 422);
    const url = normalizePlexUrl(chosen.uri);
    if (!url) return again(`${chosen.uri} is not a URL Sagewire can use; choose another connection.`, 422);
    // The connection is tried before anything is saved: a remote or relay address may not be reachable from here.
    const check = await deps.checkPlex(url, chosen.token);
    if (!check.ok) return again(`Sagewire could not use ${chosen.serverName} at ${url}: ${check.message}. Choose another connection.`, 422);
    const before = await deps.settings.secretState('PLEX_TOKEN');
    const values = withTokenBinding({ PLEX_URL: url, PLEX_TOKEN: chosen.token }, before);
    // A first setup starts in dry-run mode, as the Setup form's ticked box would have saved it: the connection
    // takes effect at once, and nothing should be written to Plex before the person has seen a plan.
    const firstRun = (await deps.settings.plexConnection()) === null && (await deps.settings.plexTokenWithheld()) === null;
    if (firstRun && !deps.settings.fixedByEnv('DRY_RUN') && (await deps.settings.get('DRY_RUN')).source === 'default')
      values.DRY_RUN = 'true';
    await deps.settings.save(values);
    signIns.clear(key);
    deps.logger.info({ names: Object.keys(values) }, 'admin: setup saved (sign in with Plex)');
    const next = check.libraries.length === 0 ? 'It has no music library yet.' : 'Choose the music library below and save.';
    const dryRun = values.DRY_RUN ? ' Dry-run mode is on: Sagewire writes nothing to Plex until you turn it off.' : '';
    await deps.sessions.setFlash(ctx, {
      kind: 'success',
      text: `Signed in with Plex: connected to ${chosen.serverName} at ${url}. ${next}${dryRun}${whenApplied(deps)}`,
    });
    ctx.redirect('/setup');
  };
}
