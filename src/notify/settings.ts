// Where notifications go and which events they are for, as saved from Settings → Notifications (settings
// rows named NOTIFY_*). The secrets (the JSON webhook's whole URL, the ntfy access token, the SMTP password)
// are read here for sending only: the page learns whether each is saved, never its value. The ntfy token is
// bound to the ntfy URL it was saved with and the SMTP password to its host and port (the `*_BOUND` rows): when
// the destination in effect is another one, the secret counts as absent and is not sent.
import type { Kysely } from 'kysely';
import { savedSettingsWithPrefix } from '../db/saved-settings.js';
import type { Database } from '../db/schema.js';
import { DEFAULT_SMTP_PORT, SMTP_SECURITY, type SmtpSecurity, type SmtpSettings } from './email.js';
import { NOTIFY_KINDS, type NotifyKind } from './messages.js';

export const KEYS = {
  webhookUrl: 'NOTIFY_WEBHOOK_URL',
  ntfyUrl: 'NOTIFY_NTFY_URL',
  ntfyToken: 'NOTIFY_NTFY_TOKEN',
  ntfyTokenBound: 'NOTIFY_NTFY_TOKEN_BOUND',
  smtpHost: 'NOTIFY_SMTP_HOST',
  smtpPort: 'NOTIFY_SMTP_PORT',
  smtpSecurity: 'NOTIFY_SMTP_SECURITY',
  smtpUser: 'NOTIFY_SMTP_USER',
  smtpPassword: 'NOTIFY_SMTP_PASSWORD',
  smtpPasswordBound: 'NOTIFY_SMTP_PASSWORD_BOUND',
  smtpFrom: 'NOTIFY_SMTP_FROM',
  smtpTo: 'NOTIFY_SMTP_TO',
  cursor: 'NOTIFY_CURSOR',
} as const;

export const eventKey = (kind: NotifyKind): string => `NOTIFY_ON_${kind.toUpperCase()}`;
export const lastResultKey = (channel: ChannelName): string => `NOTIFY_LAST_${channel.toUpperCase()}`;

/** Takeovers are many after a person re-rates an album; they are off until asked for. */
export const DEFAULT_EVENTS: Record<NotifyKind, boolean> = { dead: true, runs: true, takeovers: false, schedules: true };

export type ChannelName = 'webhook' | 'ntfy' | 'email';
export const CHANNELS: readonly ChannelName[] = ['webhook', 'ntfy', 'email'];
export const CHANNEL_LABELS: Record<ChannelName, string> = { webhook: 'JSON webhook', ntfy: 'ntfy', email: 'Email' };

export interface NtfySettings {
  url: string;
  /** Null: none saved, or the saved one is bound to another URL (`tokenWithheld`). */
  token: string | null;
  tokenWithheld: boolean;
}

export interface NotifySettings {
  events: Record<NotifyKind, boolean>;
  webhook: { url: string } | null;
  ntfy: NtfySettings | null;
  email: (SmtpSettings & { passwordWithheld: boolean }) | null;
}

/** A URL as bindings compare it: lower-case scheme and host, no default port, no trailing slash. */
export function sameUrl(a: string | null | undefined, b: string | null | undefined): boolean {
  const norm = (raw: string | null | undefined): string | null => {
    if (!raw) return null;
    try {
      const u = new URL(raw.trim());
      return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}${u.search}`;
    } catch {
      return null;
    }
  };
  const left = norm(a);
  return left !== null && left === norm(b);
}

/** What the SMTP password is bound to. */
export const smtpBinding = (host: string, port: number): string => `${host.trim().toLowerCase()}:${port}`;

export async function savedNotifyRows(db: Kysely<Database>): Promise<Record<string, string>> {
  return savedSettingsWithPrefix(db, 'NOTIFY_');
}

export function notifySettingsFrom(rows: Readonly<Record<string, string>>): NotifySettings {
  const events = Object.fromEntries(
    NOTIFY_KINDS.map((kind) => [kind, rows[eventKey(kind)] === undefined ? DEFAULT_EVENTS[kind] : rows[eventKey(kind)] === 'true']),
  ) as Record<NotifyKind, boolean>;
  const webhook = rows[KEYS.webhookUrl] ? { url: rows[KEYS.webhookUrl] } : null;
  let ntfy: NtfySettings | null = null;
  if (rows[KEYS.ntfyUrl]) {
    const saved = rows[KEYS.ntfyToken] || null;
    const bound = saved !== null && sameUrl(rows[KEYS.ntfyTokenBound], rows[KEYS.ntfyUrl]);
    ntfy = { url: rows[KEYS.ntfyUrl], token: bound ? saved : null, tokenWithheld: saved !== null && !bound };
  }
  let email: NotifySettings['email'] = null;
  if (rows[KEYS.smtpHost] && rows[KEYS.smtpFrom] && rows[KEYS.smtpTo]) {
    const security = (SMTP_SECURITY as readonly string[]).includes(rows[KEYS.smtpSecurity])
      ? (rows[KEYS.smtpSecurity] as SmtpSecurity)
      : 'starttls';
    const port = Number(rows[KEYS.smtpPort]) || DEFAULT_SMTP_PORT[security];
    const saved = rows[KEYS.smtpPassword] || null;
    const bound = saved !== null && rows[KEYS.smtpPasswordBound] === smtpBinding(rows[KEYS.smtpHost], port);
    email = {
      host: rows[KEYS.smtpHost],
      port,
      security,
      user: rows[KEYS.smtpUser] || null,
      password: bound ? saved : null,
      passwordWithheld: saved !== null && !bound,
      from: rows[KEYS.smtpFrom],
      to: rows[KEYS.smtpTo]
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    };
  }
  return { events, webhook, ntfy, email };
}

/** The secrets of the settings, to cut out of any text that leaves (logs, the page). */
export function secretsOf(rows: Readonly<Record<string, string>>): string[] {
  const secrets = [rows[KEYS.ntfyToken], rows[KEYS.smtpPassword]];
  const hook = rows[KEYS.webhookUrl];
  if (hook) {
    secrets.push(hook);
    try {
      const u = new URL(hook);
      // The parts of the URL past its origin are where a token lives.
      const parts = `${u.pathname.slice(1)}/${u.search.slice(1)}`.split(/[/?&=]/);
      secrets.push(...parts.filter((p) => p.length >= 16 || (p.length >= 8 && /\d/.test(p))), u.password);
    } catch {
      // Saved URLs are checked on save; nothing else to cut.
    }
  }
  return secrets.filter((s): s is string => typeof s === 'string' && s.length >= 6);
}

/** `text` with every secret replaced by "[redacted]". */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join('[redacted]');
  return out;
}
