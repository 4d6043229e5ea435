// The Settings page in Chromium: its sections and their sub-navigation, the price table as a form (a row
// added is saved and used by the next estimate, a bad price is refused by its field and changes nothing, a
// row removed is gone), and the light theme the browser can ask for, readable in both themes.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ARTIFACTS_DIR, launchBrowser, PHONE, type BrowserHarness } from '../support/browser.js';
import { PASSWORD, startPlaylistApp, type PlaylistApp } from '../integration/web/playlist-support.js';

// A model no built-in list prices, so the estimate says "unknown price" until the table gives it one.
const MODEL = 'sagewire-test-model';

/** WCAG contrast of two computed `rgb(…)` colours. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The colours a person reads on the Settings page: body text, a table's cells and headers on their card, a link, a button. */
async function colours(page: Page) {
  return page.evaluate(() => {
    const style = (selector: string) => getComputedStyle(document.querySelector(selector)!);
    const card = style('#prices').backgroundColor;
    return {
      bodyBg: style('body').backgroundColor,
      bodyText: style('body').color,
      card,
      cell: style('[data-price-table] td').color,
      header: style('[data-price-table] th').color,
      muted: style('#prices > p.muted').color,
      link: style('.settings-toc a').color,
      buttonBg: style('#prices-form button[type="submit"]').backgroundColor,
      buttonText: style('#prices-form button[type="submit"]').color,
    };
  });
}

