// The dashboard in Chromium against a real serve and the Plex simulator (which sends real webhooks): a
// rating made in "Plex" shows up on the open page without a reload, as a row that names the track and
// links its Explorer page, and the counts follow — each within a second of the receiver accepting the
// webhook (its `received_at`), timed in the page by a MutationObserver.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLive, type LiveHarness } from '../integration/live/support/live-harness.js';
import { LIVE_PASSWORD } from '../integration/web/rating-support.js';
import { DESKTOP, launchBrowser, type BrowserHarness } from '../support/browser.js';

interface Seen {
  open: boolean;
  /** When each feed row (by event id) first appeared in the DOM. */
  rows: Record<string, number>;
  /** After each DOM change: the inbox's done count and the manual ownership count as the page shows them. */
  counts: Array<{ at: number; done: number; manual: number }>;
}

/** Runs in the page before its scripts: records the stream opening and what changed when. */
function watchDashboard(): void {
  const seen: Seen = { open: false, rows: {}, counts: [] };
  (window as unknown as { seen: Seen }).seen = seen;
  const num = (selector: string) => Number((document.querySelector(selector)?.textContent ?? '').replace(/\D/g, '') || -1);
  document.addEventListener('htmx:sseOpen', () => {
    seen.open = true;
  });
  new MutationObserver(() => {
    const at = Date.now();
    for (const row of Array.from(document.querySelectorAll('tr[data-event]'))) {
      const id = row.getAttribute('data-event')!;
      seen.rows[id] ??= at;
    }
    seen.counts.push({ at, done: num('[data-stat="done"]'), manual: num('.legend [data-own="manual"]') });
  }).observe(document, { childList: true, subtree: true });
}

describe('live dashboard in a browser', () => {
  let h: LiveHarness;
  let browser: BrowserHarness;
  let page: Page;
  const db = () => h.app.database.sqlite;
  const seen = () => page.evaluate(() => (window as unknown as { seen: Seen }).seen);

  beforeAll(async () => {
    [h, browser] = await Promise.all([startLive({ tracks: 200, seed: 31 }), launchBrowser()]);
    await h.quiet();
    page = await browser.newPage(DESKTOP);
    page.setDefaultTimeout(10_000);
    await page.addInitScript(watchDashboard);
    await page.goto(`${h.url}/login?next=%2F`);
    await page.getByLabel('Password').fill(LIVE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${h.url}/`);
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows a rating made in Plex, named and linked, and the counts, within a second of the webhook', async () => {
    await expect.poll(async () => (await seen()).open).toBe(true);
    const manualBefore = Number((await page.locator('.legend [data-own="manual"]').textContent())!.replace(/\D/g, ''));
    const doneBefore = Number((await page.locator('[data-stat="done"]').textContent())!.replace(/\D/g, ''));
    // A track whose rating Sagewire inferred: the person takes it over (manual goes up by one). A rating
    // near μ leaves μ where it is (a move of μ would make the engine rewrite the library in a full pass).
    const rating = Math.round((h.app.live!.status().engine as { mu: number }).mu);
    const track = h.sim.state.tracks.find(
      (t) => !h.person.has(t.ratingKey) && Math.abs((h.sim.state.getRating(t.ratingKey) ?? rating) - rating) >= 1,
    )!;
    const previous = db().prepare('select coalesce(max(id), 0) from webhook_events').pluck().get() as number;
    await h.rate(track.ratingKey, rating);
    const theEvent = () =>
      db()
        .prepare("select id, received_at from webhook_events where id > ? and item_key = ? and event = 'media.rate' order by id limit 1")
        .get(previous, track.ratingKey) as { id: number; received_at: number } | undefined;
    await expect.poll(theEvent, { timeout: 10_000 }).toBeTruthy();
    const event = theEvent()!;

    // The row: the track's title, linking its Explorer page, and what applying the event did.
    const row = page.locator(`table.events tr[data-event="${event.id}"]`);
    const link = row.getByRole('link', { name: track.title, exact: true });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/explorer/item/${encodeURIComponent(track.ratingKey)}`);
    await expect.poll(async () => row.locator('.badge').textContent()).toBe('done');
    await expect.poll(async () => row.textContent()).toMatch(/\d+ writes?|you took over an inferred rating/);
    await h.quiet();

    const watched = await seen();
    const rowLatency = watched.rows[String(event.id)] - event.received_at;
    const counted = watched.counts.find((c) => c.done > doneBefore && c.manual === manualBefore + 1);
    expect(counted, `counts seen: ${JSON.stringify(watched.counts.slice(-5))}`).toBeDefined();
    const countLatency = counted!.at - event.received_at;
    const appliedAt = db().prepare('select processed_at from webhook_events where id = ?').pluck().get(event.id) as number;
    console.log(
      `live dashboard: row ${rowLatency} ms, counts ${countLatency} ms after the webhook was accepted ` +
        `(the engine applied it after ${appliedAt - event.received_at} ms)`,
    );
    expect(rowLatency).toBeGreaterThanOrEqual(0);
    expect(rowLatency).toBeLessThan(1000);
    expect(countLatency).toBeLessThan(1000);
    await browser.screenshot(page, 'live-dashboard-desktop');

    // The link leads to the item's page.
    await link.click();
    await page.waitForURL(`${h.url}/explorer/item/${encodeURIComponent(track.ratingKey)}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(track.title);
  }, 60_000);
});
