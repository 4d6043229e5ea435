// Setup takes effect at once: a Sagewire started with no Plex connection gets one on the Setup page and,
// without a restart, syncs the library, runs live propagation (a rating in Plex is propagated) and enables
// the Ratings page's actions; switching to polling on the Settings page turns the webhook receiver off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Sagewire } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { PlexClient } from '../../src/plex/index.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { launchBrowser, type BrowserHarness } from '../support/browser.js';
import { waitUntil } from '../support/wait.js';

const PASSWORD = 'e2e-setup-live-password';

describe('Setup without a restart, in a browser', () => {
  let sim: RunningSimulator;
  let app: Sagewire;
  let url: string;
  let browser: BrowserHarness;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sagewire-e2e-setup-live-'));

  beforeAll(async () => {
    [sim, browser] = await Promise.all([startSimulator({ port: 0, tracks: 200, seed: 11, log: () => {} }), launchBrowser()]);
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'silent' });
    app = await buildApp(config, createLogger('silent'));
    url = await app.listen();
    page = await browser.newPage();
    await page.goto(`${url}/login`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/(setup|welcome)$/);
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('before Setup, nothing runs and the Ratings page says why', async () => {
    expect(app.live).toBeNull();
    await page.goto(`${url}/ratings`);
    expect(await page.locator('main').textContent()).toContain('Plex is not configured');
  });

  it('saving Setup starts live propagation at once, and the page says so', async () => {
    await page.goto(`${url}/setup`);
    await page.getByLabel('Plex server URL').fill(sim.url);
    await page.getByLabel(/Plex token/).fill(sim.token);
    await page.getByRole('button', { name: 'Save setup' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
    const flash = await page.locator('.flash-success').textContent();
    expect(flash).toContain('Setup saved.');
    expect(flash).toContain('Live propagation restarted with the new settings on the section “Music”');
    expect(flash).not.toContain('restarts');

    const live = await waitUntil(() => (app.live?.status().state === 'running' ? app.live : null), 'live propagation running');
    expect(live.status().engine).not.toBeNull();
    const tracks = await app.database.db
      .selectFrom('tracks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(tracks.n)).toBe(sim.state.library.tracks.length);

    await page.goto(`${url}/ratings`);
    expect(await page.locator('main').textContent()).not.toContain('Plex is not configured');
    await browser.screenshot(page, 'setup-live-ratings');
  });

  it('a rating made in Plex after Setup is planned by the engine Setup started (dry run, as a first Setup saves it)', async () => {
    sim.webhooks.add(`${url}/webhooks/plex/${app.webhookSecret}`);
    const plex = new PlexClient({ url: sim.url, token: sim.token });
    const track = await app.database.db.selectFrom('tracks').select(['rating_key']).limit(1).executeTakeFirstOrThrow();
    await plex.rate(track.rating_key, 10);
    await sim.webhooks.idle();
    const event = await waitUntil(
      () =>
        app.database.db
          .selectFrom('webhook_events')
          .select(['outcome'])
          .where('item_key', '=', track.rating_key)
          .where('status', '=', 'done')
          .executeTakeFirst(),
      'the rating event processed by live propagation',
    );
    const outcome = JSON.parse(event.outcome!) as { dryRun?: boolean; planned: number; writes: number };
    expect(outcome.dryRun).toBe(true);
    expect(outcome.planned).toBeGreaterThan(0);
    expect(outcome.writes).toBe(0);
  });

  it('turning dry run off on the Settings page makes the running engine write, without a restart', async () => {
    await page.goto(`${url}/settings`);
    await page.locator('#dry_run').uncheck();
    await page.getByRole('button', { name: 'Save behaviour' }).click();
    await page.waitForURL(/\/settings/);
    expect(await page.locator('.flash-success').textContent()).toContain('Live propagation restarted with the new settings');
    await waitUntil(() => app.live?.status().state === 'running', 'live propagation running again');
    const plex = new PlexClient({ url: sim.url, token: sim.token });
    const track = await app.database.db
      .selectFrom('tracks')
      .select(['rating_key', 'album_key'])
      .orderBy('rating_key', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    await plex.rate(track.rating_key, 2);
    await sim.webhooks.idle();
    const written = await waitUntil(
      () =>
        app.database.db
          .selectFrom('write_journal')
          .select(['item_key', 'value_after'])
          .where('item_key', '=', track.album_key)
          .executeTakeFirst(),
      'the album of the rated track written by live propagation',
    );
    expect(written.value_after).toBeGreaterThan(0);
  });

  it('choosing polling on the Settings page turns the webhook receiver off without a restart', async () => {
    const hook = `${url}/webhooks/plex/${app.webhookSecret}`;
    await page.goto(`${url}/settings`);
    await page.locator('#webhooks_off').check();
    await page.getByRole('button', { name: 'Save behaviour' }).click();
    await page.waitForURL(/\/settings/);
    expect(await page.locator('.flash-success').textContent()).toContain('Live propagation restarted');
    await waitUntil(() => app.live?.status().state === 'running', 'live propagation running on polling');
    expect(app.live!.status().webhooks).toBe('off');
    // The receiver no longer answers (the thread was told; the first answer after it is a 404).
    const answer = await waitUntil(async () => {
      const res = await fetch(hook, { method: 'POST', body: new FormData() });
      return res.status === 404 ? res : null;
    }, 'the receiver to stop answering');
    expect(answer.status).toBe(404);
  });
});
