// Settings → Notifications. The Settings page includes the section (partials/settings-notifications.eta)
// with `notificationsView(deps)` as `it.page.notifications`; it also stands on its own page here.
//   GET  /settings/notifications          the section on a page of its own
//   POST /settings/notifications          events and channels (all valid, or nothing saved)
//   POST /settings/notifications/test     "Send test" through one saved channel
// Forms post with htmx and swap the section; without htmx the page comes back whole.
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';
import { notificationsForm, testForm } from '../forms/notifications.js';
import { parseInput, rawOf } from '../forms/parse.js';
import { readForm } from '../form-body.js';
import { CHANNEL_LABELS } from '../../notify/settings.js';
import { notificationsState, saveNotifications, sendTest, type NotificationsView } from '../services/notification-settings.js';

/** The section's data, for the Settings page. */
export function notificationsView(deps: Pick<AdminDeps, 'db'>): Promise<NotificationsView> {
  return notificationsState(deps.db);
}

async function respond(deps: AdminDeps, ctx: Context, notifications: NotificationsView, status = 200): Promise<void> {
  // htmx swaps only 2xx answers: a refused form comes back as a 200 fragment that shows its problems.
  if (ctx.get('HX-Request')) return deps.views.fragment(ctx, 'settings-notifications', { notifications });
  await deps.views.page(ctx, 'notifications', 'Notifications', { notifications }, status);
}

export function showNotifications(deps: AdminDeps) {
  return async (ctx: Context) => respond(deps, ctx, await notificationsView(deps));
}

export function saveNotificationSettings(deps: AdminDeps) {
  return async (ctx: Context) => {
    const form = await parseInput(ctx, notificationsForm, {
      invalid: async (errors, raw) => respond(deps, ctx, await notificationsState(deps.db, raw, errors), 422),
    });
    if (!form) return;
    const outcome = await saveNotifications(deps.db, form);
    if (!outcome.ok) {
      return respond(deps, ctx, await notificationsState(deps.db, rawOf(await readForm(ctx)), outcome.errors), 422);
    }
    deps.logger.info('admin: notification settings saved');
    const view = await notificationsView(deps);
    view.saved = true;
    await respond(deps, ctx, view);
  };
}

export function testNotification(deps: AdminDeps) {
  return async (ctx: Context) => {
    const { channel } = await parseInput(ctx, testForm);
    const result = await sendTest(deps.db, channel);
    const view = await notificationsView(deps);
    view.tested = {
      channel,
      label: CHANNEL_LABELS[channel],
      ok: result?.ok ?? false,
      problem: result ? result.problem : 'nothing is saved for this channel yet: save it first',
    };
    if (result && !result.ok) deps.logger.warn({ channel, problem: result.problem }, 'notify: the test notification was not delivered');
    await respond(deps, ctx, view, result ? 200 : 409);
  };
}
