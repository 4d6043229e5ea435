// Settings → Notifications as the page sees it and saves it. Secrets are shown as saved or not (the JSON
// webhook by its origin only), never by value. A saved ntfy token keeps going only to the ntfy URL it was
// saved with, and a saved SMTP password only to its host and port: changing either needs the secret typed
// again (or forgotten), and a form with any problem saves nothing. "Send test" sends to what is saved.
import type { Kysely } from 'kysely';
import { saveSettings } from '../../db/saved-settings.js';
import type { Database } from '../../db/schema.js';
import { DEFAULT_SMTP_PORT, type SmtpSecurity } from '../../notify/email.js';
import { deliver, lastResultOf, recordResult, sendersOf, type DeliveryResult } from '../../notify/delivery.js';
import { NOTIFY_KINDS, testMessage, type NotifyKind } from '../../notify/messages.js';
import {
  CHANNEL_LABELS,
  CHANNELS,
  KEYS,
  eventKey,
  notifySettingsFrom,
  sameUrl,
  savedNotifyRows,
  secretsOf,
  smtpBinding,
  type ChannelName,
} from '../../notify/settings.js';
import type { NotificationsForm } from '../forms/notifications.js';
import type { FieldErrors, RawInput } from '../forms/parse.js';

const EVENT_TEXT: Record<NotifyKind, { label: string; help: string }> = {
  dead: { label: 'Dead-lettered events', help: 'A rating from Plex that could not be applied after every retry.' },
  runs: { label: 'Failed or interrupted runs', help: 'A full pass, undo, verify, recover or import that failed or was cut short.' },
  takeovers: {
    label: 'Takeovers of inferred ratings',
    help: 'You re-rated an item Sagewire had rated; several in one message. Off by default: re-rating an album makes many.',
  },
  schedules: { label: 'Scheduled playlists', help: 'A scheduled playlist was made (or its run failed).' },
};

export interface ChannelStatus {
  name: ChannelName;
  label: string;
  configured: boolean;
  last: DeliveryResult | null;
}

export interface NotificationsView {
  events: { kind: NotifyKind; name: string; label: string; help: string; on: boolean }[];
  webhook: { saved: boolean; origin: string | null };
  ntfy: { url: string; tokenSaved: boolean; tokenWithheld: boolean };
  email: {
    host: string;
    port: string;
    defaultPort: number;
    security: SmtpSecurity;
    user: string;
    passwordSaved: boolean;
    passwordWithheld: boolean;
    from: string;
    to: string;
  };
  channels: ChannelStatus[];
  errors: FieldErrors;
  saved: boolean;
  /** The result of "Send test", shown once in its response. */
  tested: { channel: ChannelName; label: string; ok: boolean; problem: string | null } | null;
}

