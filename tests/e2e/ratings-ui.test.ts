// The rating pages in Chromium against a real serve and the Plex simulator (which sends real webhooks):
// a dry run (nothing written), its plan (sort, filter), apply, the dashboard's numbers against the
// simulator, /api/status and the cache, the explorer (typo search → item → the formula in stars), each
// report, undo of the applied run (the simulator gets back exactly what it held), an event rated in
// "Plex" arriving in the live feed and undone with the keyboard, and every page on a phone without
// horizontal scrolling. No manual rating is ever overwritten; screenshots go to test-artifacts/.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deriveOwnership } from '../../src/domain/rating/index.js';
import { fmt } from '../../src/web/format.js';
import { API_TOKEN, startLive, type LiveHarness } from '../integration/live/support/live-harness.js';
import { expectManualRatingsKept, LIVE_PASSWORD } from '../integration/web/rating-support.js';
import { DESKTOP, launchBrowser, PHONE, type BrowserHarness } from '../support/browser.js';

/** Every rating the simulator holds for the owner, by key. */
function simRatings(h: LiveHarness): Map<string, number> {
  const out = new Map<string, number>();
  for (const list of [h.sim.state.artists, h.sim.state.albums, h.sim.state.tracks]) {
    for (const item of list) {
      const rating = h.sim.state.getRating(item.ratingKey);
      if (rating !== undefined) out.set(item.ratingKey, rating);
    }
  }
  return out;
}

function diff(before: Map<string, number>, after: Map<string, number>): string[] {
  const out: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(key) !== after.get(key)) out.push(`${key}: ${before.get(key)} → ${after.get(key)}`);
  }
  return out;
}

/** Presses Tab until the element matching `selector` has the focus (proves it is reachable by keyboard). */
async function tabTo(page: Page, selector: string, max = 250): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  throw new Error(`${selector} not reached with Tab`);
}

