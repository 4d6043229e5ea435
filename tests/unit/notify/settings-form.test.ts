// Settings → Notifications form: each field's own check with a message naming the field, and the rows a
// valid form saves — secrets kept when left empty, removed when forgotten, and asked for again when their
// destination changes.
import { describe, expect, it } from 'vitest';
import { notificationsForm, type NotificationsForm } from '../../../src/web/forms/notifications.js';
import { check } from '../../../src/web/forms/parse.js';
import { notificationChanges } from '../../../src/web/services/notification-settings.js';

const blank: Record<string, string | string[]> = {
  on_dead: ['false', 'true'],
  on_runs: 'false',
  on_takeovers: 'false',
  on_schedules: ['false', 'true'],
  webhook_url: '',
  ntfy_url: '',
  ntfy_token: '',
  smtp_host: '',
  smtp_port: '',
  smtp_security: 'starttls',
  smtp_user: '',
  smtp_password: '',
  smtp_from: '',
  smtp_to: '',
};

const parsed = (over: Record<string, string | string[]>): NotificationsForm => {
  const result = check(notificationsForm, { ...blank, ...over });
  if (!result.ok) throw new Error(result.first);
  return result.value;
};

describe('notifications form', () => {
  it.each([
    ['webhook_url', 'ftp://example.com/x', 'The webhook URL must be a full http:// or https:// address'],
    ['webhook_url', 'example.com/hook', 'The webhook URL must be a full http:// or https:// address'],
    ['ntfy_url', 'https://ntfy.sh/', 'The ntfy URL must end in the topic: letters, digits, - and _ (e.g. https://ntfy.sh/my-sagewire)'],
    ['ntfy_url', 'javascript:alert(1)', 'The ntfy URL must be a full http:// or https:// address'],
    ['ntfy_url', 'ntfy.sh/alerts', 'The ntfy URL must be a full http:// or https:// address'],
    ['ntfy_token', 'a\nb', 'The ntfy access token must not contain control characters'],
    [
      'smtp_host',
      'https://smtp.example.com',
      'The SMTP host must be a host name or an address, without http:// or a port (e.g. smtp.example.com)',
    ],
    ['smtp_port', '70000', 'The SMTP port must be a whole number from 1 to 65535, or empty for the usual one'],
    ['smtp_security', 'ssl', 'Choose how the SMTP connection is protected'],
    ['smtp_from', 'not-an-address', 'The sender address must be an email address, like sagewire@example.com'],
    ['smtp_to', 'a@example.com, nope', 'The recipients must be email addresses separated by commas'],
  ])('refuses %s = %j', (name, value, message) => {
    const result = check(notificationsForm, {
      ...blank,
      smtp_host: 'smtp.example.com',
      smtp_from: 'a@example.com',
      smtp_to: 'b@example.com',
      [name]: value,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[name]).toBe(message);
  });

  it('asks for the sender and recipients once there is an SMTP host', () => {
    const result = check(notificationsForm, { ...blank, smtp_host: 'smtp.example.com' });
    expect(result.ok ? {} : result.errors).toEqual({
      smtp_from: 'The sender address is needed to send email',
      smtp_to: 'At least one recipient is needed to send email',
    });
  });

  it('saves the events and removes channels left empty', () => {
    const outcome = notificationChanges(parsed({}), {});
    expect(outcome.ok && Object.fromEntries(outcome.changes)).toMatchObject({
      NOTIFY_ON_DEAD: 'true',
      NOTIFY_ON_RUNS: 'false',
      NOTIFY_ON_TAKEOVERS: 'false',
      NOTIFY_ON_SCHEDULES: 'true',
      NOTIFY_NTFY_URL: null,
      NOTIFY_NTFY_TOKEN: null,
      NOTIFY_SMTP_HOST: null,
      NOTIFY_SMTP_PASSWORD: null,
    });
  });

  const saved = {
    NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/tok_1',
    NOTIFY_NTFY_URL: 'https://ntfy.sh/alerts',
    NOTIFY_NTFY_TOKEN: 'tk_saved',
    NOTIFY_NTFY_TOKEN_BOUND: 'https://ntfy.sh/alerts',
    NOTIFY_SMTP_HOST: 'smtp.example.com',
    NOTIFY_SMTP_PASSWORD: 'pw',
    NOTIFY_SMTP_PASSWORD_BOUND: 'smtp.example.com:587',
  };
  const smtp = { smtp_host: 'smtp.example.com', smtp_from: 'a@example.com', smtp_to: 'b@example.com, c@example.com' };

  it.each([
    {
      name: 'empty secrets keep what is saved',
      form: { ntfy_url: 'https://ntfy.sh/alerts', ...smtp },
      expected: {},
      absent: ['NOTIFY_WEBHOOK_URL', 'NOTIFY_NTFY_TOKEN', 'NOTIFY_SMTP_PASSWORD'],
    },
    {
      name: 'typed secrets are saved with their destination',
      form: {
        webhook_url: 'https://new.example.com/tok_2',
        ntfy_url: 'https://ntfy.sh/other',
        ntfy_token: 'tk_new',
        ...smtp,
        smtp_port: '2525',
        smtp_password: 'pw2',
      },
      expected: {
        NOTIFY_WEBHOOK_URL: 'https://new.example.com/tok_2',
        NOTIFY_NTFY_TOKEN: 'tk_new',
        NOTIFY_NTFY_TOKEN_BOUND: 'https://ntfy.sh/other',
        NOTIFY_SMTP_PASSWORD: 'pw2',
        NOTIFY_SMTP_PASSWORD_BOUND: 'smtp.example.com:2525',
        NOTIFY_SMTP_TO: 'b@example.com, c@example.com',
      },
      absent: [],
    },
    {
      name: 'forgotten secrets are removed',
      form: {
        forget_webhook_url: 'true',
        ntfy_url: 'https://ntfy.sh/alerts',
        forget_ntfy_token: 'true',
        ...smtp,
        forget_smtp_password: 'true',
      },
      expected: { NOTIFY_WEBHOOK_URL: null, NOTIFY_NTFY_TOKEN: null, NOTIFY_SMTP_PASSWORD: null, NOTIFY_SMTP_PASSWORD_BOUND: null },
      absent: [],
    },
  ])('$name', ({ form, expected, absent }) => {
    const outcome = notificationChanges(parsed(form), saved);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const changes = Object.fromEntries(outcome.changes);
    expect(changes).toMatchObject(expected);
    for (const key of absent) expect(key in changes).toBe(false);
  });

  it.each([
    { name: 'the ntfy URL moves', form: { ntfy_url: 'https://ntfy.example.net/alerts', ...smtp }, field: 'ntfy_url' },
    { name: 'the SMTP host moves', form: { ntfy_url: 'https://ntfy.sh/alerts', ...smtp, smtp_host: 'mail.other.net' }, field: 'smtp_host' },
    { name: 'the SMTP port moves', form: { ntfy_url: 'https://ntfy.sh/alerts', ...smtp, smtp_security: 'tls' }, field: 'smtp_host' },
  ])('asks for the secret again when $name', ({ form, field }) => {
    const outcome = notificationChanges(parsed(form), saved);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(Object.keys(outcome.errors)).toEqual([field]);
  });

  it('refuses a secret without a destination', () => {
    const outcome = notificationChanges(parsed({ ntfy_token: 'tk', smtp_password: 'pw' }), {});
    expect(outcome.ok ? {} : outcome.errors).toEqual({
      ntfy_token: 'The ntfy access token needs an ntfy URL to go to',
      smtp_password: 'The SMTP password needs an SMTP host to go to',
    });
  });
});
