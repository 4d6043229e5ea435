// Play now in Chromium against the real composition root and the Plex simulator: a seed-flow list with
// sonic neighbours ticked is generated, a player picked, Play pressed, and the simulated player is seen
// playing the list's first track (read from the simulator's now-playing, waited for, never slept on). Then
// the saved playlist is played from the review page on a phone, and a server without sonic analysis shows
// the seed page's note with the box disabled.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE, type BrowserHarness } from '../support/browser.js';
import { waitUntil } from '../support/wait.js';
import { PASSWORD, startPlaylistApp, type PlaylistApp } from '../integration/web/playlist-support.js';

interface NowPlaying {
  commands: number;
  players: { machineIdentifier: string; name: string; online: boolean; track: { ratingKey: string } | null; queueLength: number }[];
}

describe('play now in a browser', () => {
  let h: PlaylistApp;
  let browser: BrowserHarness;
  /** The review page of the list played in the remembered-player test. */
  let reviewUrl = '';

  beforeAll(async () => {
    [h, browser] = await Promise.all([startPlaylistApp({ tracks: 600 }), launchBrowser()]);
  });
  afterEach(() => browser.assertNoConsoleErrors());
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** What the simulator's players play, as another process would see it (its control API). */
  const nowPlaying = async (): Promise<NowPlaying> =>
    (await fetch(`${h.sim.url}/__sim/now-playing`, { headers: { 'X-Plex-Token': h.sim.token } })).json() as Promise<NowPlaying>;
  const playing = (name: string, key: string) =>
    waitUntil(
      async () => (await nowPlaying()).players.find((p) => p.name === name && p.track?.ratingKey === key),
      `${name} to play ${key}`,
    );

  async function signedIn(viewport?: { width: number; height: number }): Promise<Page> {
    const page = await browser.newPage(viewport);
    await page.goto(`${h.url}/login`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/$|\/setup$/);
    return page;
  }

  const keysOnPage = (p: Page) =>
    p.locator('#review-tracks input[name="keys"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));

  it('seed list with sonic neighbours → pick a player → Play → the player plays the first track', async () => {
    const page = await signedIn();
    const seed = h.sim.state.tracks[150].ratingKey;
    await page.goto(`${h.url}/playlists/seed/${seed}`);
    const sonic = page.getByLabel(/sounds like it/);
    expect(await sonic.isEnabled()).toBe(true);
    await sonic.check();
    await page.getByLabel('Length (tracks)').fill('12');
    await page.getByRole('button', { name: 'Generate playlist' }).click();
    await page.waitForURL(/\/playlists\/history\/\d+$/, { timeout: 20_000 });
    const keys = await keysOnPage(page);
    expect(keys).toHaveLength(12);
    expect(await page.content()).not.toContain('no sonic analysis');

    // Reorder once: what plays is the list as edited, not as generated.
    await page.getByRole('button', { name: /down$/ }).first().click();
    await expect.poll(async () => (await keysOnPage(page))[0]).toBe(keys[1]);

    const picker = page.getByLabel('Player', { exact: true }).first();
    await expect.poll(() => picker.isEnabled()).toBe(true);
    const options = await picker.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(0);
    const name = (await nowPlaying()).players.find((p) => p.online)!.name;
    await picker.selectOption({ label: options.find((o) => o.startsWith(name))! });
    await browser.screenshot(page, 'play-now-picker-desktop');
    await page.getByRole('button', { name: '▶ Play' }).first().click();
    await page.locator('#play-list-result [data-playing]').waitFor();
    const entry = await playing(name, keys[1]);
    expect(entry.queueLength).toBe(12);
    expect(await page.locator('#play-list-result').textContent()).toContain(`Playing on ${name}`);
    await browser.screenshot(page, 'play-now-playing-desktop');
  });

  it('on a phone: saves the list, plays the saved playlist; a player that went offline is named as gone', async () => {
    const page = await signedIn(PHONE);
    const seed = h.sim.state.tracks[300].ratingKey;
    await page.goto(`${h.url}/playlists/seed/${seed}`);
    await page.getByLabel('Length (tracks)').fill('10');
    await page.getByRole('button', { name: 'Generate playlist' }).click();
    await page.waitForURL(/\/playlists\/history\/\d+$/, { timeout: 20_000 });
    const keys = await keysOnPage(page);
    await page.getByRole('button', { name: 'Save to Plex' }).click();
    await page.locator('#save-result [data-saved]').waitFor();
    await page.reload();

    const saved = page.locator('[data-play-now="play-saved"]');
    const picker = saved.getByLabel('Player', { exact: true });
    await expect.poll(() => picker.isEnabled()).toBe(true);
    const [last] = (await nowPlaying()).players.filter((p) => p.online).slice(-1);
    await picker.selectOption(last.machineIdentifier);
    await saved.getByRole('button', { name: '▶ Play' }).click();
    await saved.locator('[data-playing]').waitFor();
    await playing(last.name, keys[0]);
    await browser.screenshot(page, 'play-now-saved-phone');

    // The player goes away after the page listed it: Play says so instead of failing silently.
    h.sim.players.set(last.machineIdentifier, { online: false });
    await saved.getByRole('button', { name: '▶ Play' }).click();
    await expect.poll(async () => (await saved.locator('[role="alert"]').textContent()) ?? '').toContain('not available any more');
    h.sim.players.set(last.machineIdentifier, { online: true });
  });

  it('the player played on is preselected on the next page, by all three album pickers, listed with one /clients; ↻ stays on the row on a phone', async () => {
    const page = await signedIn(PHONE);
    await page.goto(`${h.url}/playlists/seed/${h.sim.state.tracks[200].ratingKey}`);
    await page.getByLabel('Length (tracks)').fill('10');
    await page.getByRole('button', { name: 'Generate playlist' }).click();
    await page.waitForURL(/\/playlists\/history\/\d+$/, { timeout: 20_000 });
    const keys = await keysOnPage(page);
    reviewUrl = page.url();
    // The last by name: never what a picker selects by default.
    const [chosen] = (await nowPlaying()).players.filter((p) => p.online).sort((a, b) => b.name.localeCompare(a.name));
    const picker = page.locator('[data-play-now="play-list"]').getByLabel('Player', { exact: true });
    await expect.poll(() => picker.isEnabled()).toBe(true);
    expect(await picker.inputValue()).not.toBe(chosen.machineIdentifier);
    await picker.selectOption(chosen.machineIdentifier);
    await page.getByRole('button', { name: '▶ Play' }).first().click();
    await page.locator('#play-list-result [data-playing]').waitFor();
    await playing(chosen.name, keys[0]);

    const asked = () => h.sim.stats.requests['GET /clients'] ?? 0;
    await page.goto(`${h.url}/playlists/albums`);
    await page.getByLabel('What would you like to hear?').fill('something to play');
    await page.getByLabel('Model').selectOption('offline');
    const before = asked();
    await page.getByRole('button', { name: 'Recommend an album' }).click();
    await page.locator('#album-result .album-primary').waitFor();
    const pickers = page.locator('#album-result [data-play-now]').getByLabel('Player', { exact: true });
    expect(await pickers.count()).toBe(3);
    for (let i = 0; i < 3; i++) await expect.poll(() => pickers.nth(i).isEnabled()).toBe(true);
    expect(await pickers.evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value))).toEqual(
      Array(3).fill(chosen.machineIdentifier),
    );
    // One look-up for the three (none when Play's own look-up, a moment ago, is still shared; exactly one
    // is checked in tests/integration/web/play-now-pages.test.ts).
    expect(asked() - before).toBeLessThanOrEqual(1);

    // On a phone the ↻ button sits at the end of the player row, not wrapped under the list.
    const row = page.locator('.album-primary .play-row');
    const [select, look] = [await row.locator('select').boundingBox(), await row.locator('.play-look').boundingBox()];
    expect(look!.y).toBeLessThan(select!.y + select!.height);
    expect(look!.x).toBeGreaterThanOrEqual(select!.x + select!.width);
    expect(look!.x + look!.width).toBeLessThanOrEqual(PHONE.width);
    await browser.screenshot(page, 'play-now-remembered-albums-phone');
  });

  it('without JavaScript: ▶ Play leads to a players page, the remembered player checked; Play there plays and comes back', async () => {
    const context = await browser.browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    try {
      const page = await context.newPage();
      await page.goto(`${h.url}/login`);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/$|\/setup$/);
      // The list the test before generated and played (its player is the one remembered).
      const review = reviewUrl;
      await page.goto(review);
      const keys = await keysOnPage(page);
      await page.locator('[data-play-now="play-list"]').getByRole('button', { name: '▶ Play' }).click();
      await page.waitForURL(`${h.url}/play-now`);
      const remembered = page.locator('input[name="player"]:checked');
      const [chosen] = (await nowPlaying()).players.filter((p) => p.online).sort((a, b) => b.name.localeCompare(a.name));
      expect(await remembered.getAttribute('value')).toBe(chosen.machineIdentifier);
      await browser.screenshot(page, 'play-now-no-js-players-phone');
      const other = (await nowPlaying()).players.find((p) => p.online && p.machineIdentifier !== chosen.machineIdentifier)!;
      await page.getByLabel(new RegExp(`^${other.name}`)).check();
      await page.getByRole('button', { name: '▶ Play' }).click();
      await page.waitForURL(review);
      expect(await page.locator('.flash').first().textContent()).toContain(`Playing on ${other.name}`);
      await playing(other.name, keys[0]);
    } finally {
      await context.close();
    }
  });

  it('a server without sonic analysis: the seed page says so and the box is disabled', async () => {
    h.sim.config.sonicAnalysis = false;
    try {
      const page = await signedIn();
      await page.goto(`${h.url}/playlists/seed/${h.sim.state.tracks[10].ratingKey}`);
      expect(await page.getByLabel(/sounds like it/).isDisabled()).toBe(true);
      expect(await page.locator('#sonic-note').textContent()).toContain('This server has no sonic analysis');
      await browser.screenshot(page, 'play-now-seed-no-sonic-desktop');
    } finally {
      h.sim.config.sonicAnalysis = true;
    }
  });
});