describe('Settings page sections, price table and themes', () => {
  let h: PlaylistApp;
  let browser: BrowserHarness;
  let page: Page;

  beforeAll(async () => {
    [h, browser] = await Promise.all([
      startPlaylistApp({
        tracks: 200,
        env: { LLM_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-fake', LLM_MODEL_ANALYSIS: MODEL, LLM_MODEL_GENERATION: MODEL },
      }),
      launchBrowser(),
    ]);
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

  /** The estimate of the next generation for MODEL, as the composer shows it (no model is called). */
  const estimate = () =>
    page.evaluate(async () => {
      const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content;
      const body = new URLSearchParams({ _csrf: csrf, prompt: 'quiet jazz', provider: 'openai', count: '10', max_tracks: '50' });
      const res = await fetch('/playlists/preview', { method: 'POST', body, headers: { 'HX-Request': 'true' } });
      const html = new DOMParser().parseFromString(await res.text(), 'text/html');
      return html.querySelector('[data-total]')?.textContent ?? `no estimate (${res.status})`;
    });
  const rows = () =>
    page
      .locator('[data-price-row]:not([data-price-blank])')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          Array.from(tr.querySelectorAll<HTMLInputElement | HTMLSelectElement>('select, input[type="text"]'), (f) => f.value),
        ),
      );
  const blankRow = () => page.locator('[data-price-blank]');

  it('lists every section in its sub-navigation, and each link leads to its section', async () => {
    await page.goto(`${h.url}/settings`);
    const toc = page.getByRole('navigation', { name: 'Settings sections' });
    const links = await toc.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual([
      ['Rating model', '#model'],
      ['Learned model', '#learned-model'],
      ['Behaviour', '#behaviour'],
      ['Playlists & models', '#playlists'],
      ['Prices', '#prices'],
      ['Notifications', '#notifications'],
      ['Security', '#security'],
    ]);
    for (const [, href] of links) {
      const heading = page.locator(`${href} h2`).first();
      expect(await heading.count(), href!).toBe(1);
    }
    expect(await page.locator('#security h3').allTextContents()).toEqual(['API token', 'Password']);
    // Every form the page had is still there, under its section.
    for (const action of ['/settings/model', '/settings/behaviour', '/settings/playlists', '/settings/prices']) {
      expect(await page.locator(`form[action="${action}"]`).count(), action).toBe(1);
    }
    // API_TOKEN and ADMIN_PASSWORD are set in the environment here: Security says so instead of offering to change them.
    expect(await page.locator('#api-token #api-token-panel').textContent()).toContain('set by API_TOKEN in the environment');
    expect(await page.locator('#password').textContent()).toContain('set by ADMIN_PASSWORD in the environment');
    expect(await page.locator('textarea[name="llm_prices"]').count()).toBe(0);

    // A provider not in use is folded (its fields are still sent with the form); the one in use is open.
    expect(await page.locator('details[data-provider="openai"]').getAttribute('open')).not.toBeNull();
    expect(await page.locator('details[data-provider="gemini"]').getAttribute('open')).toBeNull();
    expect(await page.locator('details[data-provider="gemini"] input[name="gemini_base_url"]').count()).toBe(1);
    await browser.screenshot(page, 'settings-sections-desktop');
    console.log(
      `Settings page height at ${page.viewportSize()?.width} px wide: ${await page.evaluate(() => document.documentElement.scrollHeight)} px`,
    );

    // A link scrolls its section to just below the sub-navigation, which stays at the top of the window.
    await toc.getByRole('link', { name: 'Prices' }).click();
    await page.waitForURL(/#prices$/);
    const tocBottom = await toc.evaluate((el) => el.getBoundingClientRect().bottom);
    await expect.poll(() => page.locator('#prices').evaluate((el) => el.getBoundingClientRect().top)).toBeGreaterThanOrEqual(tocBottom);
    expect(await page.locator('#prices').evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(tocBottom + 40);
    expect(await toc.evaluate((el) => el.getBoundingClientRect().top)).toBe(0);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
    await browser.screenshot(page, 'settings-sections-prices', { fullPage: false });
  });

  it('adds a price row, saves it, and the next estimate uses it', async () => {
    await page.goto(`${h.url}/settings#prices`);
    expect(await rows()).toEqual([]);
    expect(await estimate()).toBe('unknown price');

    await blankRow().locator('select').selectOption('openai');
    await blankRow().getByLabel('Model, new row').fill(MODEL);
    await blankRow().getByLabel('Input price, new row').fill('2');
    await blankRow().getByLabel('Output price, new row').fill('10');
    await page.getByRole('button', { name: 'Save prices' }).click();
    await expect.poll(() => page.locator('#prices-form .flash-success').textContent()).toContain('Prices saved');
    expect(await rows()).toEqual([['openai', MODEL, '2', '10']]);
    expect(await blankRow().count()).toBe(1);

    await page.reload();
    expect(await rows()).toEqual([['openai', MODEL, '2', '10']]);
    const priced = await estimate();
    expect(priced).toMatch(/^\$\d+\.\d+$/);
    await browser.screenshot(page, 'settings-prices-saved');
  });

  it('refuses a bad price next to its field and changes nothing', async () => {
    await page.goto(`${h.url}/settings#prices`);
    const before = await estimate();
    const row = page.locator('[data-price-row]').first();
    await row.getByLabel('Input price, row 1').fill('-1');
    await blankRow().getByLabel('Model, new row').fill(MODEL);
    await blankRow().getByLabel('Input price, new row').fill('abc');
    await blankRow().getByLabel('Output price, new row').fill('1');
    await page.getByRole('button', { name: 'Save prices' }).click();
    const inputError = page.locator('[id="price_input_0-error"]');
    await inputError.waitFor();
    expect(await inputError.textContent()).toBe('the input price must be 0 or more');
    expect(await row.getByLabel('Input price, row 1').getAttribute('aria-invalid')).toBe('true');
    // The second row keeps what was typed, with its own problems: not a number, and the same model twice.
    expect(await page.locator('[id="price_input_1-error"]').textContent()).toBe('the input price must be a number of dollars, like 0.25');
    expect(await page.locator('[id="price_model_1-error"]').textContent()).toBe(`openai ${MODEL} is already priced in an earlier row`);
    // Above the table, each problem names its row.
    expect(await page.locator('#prices-problems li').allTextContents()).toEqual([
      `row 1 (${MODEL}): the input price must be 0 or more`,
      `row 2 (${MODEL}): openai ${MODEL} is already priced in an earlier row`,
      `row 2 (${MODEL}): the input price must be a number of dollars, like 0.25`,
    ]);
    expect(await page.locator('#prices-problems').textContent()).toContain('Nothing was saved: 3 values need fixing.');
    await page.locator('#prices').screenshot({ path: join(ARTIFACTS_DIR, 'settings-prices-invalid.png') });

    await page.reload();
    expect(await rows()).toEqual([['openai', MODEL, '2', '10']]);
    expect(await estimate()).toBe(before);
  });

  it('a plain form post (no htmx) that is refused answers 422 with the page, and changes nothing', async () => {
    browser.expectConsoleError(/status of 422/);
    const answer = await page.evaluate(async () => {
      const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')!.content;
      const body = new URLSearchParams({
        _csrf: csrf,
        price_provider_0: 'openai',
        price_model_0: '',
        price_input_0: '1',
        price_output_0: '1',
      });
      const res = await fetch('/settings/prices', { method: 'POST', body });
      return { status: res.status, text: await res.text() };
    });
    expect(answer.status).toBe(422);
    expect(answer.text).toContain('row 1: the model&#39;s name is required');
    await page.reload();
    expect(await rows()).toEqual([['openai', MODEL, '2', '10']]);
  });

  it('removes a row', async () => {
    await page.goto(`${h.url}/settings#prices`);
    await page.getByLabel(`Remove ${MODEL}`).check();
    await page.getByRole('button', { name: 'Save prices' }).click();
    await expect.poll(() => page.locator('#prices-form .flash-success').count()).toBe(1);
    expect(await rows()).toEqual([]);
    expect(await estimate()).toBe('unknown price');
  });

  it('follows the browser to a light theme, readable like the dark one', async () => {
    await page.goto(`${h.url}/settings#prices`);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await colours(page);
    await browser.screenshot(page, 'settings-theme-dark', { fullPage: false });
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await colours(page);
    await browser.screenshot(page, 'settings-theme-light', { fullPage: false });

    expect(light.bodyBg).not.toBe(dark.bodyBg);
    expect(light.bodyText).not.toBe(dark.bodyText);
    expect(light.card).not.toBe(dark.card);
    expect(light.cell).not.toBe(dark.cell);
    for (const [name, theme] of Object.entries({ dark, light })) {
      const pairs: [string, string, string][] = [
        ['body text', theme.bodyText, theme.bodyBg],
        ['table cell', theme.cell, theme.card],
        ['table header', theme.header, theme.card],
        ['muted text', theme.muted, theme.card],
        ['link', theme.link, theme.bodyBg],
        ['button', theme.buttonText, theme.buttonBg],
      ];
      for (const [what, fg, bg] of pairs) expect(contrast(fg, bg), `${name} ${what}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
    // Light is light: the page is brighter than its text.
    expect(contrast(light.bodyBg, 'rgb(0, 0, 0)')).toBeGreaterThan(contrast(light.bodyText, 'rgb(0, 0, 0)'));

    const phone = await browser.newPage(PHONE);
    await phone.emulateMedia({ colorScheme: 'light' });
    await phone.goto(`${h.url}/login`);
    await phone.getByLabel('Password').fill(PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.waitForURL(/\/$|\/setup$/);
    await phone.goto(`${h.url}/settings`);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await browser.screenshot(phone, 'settings-theme-light-phone', { fullPage: false });
  });
});
