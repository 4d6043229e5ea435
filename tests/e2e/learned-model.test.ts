// The learned model on the pages, in Chromium against a real serve and the Plex simulator (a library with
// plays, skips and enough ratings to learn from): the Reports panel compares the three candidates in stars,
// the explorer tells how a track's plays move it, and Settings keeps albums and artists out of inference —
// after a restart a dry run's plan says so and plans no artist or album write. Screenshots go to
// test-artifacts/.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readSavedSettings } from '../../src/db/settings-repo.js';
import { explainItem, playedLine, type ModelFit } from '../../src/domain/rating/index.js';
import { startLive, type LiveHarness } from '../integration/live/support/live-harness.js';
import { LIVE_PASSWORD } from '../integration/web/rating-support.js';
import { ARTIFACTS_DIR, launchBrowser, PHONE, type BrowserHarness } from '../support/browser.js';

// Seed 7 at 1,500 tracks: over a hundred track ratings and a listening history, so all three candidates
// are cross-validated.
const LIBRARY = { tracks: 1500, seed: 7, fullPass: false } as const;

describe('the learned model in a browser', () => {
  let dir: string;
  let h: LiveHarness;
  let browser: BrowserHarness;
  let page: Page;

  const liveModel = () => h.app.live!.engine!.viewModel();

  async function signIn(target: Page, next: string): Promise<void> {
    await target.goto(`${h.url}/login?next=${encodeURIComponent(next)}`);
    await target.getByLabel('Password').fill(LIVE_PASSWORD);
    await target.getByRole('button', { name: 'Sign in' }).click();
    await target.waitForURL(`${h.url}${next}`);
  }

  /** Goes to a page, signing in again when the session does not carry over (a restarted server). */
  async function open(path: string): Promise<void> {
    await page.goto(`${h.url}${path}`);
    if (new URL(page.url()).pathname === '/login') await signIn(page, path);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-learned-'));
    [h, browser] = await Promise.all([startLive({ ...LIBRARY, dir }), launchBrowser()]);
    await h.quiet();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, '/reports');
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Reports: the three candidates with their expected error in stars, the one in use marked, the values in words', async () => {
    const fit: ModelFit = liveModel().fit;
    expect(fit.candidates.map((c) => c.name)).toEqual(['classic', 'estimated', 'listening']);
    await open('/reports');
    const panel = page.locator('#model-fit');
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toBe('How well the model predicts your ratings');
    const rows = panel.locator('[data-fit-candidates] tbody tr');
    expect(await rows.count()).toBe(3);
    for (const candidate of fit.candidates) {
      const row = panel.locator(`tr[data-candidate="${candidate.name}"]`);
      expect(await row.locator('[data-error]').textContent()).toBe(`${(candidate.cvRmse! / 2).toFixed(2)}★`);
      expect(await row.locator('[data-bias]').textContent()).toMatch(/^[+−]\d\.\d\d★$/);
    }
    expect(await panel.locator('tr[data-chosen]').getAttribute('data-candidate')).toBe(fit.chosen);
    expect(await panel.locator('tr[data-chosen] .badge').textContent()).toBe('in use');
    expect(await panel.locator('tr[data-candidate="classic"] [data-label]').textContent()).toContain('Classic (C = 3)');
    expect(await panel.locator('[data-fit-chosen]').textContent()).toContain(fit.reason.slice(1));
    expect(await panel.locator('[data-fit-ratings]').textContent()).toBe(fit.ratings.toLocaleString('en-US'));
    const help = (await panel.locator('p.help').first().textContent())!;
    expect(help).toContain('on a track rating you have not given yet');
    const values = await panel.locator('[data-fit-values] dt').allTextContents();
    expect(values.slice(0, 2)).toEqual(['Confidence in an album’s starting point', 'Confidence in an artist’s starting point']);
    await panel.screenshot({ path: join(ARTIFACTS_DIR, 'learned-model-panel-desktop.png') });

    // On a phone the table scrolls inside its own wrapper; the page itself is no wider than the screen.
    const phone = await browser.newPage(PHONE);
    await phone.goto(`${h.url}/login?next=%2Freports`);
    await phone.getByLabel('Password').fill(LIVE_PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.waitForURL(`${h.url}/reports`);
    const widths = await phone.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      screen: document.documentElement.clientWidth,
    }));
    expect(widths.page).toBeLessThanOrEqual(widths.screen);
    await phone.locator('#model-fit').screenshot({ path: join(ARTIFACTS_DIR, 'learned-model-panel-phone.png') });
    await phone.close();
  });

  it('explorer: an unrated track that was played says how often, and what that moves against its album', async () => {
    const model = liveModel();
    const { tracks } = model.index.snapshot;
    const explained = tracks
      .filter((t) => (t.plays ?? 0) > 1 && model.current.get(t.key) === undefined)
      .map((t) => explainItem(model.index, model.ownership, model.params, t.key, model.values, model.terms))
      .find((e) => e?.kind === 'track' && e.source === 'album' && e.listening !== null && Math.abs(e.listening.shift) >= 0.05);
    expect(explained, 'an unrated, played track whose plays move it').toBeDefined();
    const e = explained as Extract<typeof explained, { kind: 'track' }>;
    await open(`/explorer/item/${encodeURIComponent(e.key)}`);
    expect(await page.locator('[data-stat="ownership"]').textContent()).toBe('unrated');
    expect(await page.locator('[data-explain]').textContent()).toMatch(
      /^track [\d.]+★ = its album's value [\d.]+★ [+−][\d.]+★ from listening$/,
    );
    const steps = await page.locator('.explain .steps li').allTextContents();
    const played = steps.find((s) => s.startsWith(playedLine(e.listening!)));
    expect(played, steps.join(' | ')).toMatch(
      /^played (twice|\d+ times)(, skipped (once|twice|\d+ times))?: [+−]\d+(\.\d{1,2})?★ against its album$/,
    );
    await browser.screenshot(page, 'learned-model-explorer-track');
  });

  it('Settings: tracks only is saved; after a restart a dry run writes no artist or album and says why', async () => {
    await open('/settings');
    const learned = page.locator('#learned-model');
    expect(await learned.getByRole('heading', { level: 2 }).textContent()).toBe('Learned model');
    expect(await learned.locator('[data-fit-candidates] tbody tr').count()).toBe(3);
    await browser.screenshot(page, 'learned-model-settings');

    // No kind at all is refused next to the field.
    browser.expectConsoleError(/status of 422/);
    for (const kind of ['Artists', 'Albums', 'Tracks']) await page.getByLabel(kind, { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Save model parameters' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#rating_infer_kinds-error').textContent()).toBe('tick at least one kind (artists, albums or tracks)');

    await page.getByLabel('Tracks', { exact: true }).check();
    await page.getByLabel('Artists', { exact: true }).uncheck();
    await page.getByLabel('Albums', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Save model parameters' }).click();
    await page.waitForURL(/\/settings#model$/);
    expect(await page.locator('.flash-success').textContent()).toContain('Model parameters saved');
    expect(await page.getByLabel('Tracks', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Albums', { exact: true }).isChecked()).toBe(false);

    // Model parameters apply when Sagewire starts: the same data folder, served again, with the saved
    // parameters read at start as `sagewire serve` reads them (main.ts; the harness takes them as variables).
    await h.close();
    const saved = Object.fromEntries(
      Object.entries(readSavedSettings(join(dir, 'sagewire.db'))).filter(([name]) => name.startsWith('RATING_')),
    );
    expect(saved).toEqual({ RATING_INFER_KINDS: 'track' });
    h = await startLive({ ...LIBRARY, dir, env: saved });
    await h.quiet();
    expect(liveModel().params.infer.kinds).toEqual(['track']);
    await open('/ratings');
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.locator('[data-stat="planned"]').waitFor({ timeout: 30_000 });

    await open('/ratings/plan');
    const fit = liveModel().fit;
    expect(await page.locator('[data-plan-model]').textContent()).toContain(fit.reason);
    expect(await page.locator('[data-plan-model] a').getAttribute('href')).toBe('/reports#model-fit');
    const kinds = (await page.locator('[data-outside="kinds"]').textContent())!;
    expect(kinds).toMatch(/^[\d,]+ values of kinds you keep out of inference \(infer\.kinds\) are not written\.$/);
    expect(Number(kinds.replace(/\D/g, ''))).toBeGreaterThan(0);
    expect(await page.locator('[data-outside="excluded"]').count()).toBe(0);
    expect(Number((await page.locator('[data-stat="matching"]').textContent())!.replace(/\D/g, ''))).toBeGreaterThan(0);
    const csv = await (await page.request.get(`${h.url}/ratings/plan.csv`)).text();
    const header = csv.split('\n')[0].split(',');
    const kindColumn = header.indexOf('kind');
    expect(kindColumn).toBeGreaterThanOrEqual(0);
    const planned = new Set(
      csv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[kindColumn]),
    );
    expect([...planned]).toEqual(['track']);
    await browser.screenshot(page, 'learned-model-plan');
  });
});