/** The page is no wider than the viewport (wide tables scroll inside their own container). */
async function expectNoHorizontalScroll(page: Page, name: string): Promise<void> {
  const { scroll, width, offenders } = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const offenders = Array.from(document.querySelectorAll('body *'))
      .filter(
        (el) =>
          (el.getBoundingClientRect().right > width + 0.5 ||
            (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible')) &&
          !el.parentElement?.closest('.table-wrap'),
      )
      .slice(0, 5)
      .map(
        (el) =>
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${Array.from(el.classList).join('.')} ` +
          `(${Math.round(el.getBoundingClientRect().right)}px)`,
      );
    return { scroll: document.documentElement.scrollWidth, width, offenders };
  });
  expect(scroll, `${name}: page is ${scroll}px wide in a ${width}px viewport: ${offenders.join(', ')}`).toBeLessThanOrEqual(width);
}

describe('rating pages in a browser', () => {
  let h: LiveHarness;
  let browser: BrowserHarness;
  let page: Page;
  let original: Map<string, number>;
  let appliedRun = 0;
  let eventTrack = '';
  let rating = 0;
  let eventWrites: string[] = [];

  const db = () => h.app.database.sqlite;
  const latestRun = () =>
    db().prepare('select id, kind, status from engine_runs order by id desc limit 1').get() as
      | { id: number; kind: string; status: string }
      | undefined;
  /** Waits until the job the page started has finished and the live engine is quiet. */
  const jobDone = async (kind: string) => {
    const status = () =>
      db().prepare('select status from engine_runs where kind = ? order by id desc limit 1').pluck().get(kind) as string | undefined;
    await expect.poll(status, { timeout: 20_000 }).toBe('done');
    await h.quiet();
  };

  beforeAll(async () => {
    [h, browser] = await Promise.all([startLive({ tracks: 400, seed: 21, fullPass: false }), launchBrowser()]);
    await h.quiet();
    original = simRatings(h);
    page = await browser.newPage(DESKTOP);
    page.setDefaultTimeout(10_000);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${h.url}/login?next=%2Fratings`);
    await page.getByLabel('Password').fill(LIVE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${h.url}/ratings`);
  });

  afterEach(() => browser.assertNoConsoleErrors());

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('runs a dry run: nothing is written, the plan is counted, sorted and filtered', async () => {
    await page.getByRole('button', { name: 'Dry run' }).click();
    // The job panel polls; when the job is done the page reloads with the plan.
    await page.locator('[data-stat="planned"]').waitFor({ timeout: 30_000 });
    const planned = Number((await page.locator('[data-stat="planned"]').textContent())!.replace(/\D/g, ''));
    expect(planned).toBeGreaterThan(0);
    expect(diff(original, simRatings(h))).toEqual([]);
    expect(db().prepare('select count(*) from write_journal').pluck().get()).toBe(0);
    expect(await page.locator('[data-job-state]').getAttribute('data-job-state')).toBe('done');
    await browser.screenshot(page, 'ratings-dry-run-desktop');

    await page.getByRole('link', { name: 'See every change' }).click();
    await page.waitForURL(`${h.url}/ratings/plan`);
    expect(await page.locator('[data-stat="matching"]').textContent()).toBe(fmt.number(planned));
    await page.getByRole('link', { name: 'Change' }).click();
    await expect.poll(() => page.locator('th:has(a:text-is("Change"))').getAttribute('aria-sort')).toBe('ascending');
    await page.getByRole('link', { name: /^Change/ }).click();
    await expect.poll(() => page.locator('th:has(a:has-text("Change"))').getAttribute('aria-sort')).toBe('descending');
    expect(page.url()).toContain('sort=change');
    await page.getByLabel('Kind').selectOption('album');
    const albums = db().prepare('select count(*) from albums').pluck().get() as number;
    await expect
      .poll(async () => Number((await page.locator('[data-stat="matching"]').textContent())!.replace(/\D/g, '')))
      .toBeLessThanOrEqual(albums);
    const kinds = await page.locator('table.plan tbody tr td:first-child').allTextContents();
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['album']));
    await browser.screenshot(page, 'ratings-plan-desktop');
  });

  it('applies the plan: Plex gets the planned values, manual ratings are untouched', async () => {
    await page.goto(`${h.url}/ratings`);
    await page.getByRole('button', { name: 'Apply: run a full pass' }).click(); // hx-confirm → accepted
    await page.locator('a[aria-label^="Undo run"]').first().waitFor({ timeout: 30_000 });
    await jobDone('full');
    appliedRun = latestRun()!.id;
    // The last value the run journaled for each item is what Plex holds now.
    const writes = db()
      .prepare(
        'select item_key, value_after from write_journal where id in ' +
          "(select max(id) from write_journal where run_id = ? and operation = 'rate' and status = 'applied' group by item_key)",
      )
      .all(appliedRun) as Array<{ item_key: string; value_after: number }>;
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) expect(h.sim.state.getRating(w.item_key), w.item_key).toBeCloseTo(w.value_after, 6);
    expect(writes.filter((w) => h.person.has(w.item_key))).toEqual([]);
    expectManualRatingsKept(h);
    await page.reload();
    expect(await page.locator(`tr[data-run="${appliedRun}"] .badge`).textContent()).toBe('done');
    await browser.screenshot(page, 'ratings-applied-desktop');
  });

  it('shows on the dashboard the numbers of the simulator, /api/status and the cache', async () => {
    await page.goto(h.url);
    const stat = async (name: string) => (await page.locator(`[data-stat="${name}"]`).textContent())!.trim();
    const own = async (name: string, kind = 'tracks') =>
      Number((await page.locator(`tr[data-kind="${kind}"] [data-own="${name}"]`).textContent())!.replace(/\D/g, ''));
    expect(await stat('artists')).toBe(fmt.number(h.sim.state.artists.length));
    expect(await stat('albums')).toBe(fmt.number(h.sim.state.albums.length));
    expect(await stat('tracks')).toBe(fmt.number(h.sim.state.tracks.length));

    const status = (await (await fetch(`${h.url}/api/status`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json()) as {
      library: { tracks: number };
      ownership: Record<'artists' | 'albums' | 'tracks' | 'total', { manual: number; inferred: number; unrated: number; optedOut: number }>;
      model: { mu: number; epsilon: number; runId: number };
    };
    const shown = {
      manual: await own('manual'),
      inferred: await own('inferred'),
      unrated: await own('unrated'),
      optedOut: await own('opted-out'),
    };
    expect(shown).toEqual(status.ownership.tracks);
    for (const kind of ['artists', 'albums', 'total'] as const) {
      expect({
        manual: await own('manual', kind),
        inferred: await own('inferred', kind),
        unrated: await own('unrated', kind),
        optedOut: await own('opted-out', kind),
      }).toEqual(status.ownership[kind]);
    }
    // The cache, judged by the same rule as the full pass: Plex's rating against what Sagewire wrote.
    const rows = db()
      .prepare(
        'select t.rating_key as key, t.user_rating as current, s.written_value as written, s.opted_out as opted ' +
          'from tracks t left join rating_state s on s.item_key = t.rating_key',
      )
      .all() as Array<{ key: string; current: number | null; written: number | null; opted: number | null }>;
    const cache = { manual: 0, inferred: 0, unrated: 0, optedOut: 0 };
    for (const r of rows) {
      const { ownership } = deriveOwnership({ written: r.written, optedOut: r.opted === 1, current: r.current });
      cache[ownership === 'opted_out' ? 'optedOut' : ownership] += 1;
    }
    expect(shown).toEqual(cache);
    // The simulator: every track the person rated is manual, every other rated track was inferred.
    const tracks = h.sim.state.tracks;
    const manual = tracks.filter((t) => h.person.has(t.ratingKey)).length;
    const rated = tracks.filter((t) => h.sim.state.getRating(t.ratingKey) !== undefined).length;
    expect(shown.manual).toBe(manual);
    expect(shown.inferred).toBe(rated - manual);
    expect(shown.unrated + shown.optedOut).toBe(tracks.length - rated);
    expect(await page.locator('svg.ownership-bar').getAttribute('aria-label')).toContain(`${status.ownership.total.manual} manual`);

    const run = db().prepare('select id, mu, epsilon from engine_runs where mu is not null order by id desc limit 1').get() as {
      id: number;
      mu: number;
      epsilon: number;
    };
    expect(status.model).toEqual({ mu: run.mu, epsilon: run.epsilon, runId: run.id });
    expect(await stat('mu')).toBe(`${fmt.stars(run.mu)} (${fmt.points(run.mu)})`);
    expect(await stat('epsilon')).toBe(fmt.points(run.epsilon, 3));
    await browser.screenshot(page, 'dashboard-after-pass-desktop');
  });

  it('explorer: a typo finds the album; its page explains the value in stars', async () => {
    // An album the model infers from tracks you rated.
    const album = db()
      .prepare(
        `select a.rating_key, a.title from albums a join rating_state r on r.item_key = a.rating_key and r.written_value is not null
       where length(a.title) >= 8 and a.title not like 'Various%'
         and (select count(*) from tracks t where t.album_key = a.rating_key and t.user_rating is not null
              and not exists (select 1 from rating_state s where s.item_key = t.rating_key and s.written_value is not null)) >= 2
       order by a.rating_key limit 1`,
      )
      .get() as { rating_key: string; title: string };
    const word = album.title.split(/[^\p{L}]+/u).sort((a, b) => b.length - a.length)[0];
    const typo = word.slice(0, 2) + word[3] + word[2] + word.slice(4);
    await page.goto(`${h.url}/explorer`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q'); // autofocus: type at once
    await page.keyboard.type(typo, { delay: 20 });
    const link = page.locator(`#search-results a[href="/explorer/item/${album.rating_key}"]`);
    await link.waitFor({ timeout: 10_000 });
    expect(page.url()).toContain(`q=${encodeURIComponent(typo)}`);
    await browser.screenshot(page, 'explorer-search-desktop');

    await link.click();
    await page.waitForURL(`${h.url}/explorer/item/${album.rating_key}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(album.title);
    const line = (await page.locator('[data-explain]').textContent())!;
    expect(line).toMatch(/^album \d+(\.\d+)?★ = \(.*★.*\) \/ \(.*\)/);
    const inPlex = h.sim.state.getRating(album.rating_key);
    expect(await page.locator('[data-stat="rating"]').textContent()).toBe(fmt.stars(inPlex));
    expect(inPlex).toBeDefined();
    expect(await page.locator('[data-stat="ownership"]').textContent()).toBe('inferred');
    // What Sagewire would write is the value the formula ends with, and what the pass wrote.
    const target = (await page.locator('[data-stat="target"]').textContent())!;
    // The formula's arithmetic holds (to the rounding of its terms), and its value, on the grid, is what Plex holds.
    const [, value, numerator, denominator] = /^album ([\d.]+)★ = \((.+)\) \/ \((.+)\)/.exec(line)!;
    const sum = numerator.split(' + ').reduce((n, term) => {
      const m = /^(?:([\d.]+) × )?([\d.]+)★$/.exec(term)!;
      return n + Number(m[1] ?? 1) * Number(m[2]);
    }, 0);
    const weight = denominator.split(' + ').reduce((n, term) => n + Number(term), 0);
    expect(Math.abs(sum / weight - Number(value))).toBeLessThan(0.02);
    expect(Math.abs(Number(value) - inPlex! / 2)).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(target).toBe(fmt.stars(inPlex));
    await browser.screenshot(page, 'explorer-item-desktop');

    // Keyboard: from the item page, the breadcrumb's link back to the explorer works with Tab and Enter.
    await tabTo(page, '.breadcrumb a[href="/explorer"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${h.url}/explorer`);
  });

  it('shows each report: coverage, histograms per kind, twins, dissenters, top and bottom', async () => {
    await page.goto(`${h.url}/reports`);
    // Numbers older than the last change are marked and the page refreshes itself until they are current.
    await page.locator('[data-reports-stale]').waitFor({ state: 'detached', timeout: 10_000 });
    const cell = async (kind: string, own: string) =>
      Number((await page.locator(`tr[data-kind="${kind}"] [data-own="${own}"]`).textContent())!.replace(/\D/g, ''));
    const total = async (kind: string) =>
      Number((await page.locator(`tr[data-kind="${kind}"] [data-total]`).textContent())!.replace(/\D/g, ''));
    expect(await total('track')).toBe(h.sim.state.tracks.length);
    expect(await total('album')).toBe(h.sim.state.albums.length);
    expect(await total('artist')).toBe(h.sim.state.artists.length);
    expect(await cell('track', 'manual')).toBe(h.sim.state.tracks.filter((t) => h.person.has(t.ratingKey)).length);
    expect(await cell('album', 'manual')).toBe(h.sim.state.albums.filter((a) => h.person.has(a.ratingKey)).length);
    expect(await cell('track', 'inferred')).toBe(
      h.sim.state.tracks.filter((t) => !h.person.has(t.ratingKey) && h.sim.state.getRating(t.ratingKey) !== undefined).length,
    );

    // Histograms: SVG bars of manual ratings and inferred values; the numbers table agrees with the bars' titles.
    const histogram = page.locator('svg.histogram');
    expect(await histogram.isVisible()).toBe(true);
    const manualSum = async () =>
      (await page.locator('#histograms tbody tr td:nth-child(2)').allTextContents()).reduce((n, t) => n + Number(t), 0);
    expect(await manualSum()).toBe(await cell('track', 'manual'));
    for (const kind of ['album', 'artist']) {
      await page
        .locator('#histograms')
        .getByRole('link', { name: `${kind}s`, exact: true })
        .click();
      await page.waitForURL(`${h.url}/reports?kind=${kind}#histograms`);
      expect(await page.locator('#hist-title').textContent()).toBe(`Rating histogram: ${kind}s`);
      expect(await manualSum()).toBe(await cell(kind, 'manual'));
      await browser.screenshot(page, `reports-histogram-${kind}`, { fullPage: false });
    }

    // Twins: the simulator's repeated recordings (best-ofs, compilations, live) form clusters of two or more.
    const clusters = Number((await page.locator('[data-stat="twin-clusters"]').textContent())!.replace(/\D/g, ''));
    const twinTracks = Number((await page.locator('[data-stat="twin-tracks"]').textContent())!.replace(/\D/g, ''));
    expect(clusters).toBeGreaterThan(0);
    expect(twinTracks).toBeGreaterThanOrEqual(2 * clusters);
    expect(twinTracks).toBeLessThanOrEqual(h.sim.state.tracks.length);
    expect(await page.locator('#dissenters h2').textContent()).toContain('Dissenters');
    expect(await page.locator('#top ol.ranked').count()).toBe(4);
    expect(await page.locator('#top ol.ranked').first().locator('li').count()).toBeGreaterThan(0);
    // Top artists are sorted by rating, best first.
    const ratings = (await page.locator('#top ol.ranked').first().locator('.result-rating').allTextContents()).map((t) =>
      Number.parseFloat(t),
    );
    expect(ratings).toEqual([...ratings].sort((a, b) => b - a));
    await page.goto(`${h.url}/reports`);
    await browser.screenshot(page, 'reports-desktop');
  });

  it('an event rated in Plex appears in the live feed with what it did, and is undone with the keyboard', async () => {
    await page.goto(h.url);
    const before = simRatings(h);
    // A track whose rating Sagewire inferred, on an album it inferred: the person takes the track over, and
    // Sagewire recomputes the album (and the artist) around the new rating.
    const inferred = (key: string) => !h.person.has(key) && before.get(key) !== undefined;
    // A rating near μ leaves μ where it is (a move of μ would make the engine run a full pass instead).
    const mu = (h.app.live!.status().engine as { mu: number }).mu;
    rating = Math.round(mu);
    const track = h.sim.state.tracks.find(
      (t) =>
        inferred(t.ratingKey) &&
        inferred(t.albumKey) &&
        Math.abs(before.get(t.ratingKey)! - rating) >= 1.5 &&
        Math.abs(before.get(t.albumKey)! - rating) >= 1,
    )!;
    eventTrack = track.ratingKey;
    const lastEvent = () =>
      (db().prepare("select max(id) from webhook_events where event = 'media.rate'").pluck().get() as number | null) ?? 0;
    const previous = lastEvent();
    await h.rate(track.ratingKey, rating); // POST /__sim/user-rate: Plex stores it and sends media.rate to Sagewire
    // The person's event (the writes it causes come back as echoes right after it).
    const theEvent = () =>
      db()
        .prepare("select min(id) from webhook_events where event = 'media.rate' and id > ? and item_key = ?")
        .pluck()
        .get(previous, track.ratingKey) as number | null;
    await expect.poll(theEvent, { timeout: 10_000 }).not.toBeNull();
    const eventId = theEvent()!;
    await h.quiet();
    // The feed polls every few seconds: the event shows up without a reload.
    const row = page.locator(`table.events tr[data-event="${eventId}"]`);
    await expect
      .poll(async () => ((await row.count()) > 0 ? await row.textContent() : '') ?? '', { timeout: 15_000 })
      .toMatch(new RegExp(`media\\.rate[\\s\\S]*track · ${fmt.stars(rating).replace('.', '\\.')}[\\s\\S]*\\d+ writes?`));
    expect(await row.locator('.badge').textContent()).toBe('done');
    await browser.screenshot(page, 'dashboard-live-event-desktop');

    const runId = db().prepare('select run_id from webhook_events where id = ?').pluck().get(eventId) as number;
    const writes = db()
      .prepare(
        'select item_key, value_before from write_journal where id in ' +
          "(select min(id) from write_journal where run_id = ? and operation = 'rate' and status = 'applied' group by item_key)",
      )
      .all(runId) as Array<{ item_key: string; value_before: number | null }>;
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.map((w) => w.item_key)).toEqual(expect.arrayContaining([track.albumKey]));
    eventWrites = writes.map((w) => w.item_key);

    // Keyboard only: Tab to the event's undo link, Enter; Tab to the confirmation button, Enter.
    await tabTo(page, `a[href="/ratings/events/${eventId}/undo"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${h.url}/ratings/events/${eventId}/undo`);
    await tabTo(page, 'button.button-danger');
    await browser.screenshot(page, 'undo-event-focused', { fullPage: false });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ratings#job$/);
    await jobDone('undo');
    await page.locator('[data-job-state="done"]').waitFor(); // the panel reloads the page when the job is done
    await page.waitForLoadState('load');
    for (const w of writes) expect(h.sim.state.getRating(w.item_key) ?? null, w.item_key).toBe(w.value_before);
    expect(h.sim.state.getRating(track.ratingKey)).toBe(rating); // the person's rating stays
    expectManualRatingsKept(h);
    // The feed no longer offers to undo it again, and says it was undone.
    await page.goto(`${h.url}/`);
    const undone = page.locator(`table.events tr[data-event="${eventId}"]`);
    await undone.waitFor();
    expect(await undone.locator(`a[href="/ratings/events/${eventId}/undo"]`).count()).toBe(0);
    expect(await undone.textContent()).toMatch(/undone/);
  }, 60_000);

  it('undoes the applied run: Plex gets back what it held before, but for the rating the person made since and what a later run rewrote', async () => {
    await page.goto(`${h.url}/ratings`);
    await page.getByRole('link', { name: `Undo run ${appliedRun}` }).click();
    await page.waitForURL(`${h.url}/ratings/runs/${appliedRun}/undo`);
    const items = db()
      .prepare(
        "select count(distinct item_key) from write_journal where run_id = ? and operation in ('rate', 'clear') and status = 'applied'",
      )
      .pluck()
      .get(appliedRun) as number;
    expect(await page.locator('[data-undo-items]').getAttribute('data-undo-items')).toBe(String(items));
    await browser.screenshot(page, 'undo-confirm-desktop');
    await page.getByRole('button', { name: /^Yes, undo/ }).click();
    await page.waitForURL(/\/ratings#job$/);
    await jobDone('undo');
    await page.locator('[data-job-state="done"]').waitFor(); // the panel reloads the page when the job is done
    await page.waitForLoadState('load');
    // Everything is as before the pass, except the track the person rated since (the undo left it alone) and
    // the items the event's run rewrote: their last write belongs to the undo of that event, so undoing the
    // pass leaves them alone and says so (counts.leftAlone).
    const changed = diff(original, simRatings(h));
    expect(changed).toContain(`${eventTrack}: ${original.get(eventTrack)} → ${rating}`);
    const unexpected = changed.map((line) => line.split(':')[0]).filter((key) => key !== eventTrack && !eventWrites.includes(key));
    expect(unexpected).toEqual([]);
    const undoRun = db().prepare("select counts from engine_runs where kind = 'undo' order by id desc limit 1").pluck().get() as string;
    expect(JSON.parse(undoRun).leftAlone).toBeGreaterThanOrEqual(changed.length);
    expectManualRatingsKept(h);
    await page.goto(`${h.url}/ratings`);
    await browser.screenshot(page, 'ratings-undone-desktop');
  });

  it('every rating page fits a phone (tables scroll inside their card) and reads on a desktop', async () => {
    const phone = await browser.newPage(PHONE);
    await phone.goto(`${h.url}/login`);
    await phone.getByLabel('Password').fill(LIVE_PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.waitForURL(`${h.url}/`);
    const item = db()
      .prepare('select album_key from tracks where user_rating is not null order by rating_key limit 1')
      .pluck()
      .get() as string;
    const artist = db().prepare('select artist_key from albums group by artist_key order by count(*) desc limit 1').pluck().get() as string;
    const pages: Array<[string, string]> = [
      ['dashboard', '/'],
      ['ratings', '/ratings'],
      ['ratings-plan', '/ratings/plan?sort=change&dir=desc'],
      ['ratings-tools', '/ratings/tools'],
      ['ratings-attention', '/ratings/attention'],
      ['explorer', '/explorer?q=love'],
      ['explorer-album', `/explorer/item/${item}`],
      ['explorer-artist', `/explorer/item/${artist}`],
      ['reports', '/reports'],
      ['undo-confirm', `/ratings/runs/${appliedRun}/undo`],
    ];
    for (const [name, path] of pages) {
      await phone.goto(h.url + path);
      await browser.screenshot(phone, `${name}-phone`);
      await expectNoHorizontalScroll(phone, name);
    }
    for (const [name, path] of pages.filter(([n]) => ['ratings-tools', 'ratings-attention', 'explorer-artist'].includes(n))) {
      await page.goto(h.url + path);
      await browser.screenshot(page, `${name}-desktop`);
      await expectNoHorizontalScroll(page, name);
    }
  });
});
