// The admin UI in Chromium against the real composition root and the Plex simulator: sign-in,
// setup (a bad token, then the good one), settings validation, CSRF refusal, phone layout, sign-out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Sagewire } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { syncLibrary } from '../../src/library/sync.js';
import { createLogger } from '../../src/log.js';
import { PlexClient } from '../../src/plex/index.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { launchBrowser, PHONE, type BrowserHarness } from '../support/browser.js';

const PASSWORD = 'e2e-admin-password';

describe('admin UI in a browser', () => {
  let sim: RunningSimulator;
  let app: Sagewire;
  let url: string;
  let browser: BrowserHarness;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sagewire-e2e-'));

  beforeAll(async () => {
    [sim, browser] = await Promise.all([
      startSimulator({ port: 0, tracks: 300, seed: 7, log: { warn() {}, error() {} } as never }),
      launchBrowser(),
    ]);
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' });
    app = await buildApp(config, createLogger('silent'));
    url = await app.listen();
    page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a wrong password, then signs in and sends a first run to the wizard, whose first step is Setup', async () => {
    await page.goto(url);
    await expect.poll(() => page.url()).toContain('/login');
    await browser.screenshot(page, 'login-desktop');
    browser.expectConsoleError(/status of 401/);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toBe('Wrong password.');
    await browser.screenshot(page, 'login-wrong-password');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${url}/welcome`);
    await page.getByRole('link', { name: 'Open Setup' }).click();
    await page.waitForURL(`${url}/setup`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Setup');
  });

  it('tests the Plex connection: a bad token says so, the good one lists the music library; saving leads to the dashboard', async () => {
    await page.getByLabel('Plex server URL').fill(sim.url);
    await page.getByLabel(/Plex token/).fill('wrong-token');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const check = page.locator('#plex-check');
    await expect.poll(() => check.textContent(), { timeout: 10_000 }).toContain(`Plex rejected the Plex token above at ${sim.url}`);
    await browser.screenshot(page, 'setup-bad-token');

    await page.getByLabel(/Plex token/).fill(sim.token);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => check.textContent(), { timeout: 10_000 }).toContain('Connected to Plex');
    const library = page.getByLabel('Music library');
    expect(await library.evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await library.locator('option').allTextContents()).toContain(`Music (id ${sim.musicSectionId})`);
    expect(await page.locator('#webhook_url').inputValue()).toMatch(new RegExp(`^${url}/webhooks/plex/[\\w-]{20,}$`));
    expect(await page.getByRole('button', { name: 'Copy' }).isVisible()).toBe(true);
    await browser.screenshot(page, 'setup-connected');

    await page.getByRole('button', { name: 'Save setup' }).click();
    await page.waitForURL(`${url}/`);
    expect(await page.locator('.flash-success').textContent()).toContain('Setup saved');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    // The token was saved but is never rendered back.
    await page.goto(`${url}/setup`);
    expect(await page.content()).not.toContain(sim.token);
    expect(await page.locator('label[for="plex_token"] .badge').textContent()).toBe('set');
    await browser.screenshot(page, 'setup-configured');
  });

  it('shows the dashboard with the library counts of the synced cache and the inbox', async () => {
    const plex = new PlexClient({ url: sim.url, token: sim.token });
    const synced = await syncLibrary({ db: app.database, plex, sectionTitle: 'Music' });
    // A rating through Plex's API comes back from the simulator as a media.rate webhook.
    sim.webhooks.add(`${url}/webhooks/plex/${app.webhookSecret}`);
    const track = await app.database.db.selectFrom('tracks').select('rating_key').limit(1).executeTakeFirstOrThrow();
    await plex.rate(track.rating_key, 8);
    await sim.webhooks.idle();
    await page.goto(url);
    expect(await page.locator('table.events tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('table.events').textContent()).toContain('media.rate');
    expect(await page.locator('[data-stat="tracks"]').textContent()).toBe(synced.tracks.toLocaleString('en-US'));
    expect(await page.locator('[data-stat="albums"]').textContent()).toBe(synced.albums.toLocaleString('en-US'));
    expect(await page.locator('[data-stat="artists"]').textContent()).toBe(synced.artists.toLocaleString('en-US'));
    expect(await page.locator('#inbox-title').textContent()).toBe('Webhook inbox');
    await browser.screenshot(page, 'dashboard-desktop');
  });

  it('rejects invalid model parameters with a message per field and saves nothing, then saves valid ones', async () => {
    await page.goto(`${url}/settings`);
    await browser.screenshot(page, 'settings-desktop');
    browser.expectConsoleError(/status of 422/);
    await page.getByLabel('Confidence (C)').fill('0');
    await page.getByLabel('Grid').fill('0.3');
    await page.getByRole('button', { name: 'Save model parameters' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#rating_c-error').textContent()).toBe('must be "auto" or a number greater than 0');
    expect(await page.locator('#rating_grid-error').textContent()).toContain('must divide one point evenly');
    expect(await page.getByLabel('Confidence (C)').getAttribute('aria-invalid')).toBe('true');
    await browser.screenshot(page, 'settings-invalid');

    await page.getByLabel('Confidence (C)').fill('3.5');
    await page.getByLabel('Grid').fill('0.1');
    await page.getByRole('button', { name: 'Save model parameters' }).click();
    await page.waitForURL(/\/settings#model$/);
    expect(await page.locator('.flash-success').textContent()).toContain('Model parameters saved');
    expect(await page.getByLabel('Confidence (C)').inputValue()).toBe('3.5');
  });

  it('refuses a request whose CSRF token is forged (htmx and plain form) with 403', async () => {
    await page.goto(`${url}/settings`);
    browser.expectConsoleError(/status of 403|Response Status Error Code 403/);
    await page.evaluate(() => {
      document.querySelector('meta[name="csrf-token"]')!.setAttribute('content', 'forged');
      for (const input of Array.from(document.querySelectorAll<HTMLInputElement>('input[name="_csrf"]'))) input.value = 'forged';
    });
    await page.getByRole('button', { name: /(Create|Rotate) API token/ }).click();
    await expect.poll(() => page.locator('#request-error').textContent()).toContain('CSRF token missing or invalid');
    expect(await page.locator('#request-error').isVisible()).toBe(true);
    expect(await page.locator('#api_token_new').count()).toBe(0);
    await browser.screenshot(page, 'csrf-refused-htmx', { fullPage: false });

    const response = page.waitForResponse((res) => res.url().endsWith('/settings/behaviour'));
    await page.getByRole('button', { name: 'Save behaviour' }).click();
    expect((await response).status()).toBe(403);
    await page.waitForLoadState();
    expect(await page.locator('h1').textContent()).toContain('403');
    await browser.screenshot(page, 'csrf-refused-form');
  });

  it('creates an API token, shows it once, and rotates it', async () => {
    await page.goto(`${url}/settings#api-token`);
    expect(await page.locator('#api-token-panel').textContent()).toContain('No API token yet');
    await page.getByRole('button', { name: 'Create API token' }).click();
    const token = await page.locator('#api_token_new').inputValue();
    expect(token).toMatch(/^sw_[\w-]{40,}$/);
    const status = (t: string) => fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${t}` } }).then((r) => r.status);
    expect(await status(token)).toBe(200);
    await page.reload();
    expect(await page.content()).not.toContain(token);

    await page.getByRole('button', { name: 'Rotate API token' }).click();
    const rotated = await page.locator('#api_token_new').inputValue();
    expect(rotated).not.toBe(token);
    expect(await status(rotated)).toBe(200);
    expect(await status(token)).toBe(401);
  });

  it('is usable on a phone: the menu collapses behind a button', async () => {
    const phone = await browser.newPage(PHONE);
    await phone.goto(`${url}/login`);
    await phone.getByLabel('Password').fill(PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.waitForURL(`${url}/`);
    const menu = phone.getByRole('button', { name: 'Menu' });
    expect(await menu.isVisible()).toBe(true);
    expect(await phone.getByRole('link', { name: 'Settings' }).isVisible()).toBe(false);
    await browser.screenshot(phone, 'dashboard-phone');
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    expect(await phone.getByRole('link', { name: 'Settings' }).isVisible()).toBe(true);
    await browser.screenshot(phone, 'dashboard-phone-menu', { fullPage: false });
    // Keyboard: the menu's links are reachable with Tab and open with Enter.
    await phone.getByRole('link', { name: 'Settings' }).focus();
    await phone.keyboard.press('Enter');
    await phone.waitForURL(`${url}/settings`);
    await browser.screenshot(phone, 'settings-phone');
    await phone.goto(`${url}/setup`);
    await browser.screenshot(phone, 'setup-phone');
  });

  it('signs out: the session ends and pages ask for the password again', async () => {
    await page.goto(url);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login\?signed_out/);
    expect(await page.locator('.flash-info').textContent()).toBe('You are signed out.');
    await page.goto(`${url}/settings`);
    await expect.poll(() => page.url()).toContain('/login?next=%2Fsettings');
  });
});
