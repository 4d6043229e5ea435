// Browser tests: Debian's Chromium driven by playwright-core. One browser per test file; each page
// records console errors, uncaught exceptions and failed requests, and `assertNoConsoleErrors()` fails
// the test on any that was not declared expected with `expectConsoleError()` (an intended 401 or 403
// shows up as "Failed to load resource"). Screenshots go to test-artifacts/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS_DIR = join(process.cwd(), 'test-artifacts');

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

export interface BrowserHarness {
  browser: Browser;
  /** A fresh context (cookies of its own) and page at the given viewport. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Declares a console error this test expects (e.g. the 403 of a refused request). */
  expectConsoleError(pattern: RegExp): void;
  /** Throws listing every unexpected console error since the last call; call in afterEach. */
  assertNoConsoleErrors(): void;
  screenshot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserHarness> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  let errors: string[] = [];
  let expected: RegExp[] = [];
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return {
    browser,
    async newPage(viewport = DESKTOP) {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console: ${msg.text()} (${msg.location().url})`);
      });
      page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
      page.on('requestfailed', (req) => {
        // A navigation that replaces a page aborts its pending requests; that is not an error.
        if (req.failure()?.errorText !== 'net::ERR_ABORTED') errors.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
      });
      return page;
    },
    expectConsoleError(pattern) {
      expected.push(pattern);
    },
    assertNoConsoleErrors() {
      const unexpected = errors.filter((e) => !expected.some((p) => p.test(e)));
      errors = [];
      expected = [];
      if (unexpected.length > 0) throw new Error(`browser reported ${unexpected.length} error(s):\n  ${unexpected.join('\n  ')}`);
    },
    async screenshot(page, name, options = {}) {
      const path = join(ARTIFACTS_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: options.fullPage ?? true });
      return path;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
    },
  };
}
