// Settings → Notifications, as the browser sends it: which events, and the three channels. Secret fields
// (the webhook URL, the ntfy token, the SMTP password) are write-only: empty keeps what is saved and the
// "forget" box removes it. Whether the saved secrets still fit the destination is the service's check
// (services/notification-settings.ts); these schemas read and check each field on its own.
import { z } from 'zod';
import { NTFY_TOPIC } from '../../notify/ntfy.js';
import { SMTP_SECURITY, type SmtpSecurity } from '../../notify/email.js';
import { checked, text, ticked } from './fields.js';

const trimmed = (max: number, what: string) =>
  text()
    .transform((value) => value.trim())
    .pipe(z.string().max(max, `${what} must be at most ${max} characters`));

const httpUrl = (what: string) =>
  trimmed(2000, what).refine((value) => {
    if (value === '') return true;
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, `${what} must be a full http:// or https:// address`);

const ntfyUrl = httpUrl('The ntfy URL').refine((value) => {
  if (value === '') return true;
  try {
    return NTFY_TOPIC.test(new URL(value).pathname.replace(/\/+$/, '').split('/').pop() ?? '');
  } catch {
    return true; // not a URL at all: the check above says so
  }
}, 'The ntfy URL must end in the topic: letters, digits, - and _ (e.g. https://ntfy.sh/my-sagewire)');

const secret = (what: string) =>
  trimmed(1000, what).refine((value) => !/[\u0000-\u001f\u007f]/.test(value), `${what} must not contain control characters`);

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

const host = trimmed(253, 'The SMTP host').refine(
  (value) => value === '' || /^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(value),
  'The SMTP host must be a host name or an address, without http:// or a port (e.g. smtp.example.com)',
);

const port = trimmed(5, 'The SMTP port').refine(
  (value) => value === '' || (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535),
  'The SMTP port must be a whole number from 1 to 65535, or empty for the usual one',
);

const security = text().refine(
  (value) => (SMTP_SECURITY as readonly string[]).includes(value),
  'Choose how the SMTP connection is protected',
);

const sender = trimmed(320, 'The sender address').refine(
  (value) => value === '' || EMAIL.test(value),
  'The sender address must be an email address, like sagewire@example.com',
);

const recipients = trimmed(2000, 'The recipients').refine(
  (value) => value === '' || value.split(',').every((a) => EMAIL.test(a.trim())),
  'The recipients must be email addresses separated by commas',
);

/** POST /settings/notifications */
export const notificationsForm = z
  .object({
    on_dead: ticked(),
    on_runs: ticked(),
    on_takeovers: ticked(),
    on_schedules: ticked(),
    webhook_url: httpUrl('The webhook URL'),
    forget_webhook_url: checked(),
    ntfy_url: ntfyUrl,
    ntfy_token: secret('The ntfy access token'),
    forget_ntfy_token: checked(),
    smtp_host: host,
    smtp_port: port,
    smtp_security: security.transform((value) => value as SmtpSecurity),
    smtp_user: trimmed(320, 'The SMTP user name'),
    smtp_password: secret('The SMTP password'),
    forget_smtp_password: checked(),
    smtp_from: sender,
    smtp_to: recipients,
  })
  .superRefine((form, ctx) => {
    // Email needs somewhere to send from and to as soon as there is a server.
    if (form.smtp_host === '') return;
    if (form.smtp_from === '') ctx.addIssue({ code: 'custom', path: ['smtp_from'], message: 'The sender address is needed to send email' });
    if (form.smtp_to === '') ctx.addIssue({ code: 'custom', path: ['smtp_to'], message: 'At least one recipient is needed to send email' });
  });

export type NotificationsForm = z.output<typeof notificationsForm>;

/** POST /settings/notifications/test */
export const testForm = z.object({ channel: z.enum(['webhook', 'ntfy', 'email'], { error: 'channel: choose webhook, ntfy or email' }) });
