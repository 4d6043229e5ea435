// Settings → Notifications over HTTP: CSRF required, bad input refused with the field named and nothing
// saved, a saved webhook URL never rendered or logged, "Send test" refusing a channel not set up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSetting } from '../../../src/db/settings-repo.js';
import { notificationsView } from '../../../src/web/handlers/notifications.js';
import { Client, startWeb, type WebHarness } from './harness.js';

const SECRET_URL = 'https://hooks.example.com/in/tok_web_5e6f7a8b9c?key=k_0123456789';

describe('notification settings pages', () => {
  let web: WebHarness;
  let client: Client;
  let csrf = '';

  beforeAll(async () => {
    web = await startWeb();
    client = new Client(web.url);
    csrf = await client.signIn();
  });

  afterAll(async () => {
    await web?.close();
  });

  const form = (over: Record<string, string> = {}) => ({
    _csrf: csrf,
    on_dead: ['false', 'true'],
    on_runs: ['false', 'true'],
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
    ...over,
  });

  it('refuses a post without the CSRF token', async () => {
    const res = await client.post('/settings/notifications', { ...form({ webhook_url: SECRET_URL }), _csrf: 'wrong' });
    expect(res.status).toBe(403);
    expect(await getSetting(web.database.db, 'NOTIFY_WEBHOOK_URL')).toBeNull();
  });

  it('refuses bad fields by name and saves nothing', async () => {
    const res = await client.post(
      '/settings/notifications',
      form({
        webhook_url: SECRET_URL,
        smtp_port: 'abc',
        smtp_host: 'smtp.example.com',
        smtp_from: 'a@example.com',
        smtp_to: 'b@example.com',
      }),
    );
    expect(res.status).toBe(422);
    expect(res.text).toContain('The SMTP port must be a whole number from 1 to 65535, or empty for the usual one');
    expect(res.text).not.toContain('tok_web_5e6f7a8b9c');
    expect(await getSetting(web.database.db, 'NOTIFY_WEBHOOK_URL')).toBeNull();
    expect(await getSetting(web.database.db, 'NOTIFY_SMTP_HOST')).toBeNull();
  });

  it('answers htmx with the section, problems shown, at 200 so it is swapped', async () => {
    const res = await client.request('POST', '/settings/notifications', {
      form: form({ ntfy_url: 'https://ntfy.sh/' }),
      headers: { 'HX-Request': 'true' },
    });
    expect(res.status).toBe(200);
    expect(res.text.trimStart().startsWith('<div id="notifications-panel">')).toBe(true);
    expect(res.text).toContain('The ntfy URL must end in the topic');
  });

  it('saves the webhook URL and never renders or logs it', async () => {
    const res = await client.post('/settings/notifications', form({ webhook_url: SECRET_URL, on_takeovers: 'true' }));
    expect(res.status).toBe(200);
    expect(res.text).toContain('Notification settings saved');
    expect(await getSetting(web.database.db, 'NOTIFY_WEBHOOK_URL')).toBe(SECRET_URL);
    expect(await getSetting(web.database.db, 'NOTIFY_ON_TAKEOVERS')).toBe('true');
    const page = await client.get('/settings/notifications');
    for (const text of [res.text, page.text, web.logLines().join('\n')]) {
      expect(text).not.toContain('tok_web_5e6f7a8b9c');
      expect(text).not.toContain('k_0123456789');
    }
    expect(page.text).toContain('https://hooks.example.com');
    const view = await notificationsView({ db: web.database.db });
    expect(view.webhook).toEqual({ saved: true, origin: 'https://hooks.example.com' });
    expect(JSON.stringify(view)).not.toContain('tok_web');
  });

  it.each([
    { channel: 'email', status: 409, text: 'nothing is saved for this channel yet: save it first' },
    { channel: 'pager', status: 400, text: 'channel: choose webhook, ntfy or email' },
  ])('refuses a test through $channel', async ({ channel, status, text }) => {
    const res = await client.post('/settings/notifications/test', { _csrf: csrf, channel });
    expect(res.status).toBe(status);
    expect(res.text).toContain(text);
  });
});
