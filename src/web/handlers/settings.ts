// The Settings page, in sections: the rating model (parameters and the model they learned), behaviour,
// playlists (handlers/playlist-settings.ts), prices, notifications (their own handler), and security (the API
// token and the password).
//   GET  /settings
//   POST /settings/model           model parameters (all valid, or nothing saved)
//   POST /settings/behaviour       inferred tag, webhooks/polling, reconcile interval, dry run
//   POST /settings/prices          the price table, row by row (all valid, or nothing saved)
//   POST /settings/api-token       rotate; the new token is shown in this response only
//   POST /settings/password        current + new twice
import { notificationsView } from './notifications.js';
import type { NotificationsView } from '../services/notification-settings.js';
import type { Context } from 'koa';
import { whenApplied, type AdminDeps } from '../deps.js';
import { MIN_PASSWORD_LENGTH, type PasswordChange } from '../auth/admin-password.js';
import { deleteOtherSessions } from '../../db/auth-sessions-repo.js';
import { currentSession } from '../auth/sessions.js';
import { behaviourForm, behaviourView } from '../forms/behaviour.js';
import { parseInput, rawOf, type FieldErrors } from '../forms/parse.js';
import { readForm } from '../form-body.js';
import { modelForm, passwordForm, priceRowsOf, priceTableForm } from '../forms/settings.js';
import { currentBehaviour, type BehaviourView } from '../services/behaviour-settings.js';
import { fitView, type FitView, type ParamView } from '../services/model-settings.js';
import type { PlaylistSettingsView, PriceTableView } from '../services/playlist-llm-settings.js';
import { isHtmx, playlistsOf } from './playlist-compose.js';

export interface SettingsPage {
  params: ParamView[];
  modelProblems: string[];
  /** The learned model in use (partials/model-fit.eta); null without the rating engine or a library yet. */
  fit: FitView | null;
  behaviour: BehaviourView;
  /** `replaced`: the token shown once took the place of an earlier one, which stops working. */
  apiToken: { fixedByEnv: boolean; exists: boolean; shownOnce: string | null; replaced: boolean };
  password: { fixedByEnv: boolean; error: string | null; minLength: number };
  /** Playlist settings (partials/playlist-settings.eta); null without playlists. */
  playlists: PlaylistSettingsView | null;
  /** The price table (partials/settings-prices.eta); null without playlists. */
  prices: PriceTableView | null;
  /** The Notifications section's data (partials/settings-notifications.eta), from the notifications handler. */
  notifications: NotificationsView | null;
}

export async function settingsPage(deps: AdminDeps, overrides: Partial<SettingsPage> = {}): Promise<SettingsPage> {
  return {
    params: overrides.params ?? (await deps.modelSettings.current()),
    modelProblems: [],
    fit: learnedModel(deps),
    behaviour: overrides.behaviour ?? (await currentBehaviour(deps.settings)),
    apiToken: { fixedByEnv: deps.apiToken.fixedByEnv, exists: deps.apiToken.exists, shownOnce: null, replaced: false },
    password: { fixedByEnv: deps.password.fixedByEnv, error: null, minLength: MIN_PASSWORD_LENGTH },
    playlists: overrides.playlists ?? (deps.playlists ? await deps.playlists.settings.view() : null),
    prices: overrides.prices ?? (deps.playlists ? await deps.playlists.settings.pricesView() : null),
    notifications: overrides.notifications ?? (await notificationsView(deps)),
    ...overrides,
  };
}

/** The fit the pages' model computes with; the page still shows its forms when there is none. */
function learnedModel(deps: AdminDeps): FitView | null {
  if (!deps.ratings) return null;
  try {
    return fitView(deps.ratings.model.get().fit);
  } catch (err) {
    deps.logger.warn({ err }, 'admin: the learned model could not be read');
    return null;
  }
}

export function showSettings(deps: AdminDeps) {
  return async (ctx: Context) => {
    await deps.views.page(ctx, 'settings', 'Settings', await settingsPage(deps));
  };
}