const originOf = (url: string | undefined): string | null => {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

const field = (raw: RawInput | undefined, name: string): string | undefined => {
  const value = raw?.[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value.at(-1) ?? '') : undefined;
};

/** The section's data: what is saved, or what was submitted when the form comes back with problems. */
export async function notificationsState(db: Kysely<Database>, submitted?: RawInput, errors: FieldErrors = {}): Promise<NotificationsView> {
  const rows = await savedNotifyRows(db);
  const settings = notifySettingsFrom(rows);
  const pick = (name: string, saved: string): string => (submitted ? (field(submitted, name) ?? '') : saved);
  const security = (pick('smtp_security', rows[KEYS.smtpSecurity] ?? 'starttls') as SmtpSecurity) || 'starttls';
  return {
    events: NOTIFY_KINDS.map((kind) => ({
      kind,
      name: `on_${kind}`,
      ...EVENT_TEXT[kind],
      on: submitted ? [submitted[`on_${kind}`]].flat().includes('true') : settings.events[kind],
    })),
    webhook: { saved: Boolean(rows[KEYS.webhookUrl]), origin: originOf(rows[KEYS.webhookUrl]) },
    ntfy: {
      url: pick('ntfy_url', rows[KEYS.ntfyUrl] ?? ''),
      tokenSaved: Boolean(rows[KEYS.ntfyToken]),
      tokenWithheld: settings.ntfy?.tokenWithheld ?? false,
    },
    email: {
      host: pick('smtp_host', rows[KEYS.smtpHost] ?? ''),
      port: pick('smtp_port', rows[KEYS.smtpPort] ?? ''),
      defaultPort: DEFAULT_SMTP_PORT[security] ?? 587,
      security,
      user: pick('smtp_user', rows[KEYS.smtpUser] ?? ''),
      passwordSaved: Boolean(rows[KEYS.smtpPassword]),
      passwordWithheld: settings.email?.passwordWithheld ?? false,
      from: pick('smtp_from', rows[KEYS.smtpFrom] ?? ''),
      to: pick('smtp_to', rows[KEYS.smtpTo] ?? ''),
    },
    channels: CHANNELS.map((name) => ({
      name,
      label: CHANNEL_LABELS[name],
      configured: settings[name] !== null,
      last: lastResultOf(rows, name),
    })),
    errors,
    saved: false,
    tested: null,
  };
}

/** The settings rows a valid form saves (null removes), or the problems of fields that need a secret again. */
export function notificationChanges(
  form: NotificationsForm,
  rows: Readonly<Record<string, string>>,
): { ok: true; changes: [string, string | null][] } | { ok: false; errors: FieldErrors } {
  const changes: [string, string | null][] = NOTIFY_KINDS.map((kind) => [eventKey(kind), String(form[`on_${kind}`])]);
  const errors: FieldErrors = {};

  if (form.webhook_url) changes.push([KEYS.webhookUrl, form.webhook_url]);
  else if (form.forget_webhook_url) changes.push([KEYS.webhookUrl, null]);

  if (form.ntfy_url === '') {
    if (form.ntfy_token) errors.ntfy_token = 'The ntfy access token needs an ntfy URL to go to';
    changes.push([KEYS.ntfyUrl, null], [KEYS.ntfyToken, null], [KEYS.ntfyTokenBound, null]);
  } else {
    changes.push([KEYS.ntfyUrl, form.ntfy_url]);
    if (form.ntfy_token) changes.push([KEYS.ntfyToken, form.ntfy_token], [KEYS.ntfyTokenBound, form.ntfy_url]);
    else if (form.forget_ntfy_token) changes.push([KEYS.ntfyToken, null], [KEYS.ntfyTokenBound, null]);
    else if (rows[KEYS.ntfyToken] && !sameUrl(rows[KEYS.ntfyTokenBound], form.ntfy_url)) {
      errors.ntfy_url =
        'Changing the ntfy URL needs the access token entered again (a saved token only goes to the URL it was saved with), ' +
        'or tick “Forget the saved token”';
    }
  }

  const smtpKeys = [
    KEYS.smtpHost,
    KEYS.smtpPort,
    KEYS.smtpSecurity,
    KEYS.smtpUser,
    KEYS.smtpPassword,
    KEYS.smtpPasswordBound,
    KEYS.smtpFrom,
    KEYS.smtpTo,
  ];
  if (form.smtp_host === '') {
    if (form.smtp_password) errors.smtp_password = 'The SMTP password needs an SMTP host to go to';
    changes.push(...smtpKeys.map((key): [string, null] => [key, null]));
  } else {
    const binding = smtpBinding(form.smtp_host, Number(form.smtp_port) || DEFAULT_SMTP_PORT[form.smtp_security]);
    changes.push(
      [KEYS.smtpHost, form.smtp_host],
      [KEYS.smtpPort, form.smtp_port || null],
      [KEYS.smtpSecurity, form.smtp_security],
      [KEYS.smtpUser, form.smtp_user || null],
      [KEYS.smtpFrom, form.smtp_from],
      [
        KEYS.smtpTo,
        form.smtp_to
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean)
          .join(', '),
      ],
    );
    if (form.smtp_password) changes.push([KEYS.smtpPassword, form.smtp_password], [KEYS.smtpPasswordBound, binding]);
    else if (form.forget_smtp_password) changes.push([KEYS.smtpPassword, null], [KEYS.smtpPasswordBound, null]);
    else if (rows[KEYS.smtpPassword] && rows[KEYS.smtpPasswordBound] !== binding) {
      errors.smtp_host =
        'Changing the SMTP host or port needs the password entered again (a saved password only goes to the server it was saved for), ' +
        'or tick “Forget the saved password”';
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, changes };
}

export async function saveNotifications(
  db: Kysely<Database>,
  form: NotificationsForm,
): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const outcome = notificationChanges(form, await savedNotifyRows(db));
  if (!outcome.ok) return outcome;
  await saveSettings(db, outcome.changes);
  return { ok: true };
}

/** Sends a test message through a saved channel; null when the channel is not configured. */
export async function sendTest(db: Kysely<Database>, channel: ChannelName, now = Date.now()): Promise<DeliveryResult | null> {
  const rows = await savedNotifyRows(db);
  const send = sendersOf(notifySettingsFrom(rows)).get(channel);
  if (!send) return null;
  const result = await deliver(channel, send, testMessage(CHANNEL_LABELS[channel], now), secretsOf(rows), { retryAfterMs: 1_000 });
  await recordResult(db, result);
  return result;
}
