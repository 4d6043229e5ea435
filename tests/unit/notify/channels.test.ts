// Channel request building: the JSON webhook's payload, ntfy's JSON publish (server root, topic in the body,
// the token only as a Bearer header), SMTP transport options and the mail itself; the settings rows read
// back with their secrets bound; redaction.
import { describe, expect, it } from 'vitest';
import { emailMessage, smtpTransportOptions, type SmtpSettings } from '../../../src/notify/email.js';
import { webhookRequest } from '../../../src/notify/json-webhook.js';
import { deadMessage, testMessage } from '../../../src/notify/messages.js';
import { ntfyRequest, splitTopicUrl } from '../../../src/notify/ntfy.js';
import { notifySettingsFrom, redact, secretsOf } from '../../../src/notify/settings.js';

const message = testMessage('JSON webhook', Date.UTC(2026, 11, 7, 12, 0, 0));

describe('JSON webhook request', () => {
  it('posts the message as JSON to the saved URL', () => {
    const req = webhookRequest('https://hooks.example.com/in/tok_123?x=1', message);
    expect(req.url).toBe('https://hooks.example.com/in/tok_123?x=1');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({
      source: 'sagewire',
      kind: 'test',
      title: 'Sagewire test notification',
      text: message.lines.join('\n'),
      count: 0,
      urgent: false,
      at: '2026-12-07T12:00:00.000Z',
      items: [],
    });
  });

  it('carries the events of a message', () => {
    const dead = deadMessage([
      { id: 4, event: 'media.rate', itemType: 'track', itemKey: '9', title: null, attempts: 3, error: null, at: 1 },
    ]);
    const body = JSON.parse(webhookRequest('http://h/x', dead).body);
    expect(body.items).toEqual([
      { id: 4, event: 'media.rate', itemType: 'track', itemKey: '9', title: null, attempts: 3, error: null, at: 1 },
    ]);
    expect(body.urgent).toBe(true);
  });
});

describe('ntfy request', () => {
  it.each([
    ['https://ntfy.sh/my-topic', { server: 'https://ntfy.sh/', topic: 'my-topic' }],
    ['https://ntfy.sh/my_topic/', { server: 'https://ntfy.sh/', topic: 'my_topic' }],
    ['http://home.lan:8080/ntfy/alerts', { server: 'http://home.lan:8080/ntfy/', topic: 'alerts' }],
    ['https://ntfy.sh/', null],
    ['https://ntfy.sh/bad topic', null],
    ['ftp://ntfy.sh/topic', null],
    ['not a url', null],
  ])('splits %s', (url, expected) => {
    expect(splitTopicUrl(url)).toEqual(expected);
  });

  it.each([
    { token: null, auth: undefined, priority: 3, msg: message },
    { token: 'tk_secret', auth: 'Bearer tk_secret', priority: 3, msg: message },
    {
      token: null,
      auth: undefined,
      priority: 4,
      msg: deadMessage([{ id: 1, event: 'media.rate', itemType: null, itemKey: null, title: null, attempts: 1, error: null, at: 1 }]),
    },
  ])('publishes JSON to the server root (token $token)', ({ token, auth, priority, msg }) => {
    const req = ntfyRequest('https://ntfy.example.com/alerts', token, msg);
    expect(req.url).toBe('https://ntfy.example.com/');
    expect(req.headers.authorization).toBe(auth);
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ topic: 'alerts', title: msg.title, message: msg.lines.join('\n'), priority });
    expect(JSON.stringify(body)).not.toContain('tk_secret');
  });
});

