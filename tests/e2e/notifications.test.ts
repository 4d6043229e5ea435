// Settings → Notifications in Chromium: a bad URL is refused with the field named and nothing saved; the
// JSON webhook saved to a local capture server is never shown again; "Send test" reaches the capture server
// and the page says it was delivered; a failing destination is reported without its answer being shown.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserHarness } from '../support/browser.js';
import { FOREIGN_MARKER, foreignPage, startCaptureServer, type CaptureServer } from '../support/capture-server.js';
import { startSmtpServer, type SmtpServer } from '../support/smtp-server.js';
import { PASSWORD, startWeb, type WebHarness } from '../integration/web/harness.js';

const TOKEN = 'tok_e2e_9c1d2f3a4b5e';
const SMTP_PASSWORD = 'smtp-e2e-pass-31415';

describe('notifications in a browser', () => {
  let web: WebHarness;
  let capture: CaptureServer;
  let smtp: SmtpServer;
  let browser: BrowserHarness;
  let page: Page;

  beforeAll(async () => {
    [web, capture, smtp, browser] = await Promise.all([
      startWeb(),
      startCaptureServer(),
      startSmtpServer({ user: 'mailer', pass: SMTP_PASSWORD }),
      launchBrowser(),
    ]);
    page = await browser.newPage();
    await page.goto(`${web.url}/login`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await capture?.close();
    await smtp?.close();
    await web?.close();
  });

  const hookUrl = () => `${capture.url}/hook/${TOKEN}?source=sagewire`;

  it('refuses a URL that is not http(s), naming the field, and saves nothing', async () => {
    await page.goto(`${web.url}/settings/notifications`);
    await page.getByLabel(/Webhook URL/).fill('ftp://files.example.com/drop');
    await page.getByRole('button', { name: 'Save notifications' }).click();
    await expect
      .poll(() => page.locator('#webhook_url-error').textContent())
      .toBe('The webhook URL must be a full http:// or https:// address');
    expect(await page.locator('#webhook_url').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('[data-secret-state]').first().getAttribute('data-secret-state')).toBe('unset');
    expect(await page.locator('[data-channel="webhook"] button').count()).toBe(0);
  });

  it('saves the webhook without ever showing it again, and a test reaches the capture server', async () => {
    capture.answer((_req, res) => res.writeHead(204).end());
    await page.goto(`${web.url}/settings/notifications`);
    await page.getByLabel(/Webhook URL/).fill(hookUrl());
    await page.getByRole('button', { name: 'Save notifications' }).click();
    await expect.poll(() => page.locator('.flash-success').first().textContent()).toContain('Notification settings saved');
    expect(await page.locator('#notify-webhook [data-secret-state]').getAttribute('data-secret-state')).toBe('saved');
    expect(await page.content()).not.toContain(TOKEN);
    await page.goto(`${web.url}/settings/notifications`);
    const html = await page.content();
    expect(html).not.toContain(TOKEN);
    expect(html).toContain(capture.url); // the origin alone says where it goes
    expect(await page.locator('#webhook_url').inputValue()).toBe('');

    await page.getByRole('button', { name: 'Send test through JSON webhook' }).click();
    await page.locator('[data-test-result]').waitFor();
    expect(await page.locator('[data-test-result]').getAttribute('data-test-result')).toBe('delivered');
    expect(await page.locator('[data-test-result]').textContent()).toBe('Test notification delivered through JSON webhook.');
    expect(capture.seen).toHaveLength(1);
    expect(capture.seen[0]).toMatchObject({ method: 'POST', url: `/hook/${TOKEN}?source=sagewire` });
    expect(capture.seen[0].headers['content-type']).toBe('application/json');
    expect(await page.locator('[data-channel="webhook"] [data-last-delivery]').getAttribute('data-last-delivery')).toBe('delivered');
    expect(await page.content()).not.toContain(TOKEN);
    await browser.screenshot(page, 'notifications-test-delivered');
  });

  it('reports a failing destination without showing its answer or the secret', async () => {
    capture.answer(foreignPage(500));
    await page.goto(`${web.url}/settings/notifications`);
    await page.getByRole('button', { name: 'Send test through JSON webhook' }).click();
    await page.locator('[data-test-result="failed"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-test-result]').textContent()).toBe(
      'The test through JSON webhook was not delivered: the destination answered HTTP 500.',
    );
    const html = await page.content();
    expect(html).not.toContain(TOKEN);
    expect(html).not.toContain(FOREIGN_MARKER);
    // One retry after the first failure.
    expect(capture.seen).toHaveLength(3);
    expect(web.logLines().join('\n')).not.toContain(TOKEN);
  });

  it('sends a test email through the SMTP server saved on the page', async () => {
    await page.goto(`${web.url}/settings/notifications`);
    await page.getByLabel('SMTP host').fill(smtp.host);
    await page.getByLabel('Port').fill(String(smtp.port));
    await page.getByLabel('Protection').selectOption('none');
    await page.getByLabel('User name').fill('mailer');
    await page.getByLabel(/^Password/).fill(SMTP_PASSWORD);
    await page.getByLabel('From').fill('sagewire@example.com');
    await page.getByLabel('To', { exact: true }).fill('me@example.com');
    await page.getByRole('button', { name: 'Save notifications' }).click();
    await expect.poll(() => page.locator('.flash-success').first().textContent()).toContain('Notification settings saved');
    expect(await page.locator('#notify-email [data-secret-state]').getAttribute('data-secret-state')).toBe('saved');
    expect(await page.content()).not.toContain(SMTP_PASSWORD);

    await page.getByRole('button', { name: 'Send test through Email' }).click();
    await page.locator('[data-test-result]').waitFor();
    expect(await page.locator('[data-test-result]').textContent()).toBe('Test notification delivered through Email.');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]).toMatchObject({ from: 'sagewire@example.com', to: ['me@example.com'], user: 'mailer' });
    expect(smtp.mails[0].data).toContain('Subject: [Sagewire] Sagewire test notification');
    expect(await page.content()).not.toContain(SMTP_PASSWORD);
    expect(web.logLines().join('\n')).not.toContain(SMTP_PASSWORD);
  });
});
