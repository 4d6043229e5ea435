// The playlist page's "Listening" filters in Chromium, against the composition root and the simulator (whose
// generated library has a play history): the live count follows "never played" and "played at least".
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type BrowserHarness } from '../support/browser.js';
import { PASSWORD, startPlaylistApp, type PlaylistApp } from '../integration/web/playlist-support.js';

describe('listening filters in a browser', () => {
  let h: PlaylistApp;
  let browser: BrowserHarness;
  let page: Page;

  beforeAll(async () => {
    [h, browser] = await Promise.all([startPlaylistApp({ tracks: 600 }), launchBrowser()]);
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

  // The count follows a debounced htmx request: on a busy machine it can take more than poll's default second.
  const POLL = { timeout: 20_000 };
  const matching = async () => Number(await page.locator('#preview [data-matching]').getAttribute('data-matching'));

  it('updates "N tracks match" as the listening filters change', async () => {
    const tracks = await h.app.database.db.selectFrom('tracks').select(['view_count']).execute();
    const neverPlayed = tracks.filter((t) => !t.view_count).length;
    expect(neverPlayed).toBeGreaterThan(0);
    expect(neverPlayed).toBeLessThan(tracks.length);

    await page.goto(`${h.url}/playlists`);
    await page.getByLabel('What should it sound like?').fill('anything at all');
    await page.getByRole('button', { name: 'Suggest filters' }).click();
    await page.locator('#preview [data-matching]').waitFor();
    for (const label of ['Genres', 'Styles', 'Moods']) await page.getByLabel(label, { exact: true }).fill('');
    await page.getByLabel('Exclude live recordings').uncheck();
    await expect.poll(matching, POLL).toBe(tracks.length);

    await page.getByLabel('Never played').check();
    await expect.poll(matching, POLL).toBe(neverPlayed);
    await browser.screenshot(page, 'playlists-listening-never-played');

    // Never played and played at least once: nothing can match.
    await page.getByLabel('Played at least (times)').fill('1');
    await expect.poll(matching, POLL).toBe(0);

    await page.getByLabel('Never played').uncheck();
    await expect.poll(matching, POLL).toBe(tracks.length - neverPlayed);

    // A bad value is named where it was typed, and the count waits for it to be fixed.
    await page.getByLabel('Skipped at most (% of plays)').fill('150');
    await expect.poll(() => page.locator('#preview').textContent(), POLL).toContain('Skipped at most is a percentage, from 0 to 100.');
  });
});
