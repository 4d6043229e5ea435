// Scheduled playlists in Chromium against the real composition root and the Plex simulator (offline
// provider): "Make this a schedule" from a generation's page with a preset, the Schedules tab (cron in words,
// next runs), run now until its result links to the history row and the Plex playlist exists, the history
// marking the run, pause and resume, delete after the confirmation, and the phone layout.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE, type BrowserHarness } from '../support/browser.js';
import { API_TOKEN, PASSWORD, startPlaylistApp, type PlaylistApp } from '../integration/web/playlist-support.js';

describe('schedules in a browser', () => {
  let h: PlaylistApp;
  let browser: BrowserHarness;
  let page: Page;
  let generationId = 0;

  const signIn = async (p: Page) => {
    await p.goto(`${h.url}/login`);
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(/\/$|\/setup$/);
  };

  beforeAll(async () => {
    [h, browser] = await Promise.all([startPlaylistApp({ tracks: 400 }), launchBrowser()]);
    const generated = await fetch(`${h.url}/api/playlists/generate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'late night jazz', count: 10, provider: 'offline', filters: {} }),
    });
    generationId = (await generated.json()).id;
    page = await browser.newPage();
    await signIn(page);
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const card = (p: Page) => p.locator('[data-schedule]').first();

  it('makes a schedule from a generation, runs it now into Plex, and marks the run in history', async () => {
    await page.goto(`${h.url}/playlists/history/${generationId}`);
    await page.getByLabel('Name (also the Plex playlist’s title)').fill('Night shift');
    expect(await page.getByLabel('Every Monday at 07:00').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Make this a schedule' }).click();
    await page.waitForURL(/\/playlists\/schedules$/);
    await expect.poll(() => page.locator('.flash').first().textContent()).toContain('Night shift');
    expect(await card(page).locator('h2').textContent()).toBe('Night shift');
    expect(await card(page).textContent()).toContain('every Monday at 07:00');
    expect(await card(page).locator('[data-next-runs] time').count()).toBe(3);
    expect(await page.locator('.playlist-tabs [aria-current="page"]').textContent()).toBe('Schedules');
    await browser.screenshot(page, 'schedules-created-desktop');

    await page.getByRole('button', { name: 'Run now Night shift' }).click();
    await page.waitForURL(/\/playlists\/schedules$/);
    // The list refreshes itself while the run goes; the result links to its history row.
    await page.locator('[data-last-run] .badge-done').waitFor({ timeout: 20_000 });
    const target = await card(page).locator('[data-target]').getAttribute('data-target');
    expect(h.sim.state.library.playlists.find((p) => p.ratingKey === target)?.items).toHaveLength(10);
    await browser.screenshot(page, 'schedules-ran-desktop');

    await page.getByRole('link', { name: 'see the run of Night shift' }).click();
    await page.waitForURL(/\/playlists\/history\/\d+$/);
    await page.goto(`${h.url}/playlists/history`);
    const marked = page.locator('[data-scheduled]');
    expect(await marked.count()).toBe(1);
    expect(await marked.textContent()).toContain('run now');
  });

  it('pauses, resumes and deletes after confirming', async () => {
    await page.goto(`${h.url}/playlists/schedules`);
    await page.getByRole('button', { name: 'Pause Night shift' }).click();
    await page.waitForURL(/\/playlists\/schedules$/);
    expect(await card(page).locator('[data-state]').getAttribute('data-state')).toBe('paused');
    expect(await card(page).locator('[data-next-runs]').count()).toBe(0);
    await page.getByRole('button', { name: 'Resume Night shift' }).click();
    await page.waitForURL(/\/playlists\/schedules$/);
    expect(await card(page).locator('[data-state]').getAttribute('data-state')).toBe('active');

    await card(page).locator('summary').click();
    await page.getByRole('button', { name: 'Yes, delete Night shift' }).click();
    await page.waitForURL(/\/playlists\/schedules$/);
    expect(await page.locator('[data-schedule]').count()).toBe(0);
    expect(await page.locator('.flash').first().textContent()).toContain('deleted');
  });

  it('lays out on a phone', async () => {
    await fetch(`${h.url}/api/playlists/schedules`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'morning coffee', count: 10, provider: 'offline', cron: '0 6 * * *', name: 'Morning' }),
    });
    const phone = await browser.newPage(PHONE);
    await signIn(phone);
    await phone.goto(`${h.url}/playlists/schedules`);
    expect(await card(phone).textContent()).toContain('every day at 06:00');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await browser.screenshot(phone, 'schedules-phone');
  });
});
