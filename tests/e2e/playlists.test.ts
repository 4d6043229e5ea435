// The playlist pages in Chromium against the real composition root, the Plex simulator and (for OpenAI)
// the real SDK pointed at the fake model server: the prompt flow offline (suggest, live count, estimate,
// progress, keyboard review edits, save as new), the seed flow (typo search, ticks, append skipping
// duplicates), OpenAI (tokens and cost of every call, a too-short reply topped up and marked "filled",
// replace), history (reopen, regenerate), settings, and the phone layout. Saves are checked in Plex.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlexClient } from '../../src/plex/index.js';
import { launchBrowser, PHONE, type BrowserHarness } from '../support/browser.js';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm/server.js';
import { PASSWORD, startPlaylistApp, type PlaylistApp } from '../integration/web/playlist-support.js';

describe('playlists in a browser', () => {
  let h: PlaylistApp;
  let fake: FakeLlm;
  let browser: BrowserHarness;
  let page: Page;
  let plex: PlexClient;
  let firstPlaylist = '';
  let firstKeys: string[] = [];

  beforeAll(async () => {
    fake = await startFakeLlm();
    [h, browser] = await Promise.all([
      startPlaylistApp({ tracks: 600, env: { OPENAI_API_KEY: 'sk-fake', OPENAI_BASE_URL: `${fake.url}/v1` } }),
      launchBrowser(),
    ]);
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
    await fake?.close();
  });

  const keysOnPage = (p: Page) =>
    p.locator('#review-tracks input[name="keys"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  const reviewOpened = (p: Page) => p.waitForURL(/\/playlists\/history\/\d+$/, { timeout: 20_000 });

  it('prompt flow offline: suggest, live count, estimate, progress, keyboard edits, save as new', async () => {
    await page.goto(`${h.url}/playlists`);
    await page.getByLabel('What should it sound like?').fill('melancholy rock for a rainy day');
    await page.getByRole('button', { name: 'Suggest filters' }).click();
    await page.locator('#preview [data-matching]').waitFor();
    expect(await page.getByLabel('Count inferred ratings').isChecked()).toBe(true);
    expect(await page.getByLabel('Exclude live recordings').isChecked()).toBe(true);
    await browser.screenshot(page, 'playlists-suggested-desktop');

    // The count follows the filters: clearing the suggested tags and ticking one decade changes it.
    for (const label of ['Genres', 'Styles', 'Moods']) await page.getByLabel(label, { exact: true }).fill('');
    await expect.poll(async () => Number(await page.locator('[data-matching]').getAttribute('data-matching'))).toBeGreaterThan(100);
    const all = Number(await page.locator('[data-matching]').getAttribute('data-matching'));
    await page.locator('.chip').first().click();
    await expect.poll(async () => Number(await page.locator('[data-matching]').getAttribute('data-matching'))).toBeLessThan(all);
    await page.locator('.chip').first().click();
    await page.getByLabel('Length (tracks)').fill('12');
    await page.getByLabel('Max tracks to send').fill('150');

    await page.getByRole('button', { name: 'Generate playlist' }).click();
    await reviewOpened(page);
    expect(await page.locator('#review-tracks li').count()).toBe(12);
    expect(await page.locator('img.art').count()).toBeGreaterThan(0);
    await expect
      .poll(() =>
        page
          .locator('img.art')
          .first()
          .evaluate((img) => (img as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);
    expect(await page.content()).not.toContain(h.sim.token);
    await browser.screenshot(page, 'playlists-review-desktop');

    // Keyboard: move the first track down with Enter; the focus stays on the button just pressed.
    const before = await keysOnPage(page);
    const down = page.locator(`button[value="down:${before[0]}"]`);
    await down.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => keysOnPage(page)).toEqual([before[1], before[0], ...before.slice(2)]);
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.value)).toBe(`down:${before[0]}`);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await keysOnPage(page))[2]).toBe(before[0]);
    // htmx focuses after the swap settles: wait for it before moving the focus elsewhere.
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.value)).toBe(`down:${before[0]}`);
    // Remove with the keyboard: focus moves to the next row's remove button.
    const remove = page.locator(`button[value="remove:${before[3]}"]`);
    await remove.focus();
    await page.keyboard.press('Space');
    await expect.poll(async () => (await keysOnPage(page)).length).toBe(11);
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLButtonElement | null)?.value)).toBe(`remove:${before[4]}`);

    await page.getByLabel('Playlist title').fill('Rainy rock');
    firstKeys = await keysOnPage(page);
    await page.getByRole('button', { name: 'Save to Plex' }).click();
    const saved = page.locator('#save-result [data-saved]');
    await saved.waitFor();
    firstPlaylist = (await saved.getAttribute('data-saved'))!;
    const link = await page.getByRole('link', { name: /Open it in Plex/ }).getAttribute('href');
    expect(link).toBe(`${h.sim.url}/web/index.html#!/server/${h.sim.state.machineIdentifier}/playlist?key=%2Fplaylists%2F${firstPlaylist}`);
    const inPlex = (await plex.playlists()).find((p) => p.ratingKey === firstPlaylist)!;
    expect(inPlex.title).toBe('Rainy rock');
    expect((await plex.playlistItems(firstPlaylist)).map((t) => t.ratingKey)).toEqual(firstKeys);
    await browser.screenshot(page, 'playlists-saved-desktop');
  });

  it('seed flow: typo-tolerant search, ticks, generate, append skipping duplicates', async () => {
    const seedKey = firstKeys[0];
    const track = await h.app.database.db
      .selectFrom('tracks')
      .select(['title', 'artist_title'])
      .where('rating_key', '=', seedKey)
      .executeTakeFirstOrThrow();
    await page.goto(`${h.url}/playlists/seed`);
    const word = track.title.split(' ').find((w) => w.length >= 5) ?? track.title;
    const typo = word.slice(0, 2) + word[3] + word[2] + word.slice(4);
    await page.getByRole('searchbox', { name: 'Title, artist or album' }).fill(`${typo} ${track.artist_title}`);
    const hit = page.locator(`#seed-results a[href="/playlists/seed/${seedKey}"]`);
    await hit.waitFor();
    await browser.screenshot(page, 'playlists-seed-search-desktop');
    await hit.click();
    await page.waitForURL(`${h.url}/playlists/seed/${seedKey}`);
    const ticks = page.locator('.dimensions input[type="checkbox"]');
    expect(await ticks.count()).toBeGreaterThanOrEqual(2);
    await ticks.last().uncheck();
    await page.getByLabel('Length (tracks)').fill('10');
    await page.locator('#preview [data-matching]').waitFor();
    await browser.screenshot(page, 'playlists-seed-desktop');
    await page.getByRole('button', { name: 'Generate playlist' }).click();
    await reviewOpened(page);
    const keys = await keysOnPage(page);
    expect(keys).toHaveLength(10);

    await page.getByLabel(/Append to an existing playlist/).check();
    await page.getByLabel('Existing playlist', { exact: true }).selectOption(firstPlaylist);
    await page.getByRole('button', { name: 'Save to Plex' }).click();
    await page.locator('#save-result [data-saved]').waitFor();
    const overlap = keys.filter((k) => firstKeys.includes(k)).length;
    const items = (await plex.playlistItems(firstPlaylist)).map((t) => t.ratingKey);
    expect(items).toEqual([...firstKeys, ...keys.filter((k) => !firstKeys.includes(k))]);
    if (overlap > 0) expect(await page.locator('#save-result').textContent()).toContain(`${overlap} already there and skipped`);
  });

  it('OpenAI through the real SDK: every call with tokens and cost, a short reply topped up, then replace', async () => {
    fake.requests.length = 0;
    await page.goto(`${h.url}/playlists`);
    await page.getByLabel('What should it sound like?').fill('upbeat rock');
    await page.getByLabel('Model').selectOption('openai');
    await page.getByRole('button', { name: 'Suggest filters' }).click();
    await page.locator('#filters-step .note').waitFor();
    expect(await page.locator('#filters-step .note').textContent()).toContain('analysis call');
    for (const label of ['Genres', 'Styles', 'Moods', 'Artists']) await page.getByLabel(label, { exact: true }).fill('');
    await page.getByLabel('Length (tracks)').fill('15');
    await expect.poll(() => page.locator('#preview [data-total]').textContent()).toMatch(/^\$0\.\d+/);
    expect(await page.locator('#preview').textContent()).toContain('gpt-5-mini');
    await browser.screenshot(page, 'playlists-openai-estimate-desktop');
    // The generation reply picks too few and so does the top-up: the rest is filled from the ranked pool.
    fake.queue('too-few', 'too-few');
    await page.getByRole('button', { name: 'Generate playlist' }).click();
    await reviewOpened(page);
    expect(fake.requests.map((r) => r.role)).toEqual(['analysis', 'generation', 'top-up']);
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer sk-fake')).toBe(true);
    const rows = page.locator('table.usage tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await page.locator('[data-total-cost]').textContent()).toMatch(/^\$0\.\d+/);
    expect(await page.locator('#review-tracks li').count()).toBe(15);
    expect(await page.locator('#review-tracks .badge', { hasText: 'filled' }).count()).toBeGreaterThan(0);
    await browser.screenshot(page, 'playlists-openai-review-desktop');

    await page.getByLabel(/Replace an existing playlist/).check();
    await page.getByLabel('Existing playlist', { exact: true }).selectOption(firstPlaylist);
    const keys = await keysOnPage(page);
    const before = (await plex.playlistItems(firstPlaylist)).map((t) => t.ratingKey);
    await page.getByRole('button', { name: 'Save to Plex' }).click();
    // Replacing asks first, naming the playlist and how many tracks it holds; nothing changes until confirmed.
    const confirm = page.locator(`#save-result [data-confirm-replace="${firstPlaylist}"]`);
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(`Replace the ${before.length} tracks of`);
    expect((await plex.playlistItems(firstPlaylist)).map((t) => t.ratingKey)).toEqual(before);
    await browser.screenshot(page, 'playlists-replace-confirm-desktop');
    await page.getByRole('button', { name: 'Yes, replace' }).click();
    await page.locator('#save-result [data-saved]').waitFor();
    expect((await plex.playlistItems(firstPlaylist)).map((t) => t.ratingKey)).toEqual(keys);
  });

  it('history: reopen an entry and regenerate it', async () => {
    await page.goto(`${h.url}/playlists/history`);
    expect(await page.locator('.history-entry').count()).toBe(3);
    expect(await page.locator('.history-entry').first().textContent()).toContain('saved (replace)');
    await browser.screenshot(page, 'playlists-history-desktop');
    await page.locator('.history-entry').last().getByRole('link', { name: /Open/ }).click();
    await page.waitForURL(/\/playlists\/history\/1$/);
    expect(await page.getByLabel('Playlist title').inputValue()).toBeTruthy();
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await page.waitForURL(/\/playlists\/history\/4$/, { timeout: 20_000 });
    expect(await page.locator('#review-tracks li').count()).toBe(12);
  });

  it('settings show keys only as set/unset; the phone layout works', async () => {
    await page.goto(`${h.url}/settings#playlists`);
    expect(await page.locator('#provider-openai [data-key-state]').textContent()).toBe('set');
    expect(await page.content()).not.toContain('sk-fake');
    await browser.screenshot(page, 'playlists-settings-desktop');

    const phone = await browser.newPage(PHONE);
    await phone.goto(`${h.url}/login`);
    await phone.getByLabel('Password').fill(PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.waitForURL(/\/$|\/setup$/);
    await phone.goto(`${h.url}/playlists`);
    await phone.getByLabel('What should it sound like?').fill('quiet jazz');
    await phone.getByRole('button', { name: 'Suggest filters' }).click();
    await phone.locator('#preview [data-matching]').waitFor();
    await browser.screenshot(phone, 'playlists-suggested-phone');
    await phone.goto(`${h.url}/playlists/history/1`);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await browser.screenshot(phone, 'playlists-review-phone');
  });
});
