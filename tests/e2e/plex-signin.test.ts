// "Sign in with Plex" in Chromium: a fresh Sagewire with no Plex configured and PLEX_TV_URL at the
// simulator's plex.tv stand-in. The person starts the sign-in, approves it in the tab Plex's page opens in,
// the Setup page notices by itself and lists the server's connections, the local one is chosen, and Setup
// then works with it (the library list from Plex). No token ever appears in the page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Sagewire } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { launchBrowser, type BrowserHarness } from '../support/browser.js';

const PASSWORD = 'e2e-admin-password';

describe('Sign in with Plex in a browser', () => {
  let sim: RunningSimulator;
  let app: Sagewire;
  let url: string;
  let browser: BrowserHarness;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sagewire-e2e-signin-'));

  beforeAll(async () => {
    [sim, browser] = await Promise.all([
      startSimulator({ port: 0, tracks: 200, seed: 11, log: { warn() {}, error() {} } as never }),
      launchBrowser(),
    ]);
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'silent',
      PLEX_TV_URL: sim.url,
    });
    app = await buildApp(config, createLogger('silent'));
    url = await app.listen();
    page = await browser.newPage();
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in at the plex.tv stand-in, lists the connections and saves the local one', async () => {
    await page.goto(`${url}/login`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    await page.goto(`${url}/setup`);

    await page.getByRole('button', { name: 'Sign in with Plex' }).click();
    const open = page.getByRole('link', { name: 'Open Plex sign-in' });
    await open.waitFor();
    expect(await open.getAttribute('href')).toMatch(new RegExp(`^${sim.url}/auth#\\?clientID=[0-9a-f-]{36}&code=[0-9a-z]{25}&`));
    await browser.screenshot(page, 'setup-plex-signin-waiting');

    // Plex's page opens in a new tab; the person approves there.
    const [plexTab] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
    await plexTab.waitForLoadState();
    expect(await plexTab.locator('#code').textContent()).toMatch(/^[0-9a-z]{25}$/);
    await plexTab.getByRole('button', { name: 'Approve' }).click();
    await plexTab.getByRole('heading', { name: 'Signed in' }).waitFor();
    await plexTab.close();

    // The Setup page notices the approval by itself and lists the server's connections.
    const local = page.getByLabel(`local · ${sim.url}`);
    await local.waitFor({ timeout: 15_000 });
    expect(await page.locator('input[name="connection"]').count()).toBe(3);
    expect(await page.getByText(/^relay · /).count()).toBe(1);
    expect(await page.content()).not.toContain(sim.token);
    await browser.screenshot(page, 'setup-plex-signin-servers');

    await local.check();
    await page.getByRole('button', { name: 'Use this connection' }).click();
    await page.waitForURL(`${url}/setup`);
    expect(await page.locator('.flash-success').textContent()).toContain(`Signed in with Plex: connected to`);
    expect(await page.locator('.flash-success').textContent()).toContain(sim.url);
    expect(await page.locator('#plex_url').inputValue()).toBe(sim.url);
    expect(await page.locator('label[for="plex_token"] .badge').textContent()).toBe('set');
    // A first setup starts in dry-run mode.
    expect(await page.getByLabel(/^Dry-run mode/).isChecked()).toBe(true);

    // Setup now reaches Plex with the saved connection: the library field lists the server's music library.
    const library = page.getByLabel('Music library');
    await expect.poll(() => library.evaluate((el) => el.tagName), { timeout: 10_000 }).toBe('SELECT');
    expect(await library.locator('option').allTextContents()).toContain(`Music (id ${sim.musicSectionId})`);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.locator('#plex-check').textContent(), { timeout: 10_000 }).toContain('Connected to Plex');
    await browser.screenshot(page, 'setup-plex-signin-done');

    const html = await page.content();
    expect(html).not.toContain(sim.token);
    expect(html).not.toMatch(/plextv-[0-9a-f]{8,}/);
  });
});
