// A second music section in the browser: Setup lists both music libraries as boxes to tick; once both are
// saved (no restart), the header names the section each page is about and switches between them, and the
// Dashboard shows the chosen section's own library and state.
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
import { waitUntil } from '../support/wait.js';

const PASSWORD = 'e2e-sections-password';

describe('a second music section, in a browser', () => {
  let sim: RunningSimulator;
  let app: Sagewire;
  let url: string;
  let browser: BrowserHarness;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sagewire-e2e-sections-'));

  beforeAll(async () => {
    [sim, browser] = await Promise.all([
      startSimulator({ port: 0, tracks: 180, seed: 5, extraMusicSections: [{ title: 'Family Music', tracks: 90 }], log: () => {} }),
      launchBrowser(),
    ]);
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' });
    app = await buildApp(config, createLogger('silent'));
    url = await app.listen();
    page = await browser.newPage();
    await page.goto(`${url}/login`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/(setup|welcome)$/);
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('Setup lists both music libraries to tick, and saving both starts the second at once', async () => {
    await page.goto(`${url}/setup`);
    await page.getByLabel('Plex server URL').fill(sim.url);
    await page.getByLabel(/Plex token/).fill(sim.token);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.locator('#plex-check').textContent(), { timeout: 10_000 }).toContain('Connected to Plex');
    const boxes = page.locator('input[type="checkbox"][name="plex_library"]');
    await expect.poll(() => boxes.count()).toBe(2);
    expect(await page.getByLabel(/^Music/).isChecked()).toBe(true);
    await page.getByLabel(/^Family Music/).check();
    await browser.screenshot(page, 'sections-setup');
    await page.getByRole('button', { name: 'Save setup' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
    expect(await page.locator('.flash-success').textContent()).toContain('Sagewire now looks after 2 music sections (Music, Family Music)');
    const family = await waitUntil(
      () => (app.otherSections[0]?.live?.status().state === 'running' ? app.otherSections[0] : null),
      'the second section running',
    );
    expect(family.name).toBe('Family Music');
    await waitUntil(() => app.live?.status().state === 'running', 'the main section running');
  });

  it('the header names the section a page is about and switches to the other, whose Dashboard shows its own library', async () => {
    await page.goto(`${url}/`);
    const switcher = page.locator('#section-switch');
    expect(await switcher.locator('strong').textContent()).toBe('Music');
    expect(await page.locator('.page-head').textContent()).toContain('Music library Music');
    expect(await page.locator('[data-stat="tracks"]').textContent()).toBe(String(sim.state.section(1)!.tracks.length));

    await switcher.getByRole('link', { name: 'Family Music' }).click();
    await page.waitForURL(`${url}/`);
    expect(await switcher.locator('strong').textContent()).toBe('Family Music');
    expect(await page.locator('.page-head').textContent()).toContain('Music library Family Music');
    expect(await page.locator('[data-stat="tracks"]').textContent()).toBe(String(sim.state.section(2)!.tracks.length));
    await browser.screenshot(page, 'sections-dashboard-family');

    // Every page of the section says so; the shared ones (Settings) keep the same header.
    await page.goto(`${url}/ratings`);
    expect(await page.locator('#section-switch strong').textContent()).toBe('Family Music');
    await page.goto(`${url}/settings`);
    expect(await page.locator('#section-switch strong').textContent()).toBe('Family Music');

    await page.locator('#section-switch').getByRole('link', { name: 'Music', exact: true }).click();
    await page.waitForURL(`${url}/settings`);
    expect(await page.locator('#section-switch strong').textContent()).toBe('Music');
  });
});
