// The Setup page: how to reach Plex (URL, token, music library), the webhook URL to paste into Plex,
// and how Sagewire behaves. The token is never rendered back: the page only says whether one is set.
// A saved token is only ever sent to the URL it was saved with (secrets/binding.ts): testing or saving
// another URL needs the token typed in the same form.
//   GET  /setup                 the page
//   GET  /setup/libraries       the library field, filled from Plex (htmx, on load)
//   POST /setup/test            "Test connection" (htmx fragment; the whole page without JS)
//   POST /setup                 save
import type { Context } from 'koa';
import { whenApplied, type AdminDeps } from '../deps.js';
import { readForm } from '../form-body.js';
import { currentBehaviour, hasErrors, submittedBehaviour, type BehaviourView } from '../services/behaviour-settings.js';
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

export function normalizePlexUrl(raw: string): string | null {
  const trimmed = raw.trim().replace(/\/+$/, '');
  try {
    const u = new URL(trimmed);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.search || u.hash) return null;
    return trimmed;
  } catch {
    return null;
  }
}

async function setupPage(deps: AdminDeps, ctx: Context, overrides: Partial<SetupPage> = {}): Promise<SetupPage> {
  const [url, token, library, connection, tokenWithheld] = await Promise.all([
    deps.settings.get('PLEX_URL'), deps.settings.get('PLEX_TOKEN'), deps.settings.get('PLEX_MUSIC_LIBRARY'), deps.settings.plexConnection(),
    deps.settings.plexTokenWithheld(),
  ]);
  const behaviour = await currentBehaviour(deps.settings);
  // The dry-run-first recommendation, acted on: a first setup starts with dry-run mode ticked.
  if (connection === null && !behaviour.fixed.dryRun && (await deps.settings.get('DRY_RUN')).source === 'default') behaviour.dryRun = true;
  return {
    firstRun: connection === null && tokenWithheld === null,
    plexUrl: url.value ?? '',
    library: library.value ?? 'Music',
    fixed: { plexUrl: deps.settings.fixedByEnv('PLEX_URL'), plexToken: deps.settings.fixedByEnv('PLEX_TOKEN'), library: deps.settings.fixedByEnv('PLEX_MUSIC_LIBRARY') },
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
async function connectionToTest(deps: AdminDeps, form: URLSearchParams): Promise<{ url: string | null; token: string | null; problem: string | null }> {
  const state = await deps.settings.secretState('PLEX_TOKEN');
  const rawUrl = deps.settings.fixedByEnv('PLEX_URL') ? (state.url ?? '') : (form.get('plex_url') ?? '');
  const url = normalizePlexUrl(rawUrl);
  if (!url) return { url: null, token: null, problem: rawUrl.trim() ? 'That is not a Plex URL: it should start with http:// or https:// and look like http://192.168.1.10:32400' : 'Enter the Plex URL first.' };
  const typed = deps.settings.fixedByEnv('PLEX_TOKEN') ? '' : (form.get('plex_token') ?? '').trim();
  if (typed) return { url, token: typed, problem: null };
  if (!state.secret) return { url, token: null, problem: 'Enter the Plex token first (Plex Web → any item → ⋯ → Get Info → View XML: the X-Plex-Token in the address).' };
  const allowed = allowedUrl('PLEX_TOKEN', state);
  if (allowed !== comparableUrl(url)) return { url, token: null, problem: tokenBoundProblem(state.secretFromEnv, allowed) };
  return { url, token: state.secret, problem: null };
}

/** What to do when the URL is not the one the token in effect is bound to. */
function tokenBoundProblem(fromEnv: boolean, allowed: string | null): string {
  if (fromEnv) {
    return `PLEX_TOKEN comes from the environment and is only sent to ${allowed ?? 'the PLEX_URL set in the environment'}. To use another server, set PLEX_URL (and PLEX_TOKEN) in the environment.`;
  }
  return `The saved token is only sent to the server it was saved for (${allowed}). To test or save another server, type its token in the token field too.`;
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
    const form = await readForm(ctx);
    const target = await connectionToTest(deps, form);
    const check: PlexCheck = target.problem ? { ok: false, message: target.problem } : await deps.checkPlex(target.url!, target.token!);
    const library = deps.settings.fixedByEnv('PLEX_MUSIC_LIBRARY') ? undefined : (form.get('plex_library') ?? undefined);
    const page = await setupPage(deps, ctx, { check, libraries: check.ok ? check.libraries : null, ...(library ? { library } : {}) });
    // htmx: the result, plus the library field swapped out-of-band (a list once Plex answered).
    if (ctx.get('HX-Request')) return deps.views.fragment(ctx, 'plex-check', { ...page, oob: true });
    // Without JavaScript the whole page comes back; the typed URL is kept, a typed token is not (never rendered).
    if (!page.fixed.plexUrl) page.plexUrl = form.get('plex_url') ?? page.plexUrl;
    await deps.views.page(ctx, 'setup', 'Setup', page);
  };
}

export function saveSetup(deps: AdminDeps) {
  return async (ctx: Context) => {
    const form = await readForm(ctx);
    const page = await setupPage(deps, ctx);
    const values: Record<string, string> = {};
    if (!page.fixed.plexUrl) {
      const raw = form.get('plex_url') ?? '';
      const url = normalizePlexUrl(raw);
      page.plexUrl = raw;
      if (!url) page.errors.plexUrl = 'Enter the address of your Plex server, starting with http:// or https://, like http://192.168.1.10:32400';
      else values.PLEX_URL = url;
    }
    const typed = page.fixed.plexToken ? '' : (form.get('plex_token') ?? '').trim();
    if (!page.fixed.plexToken) {
      if (typed) {
        if (/\s/.test(typed) || typed.length > 256) page.errors.plexToken = 'That does not look like a Plex token (no spaces, at most 256 characters).';
        else values.PLEX_TOKEN = typed;
      } else if (!page.tokenSet) {
        page.errors.plexToken = 'Paste your Plex token.';
      }
    }
    // The token in effect after this save must be bound to the URL in effect after it: a new URL needs the
    // token typed with it, and the binding is recorded with every save.
    const before = await deps.settings.secretState('PLEX_TOKEN');
    const finalUrl = values.PLEX_URL ?? before.url;
    if (!typed && before.secret && !page.errors.plexUrl) {
      const allowed = allowedUrl('PLEX_TOKEN', before);
      const changes = allowed !== null && allowed !== comparableUrl(finalUrl);
      if (changes) page.errors[before.secretFromEnv || page.fixed.plexToken ? 'plexUrl' : 'plexToken'] = tokenBoundProblem(before.secretFromEnv, allowed);
    }
    const binding = values.PLEX_TOKEN || before.secret ? bindingToRecord('PLEX_TOKEN', before, finalUrl, Boolean(values.PLEX_TOKEN)) : null;
    if (binding) values[boundUrlSetting('PLEX_TOKEN')] = binding;
    if (!page.fixed.library) {
      page.library = (form.get('plex_library') ?? '').trim();
      if (!page.library || page.library.length > 200) page.errors.library = 'Choose the music library Sagewire should look after.';
      else values.PLEX_MUSIC_LIBRARY = page.library;
    }
    const behaviour = await submittedBehaviour(deps.settings, form);
    page.behaviour = behaviour.view;
    if (Object.keys(page.errors).length > 0 || hasErrors(behaviour.view)) {
      return deps.views.page(ctx, 'setup', 'Setup', page, 422);
    }
    await deps.settings.save({ ...values, ...behaviour.values });
    deps.logger.info({ names: Object.keys(values).concat(Object.keys(behaviour.values)) }, 'admin: setup saved');
    await deps.sessions.setFlash(ctx, { kind: 'success', text: `Setup saved.${whenApplied(deps)}` });
    ctx.redirect(page.firstRun ? '/' : '/setup');
  };
}
