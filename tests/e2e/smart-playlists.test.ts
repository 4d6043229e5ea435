// The Smart playlists tab in Chromium against the composition root and the simulator: each definition
// with its filter and live count, Create then Update, the link into Plex Web, and the playlist in Plex.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlexClient } from '../../src/plex/index.js';
import { launchBrowser, PHONE, type BrowserHarness } from '../support/browser.js';
import { PASSWORD, startPlaylistApp, type PlaylistApp } from '../integration/web/playlist-support.js';

describe('smart playlists in a browser', () => {
  let h: PlaylistApp;
  let browser: BrowserHarness;
  let page: Page;
  let plex: PlexClient;

  beforeAll(async () => {
    [h, browser] = await Promise.all([startPlaylistApp({ tracks: 600 }), launchBrowser()]);
    plex = new PlexClient({ url: h.sim.url, token: h.sim.token });
    page = await browser.newPage();
    await page.goto(`${h.url}/login`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/$|\/setup$/);
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const card = (id: string) => page.locator(`[data-smart="${id}"]`);

  it('shows each playlist, creates one in Plex, then updates it', async () => {
    await page.goto(`${h.url}/playlists`);
    await page.getByRole('link', { name: 'Smart playlists' }).click();
    await page.waitForURL(`${h.url}/playlists/smart`);
    expect(await page.locator('[data-smart]').count()).toBe(4);
    const gems = card('hidden-gems');
    expect(await gems.locator('[data-filter]').textContent()).toBe('userRating>>=7.9&viewCount=0&sort=userRating:desc&limit=200');
    expect(await gems.textContent()).toContain('rated 4★ or more and never played');
    const matching = Number(await gems.locator('[data-matching]').getAttribute('data-matching'));
    expect(matching).toBeGreaterThan(0);
    expect(await gems.locator('[data-state]').getAttribute('data-state')).toBe('not-created');
    await browser.screenshot(page, 'smart-playlists-desktop');

    await gems.getByRole('button', { name: 'Create “Hidden gems”' }).click();
    await page.waitForURL(`${h.url}/playlists/smart`);
    await expect.poll(() => page.locator('.flash-success').textContent(), { timeout: 20_000 }).toContain('Created “Hidden gems” in Plex');
    expect(await gems.locator('[data-state]').getAttribute('data-state')).toBe('created');
    const inPlex = (await plex.playlists()).find((p) => p.title === 'Hidden gems')!;
    expect(Boolean(inPlex.smart)).toBe(true);
    expect((await plex.playlistItems(inPlex.ratingKey)).length).toBe(Math.min(matching, 200));
    const link = await gems.getByRole('link', { name: /Open “Hidden gems” in Plex/ }).getAttribute('href');
    expect(link).toBe(
      `${h.sim.url}/web/index.html#!/server/${h.sim.state.machineIdentifier}/playlist?key=%2Fplaylists%2F${inPlex.ratingKey}`,
    );
    await browser.screenshot(page, 'smart-playlists-created-desktop');

    await gems.getByRole('button', { name: 'Update “Hidden gems”' }).click();
    await expect.poll(() => page.locator('.flash-success').textContent(), { timeout: 20_000 }).toContain('Updated “Hidden gems” in Plex');
    expect((await plex.playlists()).filter((p) => p.title === 'Hidden gems')).toHaveLength(1);
    expect(await page.content()).not.toContain(h.sim.token);
  });

  it('fits a phone', async () => {
    const phone = await browser.newPage(PHONE);
    await phone.goto(`${h.url}/login`);
    await phone.getByLabel('Password').fill(PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.waitForURL(/\/$|\/setup$/);
    await phone.goto(`${h.url}/playlists/smart`);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await browser.screenshot(phone, 'smart-playlists-phone', { fullPage: true });
  });
});
