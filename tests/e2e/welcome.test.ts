// The first-run wizard in Chromium against the real composition root and a fresh Plex simulator: the first
// visit to the Dashboard opens it once, then every step in order — Plex through the Setup form, the library
// read by the engine that saving Setup starts, polling chosen, a dry run started from the wizard (nothing
// written), dry-run mode turned off and the plan applied on the Ratings page — each step's state following;
// the Dashboard linking back to the steps left undone; and, on a second install with webhooks on, the page
// moving on by itself when Plex's first webhook arrives. No rating the person made is changed; screenshots go
// to test-artifacts/.
//
// Assertions that need the Dashboard to call firstRunOnDashboard (services/first-run.ts) are marked
// [dashboard hook]; those that need saved settings to take effect without a restart (the engine starting
// and reading the library after Setup is saved) are marked [live settings].
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Sagewire } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { ownerRatings, startLive } from '../integration/live/support/live-harness.js';
import { expectManualRatingsKept, LIVE_PASSWORD } from '../integration/web/rating-support.js';
import { launchBrowser, PHONE, type BrowserHarness } from '../support/browser.js';

const PASSWORD = 'e2e-welcome-password';

describe('first-run wizard in a browser', () => {
  let sim: RunningSimulator;
  let app: Sagewire;
  let url: string;
  let browser: BrowserHarness;
  let page: Page;
  let person: Map<string, number>;
  const dataDir = mkdtempSync(join(tmpdir(), 'sagewire-e2e-welcome-'));

  const stateOf = (id: string) => page.locator(`[data-step="${id}"]`).getAttribute('data-state');
  const simRatingsNow = () =>
    new Map([...sim.state.tracks, ...sim.state.albums, ...sim.state.artists].map((i) => [i.ratingKey, sim.state.getRating(i.ratingKey)]));

  beforeAll(async () => {
    [sim, browser] = await Promise.all([
      startSimulator({ port: 0, tracks: 300, seed: 11, log: { warn() {}, error() {} } as never }),
      launchBrowser(),
    ]);
    person = ownerRatings(sim);
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' });
    app = await buildApp(config, createLogger('silent'), { live: { bootRetryMs: 200 } });
    url = await app.listen();
    page = await browser.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('[dashboard hook] the first visit after sign-in opens the wizard, and only the first', async () => {
    await page.goto(`${url}/login`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${url}/welcome`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Welcome to Sagewire');
    await page.goto(url);
    await expect.poll(() => page.url()).not.toBe(`${url}/welcome`);
  });

  it('starts at Plex: five steps, the first current, each saying what is done and what is next', async () => {
    await page.goto(`${url}/welcome`);
    if (page.url().includes('/login')) {
      // Signed in here when the test above did not get that far.
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => !u.pathname.startsWith('/login'));
      await page.goto(`${url}/welcome`);
    }
    const steps = page.locator('[data-step]');
    expect(await steps.count()).toBe(5);
    expect(await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual([
      'current',
      'waiting',
      'waiting',
      'waiting',
      'waiting',
    ]);
    expect(await page.locator('[aria-current="step"]').getAttribute('data-step')).toBe('plex');
    for (const id of ['plex', 'library', 'updates', 'dry-run', 'apply']) {
      expect((await page.locator(`#step-${id} [data-step-status]`).textContent())?.trim()).not.toBe('');
      expect((await page.locator(`#step-${id} [data-step-next]`).textContent())?.trim()).not.toBe('');
    }
    await browser.screenshot(page, 'welcome-fresh-desktop');
  });

  it('step 1: Plex, through the Setup form the wizard links to', async () => {
    await page.locator('#step-plex').getByRole('link', { name: 'Open Setup' }).click();
    await page.waitForURL(`${url}/setup`);
    await page.getByLabel('Plex server URL').fill(sim.url);
    await page.getByLabel(/Plex token/).fill(sim.token);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.locator('#plex-check').textContent(), { timeout: 10_000 }).toContain('Connected to Plex');
    await page.getByRole('button', { name: 'Save setup' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
    await page.goto(`${url}/welcome`);
    expect(await stateOf('plex')).toBe('done');
    expect(await page.locator('#step-plex [data-step-status]').textContent()).toContain('Connected: Plex answered just now.');
  });

  it('[live settings] step 2: the engine that saving Setup started reads the library; the page moves on by itself', async () => {
    await page.goto(`${url}/welcome`);
    await page.locator('[data-step="library"][data-state="done"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#step-library [data-step-status]').textContent()).toContain(
      `${sim.state.tracks.length.toLocaleString('en-US')} tracks`,
    );
    expect(await stateOf('updates')).toBe('current');
  });

  it('step 3: the webhook URL to paste, or polling instead', async () => {
    await page.goto(`${url}/welcome`);
    const webhook = page.locator('#step-updates #webhook_url');
    expect(await webhook.inputValue()).toBe(`${url}/webhooks/plex/${app.webhookSecret}`);
    expect(await page.locator('#step-updates').getByRole('button', { name: 'Copy' }).isVisible()).toBe(true);
    await browser.screenshot(page, 'welcome-updates-desktop');
    await page.getByRole('button', { name: 'Use polling instead' }).click();
    await page.waitForURL(`${url}/welcome#step-updates`);
    expect(await page.locator('.flash-success').textContent()).toContain('Polling chosen');
    expect(await stateOf('updates')).toBe('done');
    expect(await page.locator('#step-updates [data-step-status]').textContent()).toContain('Polling');
  });

  it('[dashboard hook] the Dashboard links back to each step left undone', async () => {
    await page.goto(url);
    const links = page.locator('[data-first-run] a');
    await links.first().waitFor();
    expect(await links.evaluateAll((els) => els.map((e) => e.getAttribute('href')))).toEqual([
      '/welcome#step-dry-run',
      '/welcome#step-apply',
    ]);
    await links.first().click();
    await page.waitForURL(`${url}/welcome#step-dry-run`);
  });

  it('[live settings] step 4: a dry run started from the wizard, its progress shown here; nothing written', async () => {
    const before = simRatingsNow();
    await expect
      .poll(
        async () => {
          await page.goto(`${url}/welcome`);
          return page.getByRole('button', { name: 'Start the dry run' }).isEnabled();
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    await page.getByRole('button', { name: 'Start the dry run' }).click();
    await page.locator('#job').waitFor();
    // When the job ends the job panel reloads the page: the step is then done.
    await page.locator('[data-step="dry-run"][data-state="done"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#step-dry-run [data-step-status]').textContent()).toMatch(
      /Dry run \d+ planned [\d,]+ changes?; nothing was written\./,
    );
    expect(await page.locator('#step-dry-run').getByRole('link', { name: 'See the plan' }).getAttribute('href')).toBe('/ratings/plan');
    expect(simRatingsNow()).toEqual(before);
    // Setup pre-ticks dry-run mode on a first setup: the last step says to turn it off first.
    expect(await stateOf('apply')).toBe('current');
    expect(await page.locator('#step-apply [data-step-status]').textContent()).toContain('dry-run mode is on');
    await browser.screenshot(page, 'welcome-dry-run-done-desktop');
  });

  it('[live settings] step 5: dry-run mode off in Settings, the plan applied on the Ratings page; all done', async () => {
    await page.locator('#step-apply').getByRole('link', { name: 'Turn dry-run mode off in Settings' }).click();
    await page.waitForURL(`${url}/settings#behaviour`);
    await page
      .locator('#behaviour')
      .getByLabel(/Dry-run mode/)
      .uncheck();
    await page.locator('#behaviour').getByRole('button', { name: 'Save behaviour' }).click();
    await page.waitForURL(/\/settings#behaviour$/);
    await page.goto(`${url}/welcome`);
    await page.locator('#step-apply').getByRole('link', { name: 'Apply on the Ratings page' }).click();
    await page.waitForURL(/\/ratings#pass-title$/);
    const apply = page.getByRole('button', { name: 'Apply: run a full pass' });
    await expect
      .poll(
        async () => {
          await page.reload();
          return apply.isEnabled();
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    await apply.click(); // the confirmation dialog is accepted
    // The panel showed the finished dry run before: wait for the full pass's own.
    await page.locator('#job', { hasText: 'Full pass' }).locator('[data-job-state="done"]').waitFor({ timeout: 60_000 });
    await page.goto(`${url}/welcome`);
    expect(await page.locator('[data-step]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual([
      'done',
      'done',
      'done',
      'done',
      'done',
    ]);
    expect(await page.locator('#step-apply [data-step-status]').textContent()).toMatch(/Full pass \d+ applied/);
    expect(await page.getByRole('link', { name: 'Go to the Dashboard' }).isVisible()).toBe(true);
    // Nothing the person rated by hand was changed.
    const changed = [...person].filter(([key, rating]) => Math.abs((sim.state.getRating(key) ?? Number.NaN) - rating) > 1e-9);
    expect(changed).toEqual([]);
    await browser.screenshot(page, 'welcome-all-done-desktop');
  });

  it('[dashboard hook] with every step done the Dashboard has no first-run card', async () => {
    await page.goto(url);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    expect(await page.locator('[data-first-run]').count()).toBe(0);
  });

  it('with webhooks on, the page moves on by itself when the first webhook from Plex arrives', async () => {
    // Another install, configured by the environment, its library read, the webhook registered in Plex.
    const live = await startLive({ tracks: 120, fullPass: false });
    try {
      const other = await browser.newPage();
      await other.goto(`${live.url}/login?next=%2Fwelcome`);
      await other.getByLabel('Password').fill(LIVE_PASSWORD);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.waitForURL(`${live.url}/welcome`);
      expect(await other.locator('[data-step="updates"]').getAttribute('data-state')).toBe('current');
      expect(await other.locator('[data-waiting="webhook"]').count()).toBe(1);
      const track = live.sim.state.tracks[0];
      await live.rate(track.ratingKey, 8); // Plex stores it and sends media.rate to Sagewire
      await other.locator('[data-step="updates"][data-state="done"]').waitFor({ timeout: 30_000 });
      expect(await other.locator('#step-updates [data-step-status]').textContent()).toMatch(
        /Webhooks work: \d+ deliver(y|ies) from Plex received\./,
      );
      expect(await other.locator('[data-waiting]').count()).toBe(0);
      // The event's own propagation wrote ratings: none the person made was changed.
      await live.quiet();
      expectManualRatingsKept(live);
    } finally {
      await live.close();
    }
  });

  it('reads on a phone without horizontal scrolling', async () => {
    const phone = await browser.newPage(PHONE);
    await phone.goto(`${url}/login?next=%2Fwelcome`);
    await phone.getByLabel('Password').fill(PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.waitForURL(`${url}/welcome`);
    const { scroll, width } = await phone.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: document.documentElement.clientWidth,
    }));
    expect(scroll).toBeLessThanOrEqual(width);
    await browser.screenshot(phone, 'welcome-phone');
  });
});