export function saveModelSettings(deps: AdminDeps) {
  return async (ctx: Context) => {
    const result = await deps.modelSettings.save(await parseInput(ctx, modelForm));
    if (!result.ok) {
      const page = await settingsPage(deps, { params: result.fields, modelProblems: result.problems });
      return deps.views.page(ctx, 'settings', 'Settings', page, 422);
    }
    deps.logger.info({ changed: result.changed }, 'admin: model parameters saved');
    await deps.sessions.setFlash(ctx, { kind: 'success', text: `Model parameters saved.${whenApplied(deps)}` });
    ctx.redirect('/settings#model');
  };
}

export function saveBehaviourSettings(deps: AdminDeps) {
  return async (ctx: Context) => {
    const current = await currentBehaviour(deps.settings);
    const values = await parseInput(ctx, behaviourForm(current.fixed), {
      invalid: async (errors, raw) =>
        deps.views.page(ctx, 'settings', 'Settings', await settingsPage(deps, { behaviour: behaviourView(current, raw, errors) }), 422),
    });
    if (!values) return;
    await deps.settings.save(values);
    await deps.sessions.setFlash(ctx, { kind: 'success', text: `Behaviour saved.${whenApplied(deps)}` });
    ctx.redirect('/settings#behaviour');
  };
}

export function savePriceSettings(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ui = playlistsOf(deps, ctx);
    const refuse = async (view: PriceTableView) => {
      if (isHtmx(ctx)) return deps.views.fragment(ctx, 'settings-prices', { prices: view }); // htmx swaps only 2xx
      return deps.views.page(ctx, 'settings', 'Settings', await settingsPage(deps, { prices: view }), 422);
    };
    const raw = rawOf(await readForm(ctx));
    const table = await parseInput(ctx, priceTableForm, {
      from: raw,
      invalid: async (errors: FieldErrors) => refuse(await ui.settings.pricesView(priceRowsOf(raw), errors)),
    });
    if (table === undefined) return;
    const result = await ui.settings.savePrices(table, priceRowsOf(raw));
    if (!result.ok) return refuse(result.view);
    await ui.runtime.reload();
    deps.logger.info(
      { models: Object.values(table ?? {}).reduce((n, models) => n + Object.keys(models).length, 0) },
      'admin: prices saved',
    );
    if (isHtmx(ctx)) {
      const view = await ui.settings.pricesView();
      view.saved = true;
      return deps.views.fragment(ctx, 'settings-prices', { prices: view });
    }
    await deps.sessions.setFlash(ctx, { kind: 'success', text: 'Prices saved; the next estimate and generation use them.' });
    ctx.redirect('/settings#prices');
  };
}

export function rotateApiToken(deps: AdminDeps) {
  return async (ctx: Context) => {
    const replaced = deps.apiToken.exists;
    const token = await deps.apiToken.rotate();
    const page = await settingsPage(deps);
    page.apiToken.shownOnce = token;
    page.apiToken.replaced = replaced;
    // Rendered straight into this response (never stored in a flash message) and never shown again.
    if (ctx.get('HX-Request')) return deps.views.fragment(ctx, 'api-token', page);
    await deps.views.page(ctx, 'settings', 'Settings', page);
  };
}

const PASSWORD_MESSAGES: Record<Exclude<PasswordChange, 'changed'>, string> = {
  'wrong-current': 'The current password is wrong.',
  'fixed-by-env': 'The password is set by ADMIN_PASSWORD in the environment; change it there.',
  'too-short': `The new password must be at least ${MIN_PASSWORD_LENGTH} characters.`,
  mismatch: 'The two new passwords differ.',
};

export function changePassword(deps: AdminDeps) {
  return async (ctx: Context) => {
    const form = await parseInput(ctx, passwordForm);
    const outcome = await deps.password.change(form.current, form.next, form.confirm);
    if (outcome !== 'changed') {
      const page = await settingsPage(deps);
      page.password.error = PASSWORD_MESSAGES[outcome];
      return deps.views.page(ctx, 'settings', 'Settings', page, outcome === 'fixed-by-env' ? 409 : 422);
    }
    const others = await deleteOtherSessions(deps.db, currentSession(ctx)!.id_hash);
    await deps.sessions.setFlash(ctx, {
      kind: 'success',
      text: `Password changed.${others > 0 ? ` ${others} other session${others === 1 ? ' was' : 's were'} signed out.` : ''}`,
    });
    ctx.redirect('/settings#password');
  };
}