describe('email', () => {
  const smtp: SmtpSettings = {
    host: 'smtp.example.com',
    port: 587,
    security: 'starttls',
    user: 'me',
    password: 'pw',
    from: 'sagewire@example.com',
    to: ['a@example.com', 'b@example.com'],
  };

  it.each([
    { security: 'tls' as const, secure: true, requireTLS: false, ignoreTLS: false },
    { security: 'starttls' as const, secure: false, requireTLS: true, ignoreTLS: false },
    { security: 'none' as const, secure: false, requireTLS: false, ignoreTLS: true },
  ])('connects with $security', ({ security, secure, requireTLS, ignoreTLS }) => {
    const options = smtpTransportOptions({ ...smtp, security }, 5_000);
    expect(options).toMatchObject({
      host: 'smtp.example.com',
      port: 587,
      secure,
      requireTLS,
      ignoreTLS,
      connectionTimeout: 5_000,
      logger: false,
    });
  });

  it('signs in only with a user name', () => {
    expect(smtpTransportOptions(smtp, 1).auth).toEqual({ user: 'me', pass: 'pw' });
    expect(smtpTransportOptions({ ...smtp, user: null }, 1).auth).toBeUndefined();
  });

  it('writes the mail', () => {
    expect(emailMessage(smtp, message)).toMatchObject({
      from: 'sagewire@example.com',
      to: 'a@example.com, b@example.com',
      subject: '[Sagewire] Sagewire test notification',
      text: `Sagewire test notification\n\n${message.lines[0]}\n`,
    });
  });
});

describe('saved settings', () => {
  const rows = {
    NOTIFY_ON_TAKEOVERS: 'true',
    NOTIFY_ON_DEAD: 'false',
    NOTIFY_WEBHOOK_URL: 'https://hooks.example.com/in/tok_abcdef123456',
    NOTIFY_NTFY_URL: 'https://ntfy.sh/alerts',
    NOTIFY_NTFY_TOKEN: 'tk_ntfysecret',
    NOTIFY_NTFY_TOKEN_BOUND: 'https://ntfy.sh/alerts/',
    NOTIFY_SMTP_HOST: 'smtp.example.com',
    NOTIFY_SMTP_SECURITY: 'tls',
    NOTIFY_SMTP_PASSWORD: 'smtp-password',
    NOTIFY_SMTP_PASSWORD_BOUND: 'smtp.example.com:465',
    NOTIFY_SMTP_FROM: 'from@example.com',
    NOTIFY_SMTP_TO: 'a@example.com, b@example.com',
  };

  it('reads events with their defaults, and each channel', () => {
    const settings = notifySettingsFrom(rows);
    expect(settings.events).toEqual({ dead: false, runs: true, takeovers: true, schedules: true });
    expect(settings.webhook).toEqual({ url: rows.NOTIFY_WEBHOOK_URL });
    expect(settings.ntfy).toEqual({ url: 'https://ntfy.sh/alerts', token: 'tk_ntfysecret', tokenWithheld: false });
    expect(settings.email).toMatchObject({
      port: 465,
      security: 'tls',
      password: 'smtp-password',
      passwordWithheld: false,
      to: ['a@example.com', 'b@example.com'],
    });
    expect(notifySettingsFrom({}).events).toEqual({ dead: true, runs: true, takeovers: false, schedules: true });
  });

  it.each([
    ['the ntfy URL changed', { NOTIFY_NTFY_URL: 'https://evil.example.com/alerts' }, 'ntfy'],
    ['the SMTP port changed', { NOTIFY_SMTP_PORT: '2525' }, 'email'],
    ['the SMTP host changed', { NOTIFY_SMTP_HOST: 'mail.other.net' }, 'email'],
  ])('withholds a secret when %s', (_name, change, channel) => {
    const settings = notifySettingsFrom({ ...rows, ...change });
    if (channel === 'ntfy') expect(settings.ntfy).toMatchObject({ token: null, tokenWithheld: true });
    else expect(settings.email).toMatchObject({ password: null, passwordWithheld: true });
  });

  it('redacts every secret, the token-like parts of the webhook URL included', () => {
    const secrets = secretsOf(rows);
    const text = `failed at https://hooks.example.com/in/tok_abcdef123456 with tk_ntfysecret and smtp-password; path tok_abcdef123456`;
    const out = redact(text, secrets);
    for (const secret of ['tok_abcdef123456', 'tk_ntfysecret', 'smtp-password']) expect(out).not.toContain(secret);
    expect(out).toContain('failed at');
  });
});
