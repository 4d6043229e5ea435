// History in Chromium against the real composition root and the Plex simulator (offline provider): album
// recommendations listed beside playlist generations, the playlists / albums / all switch, a recommendation's
// own page, a schedule's run linking to its schedule, a schedule from a prompt showing its pinned filters
// with "Re-read the prompt", and the phone layout.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE, type BrowserHarness } from '../support/browser.js';
import { API_TOKEN, PASSWORD, startPlaylistApp, type PlaylistApp } from '../integration/web/playlist-support.js';

describe('History in a browser', () => {
  let h: PlaylistApp;
  let browser: BrowserHarness;
  let page: Page;
  let recommendation: { id: number; primary: { title: string } };
  let scheduleId = 0;

  const api = async (path: string, body?: unknown) =>
    (
      await fetch(`${h.url}/api${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      })
    ).json();

  const signIn = async (p: Page) => {
    await p.goto(`${h.url}/login`);
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(/\/$|\/setup$/);
  };

  beforeAll(async () => {
    [h, browser] = await Promise.all([startPlaylistApp({ tracks: 400 }), launchBrowser()]);
    await api('/playlists/generate', { prompt: 'late night jazz', count: 10, provider: 'offline', filters: { notPlayedMonths: 12 } });
    scheduleId = (
      await api('/playlists/schedules', { prompt: 'energetic rock', count: 10, provider: 'offline', cron: '0 7 * * 1', name: 'Gym' })
    ).id;
    await api(`/playlists/schedules/${scheduleId}/run`);
    recommendation = await api('/recommendations/albums', {
      prompt: 'something warm for a rainy Sunday',
      mode: 'library',
      familiarity: 'hidden-gems',
      provider: 'offline',
      skipQuestions: true,
    });
    page = await browser.newPage();
    await signIn(page);
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('lists album recommendations beside playlists, switches between them and opens one', async () => {
    await page.goto(`${h.url}/playlists/history`);
    expect(await page.locator('h1').textContent()).toBe('History');
    const album = page.locator(`[data-recommendation="${recommendation.id}"]`);
    expect(await album.textContent()).toContain('Hidden gems');
    expect(await page.locator('[data-generation]').count()).toBe(2);
    expect(await page.locator('[data-months] tbody tr').count()).toBe(1);
    expect(await page.locator('[data-generation] [data-filters]').allTextContents()).toContain('Filters: not played for 12 months');
    await browser.screenshot(page, 'history-all-desktop');

    await page.getByRole('link', { name: 'Albums', exact: true }).last().click();
    await page.waitForURL(/show=albums$/);
    expect(await page.locator('[data-generation]').count()).toBe(0);
    expect(await page.locator('[data-recommendation]').count()).toBe(1);
    await page.getByRole('link', { name: `Open album recommendation ${recommendation.id}` }).click();
    await page.waitForURL(new RegExp(`/playlists/history/albums/${recommendation.id}$`));
    expect(await page.locator('h1').textContent()).toBe(recommendation.primary.title);
    expect(await page.locator('.album-card').count()).toBe(3);
    await browser.screenshot(page, 'history-album-desktop');
  });

  it('links a schedule’s run to its schedule, which shows the filters it runs with', async () => {
    await page.goto(`${h.url}/playlists/history?show=playlists`);
    await page.getByRole('link', { name: 'Gym' }).click();
    await page.waitForURL(new RegExp(`/playlists/schedules#schedule-${scheduleId}$`));
    const card = page.locator(`#schedule-${scheduleId}`);
    expect(await card.locator('[data-filters]').textContent()).toContain('read from the prompt once and kept');
    await browser.screenshot(page, 'history-schedule-pinned-desktop');
    await page.getByRole('button', { name: 'Re-read the prompt of Gym' }).click();
    await page.waitForURL(/\/playlists\/schedules$/);
    expect(await page.locator('.flash').first().textContent()).toContain('reads its prompt again');
    expect(await card.locator('[data-filters]').textContent()).toContain('the next run analyses the prompt');
    expect(await card.getByRole('button', { name: 'Re-read the prompt of Gym' }).count()).toBe(0);
  });

  it('lays out on a phone', async () => {
    const phone = await browser.newPage(PHONE);
    await signIn(phone);
    await phone.goto(`${h.url}/playlists/history`);
    expect(await phone.locator('[data-recommendation]').count()).toBe(1);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await browser.screenshot(phone, 'history-phone');
  });
});
