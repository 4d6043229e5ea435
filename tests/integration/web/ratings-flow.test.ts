// The Ratings page over HTTP against a real serve and the simulator: dry run → plan (filter, sort, page,
// CSV) → apply in the background → undo of that run; undo-all's typed confirmation. Every write checks
// that no manual rating was overwritten.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, startLive, type LiveHarness } from '../live/support/live-harness.js';
import { type Client, inlineCodeIn } from './harness.js';
import { expectManualRatingsKept, jobFinished, signedIn } from './rating-support.js';

describe('ratings pages', () => {
  let h: LiveHarness;
  let client: Client;
  let csrf: string;

  beforeAll(async () => {
    h = await startLive({ tracks: 400, seed: 11, fullPass: false });
    ({ client, csrf } = await signedIn(h));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('renders every rating page without inline code', async () => {
    for (const path of [
      '/ratings',
      '/ratings/plan',
      '/ratings/tools',
      '/ratings/attention',
      '/explorer',
      '/explorer?q=a',
      '/reports',
      '/reports?kind=album',
    ]) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      expect(inlineCodeIn(res.text), path).toEqual([]);
    }
  });

  it('runs a dry run, shows its plan, applies it, and undoes that run', async () => {
    const dry = await client.post('/ratings/dry-run', { _csrf: csrf });
    expect(dry.status).toBe(302);
    expect(await jobFinished(client)).toBe('done');
    expect(h.app.database.sqlite.prepare('select count(*) from write_journal').pluck().get()).toBe(0);
    const page = await client.get('/ratings');
    const planned = Number(/data-stat="planned">([\d,]+)/.exec(page.text)![1].replace(/,/g, ''));
    expect(planned).toBeGreaterThan(0);
    // Table headings are uppercase; ε keeps its case there (an uppercase Ε reads as E).
    const headings = [...page.text.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)].map((m) => m[1]);
    expect(headings).toContain('Moved by <span class="keep-case">ε</span> or more');
    for (const th of headings) expect(th.replace(/<span class="keep-case">[εμ]<\/span>/g, '')).not.toMatch(/[εμ]/);
    expect((await client.get('/static/app.css')).text).toContain('.keep-case { text-transform: none; }');

    const tracks = await client.get('/ratings/plan?kind=track&sort=after&dir=desc');
    expect(tracks.status).toBe(200);
    expect(tracks.text).toContain('aria-sort="descending"');
    const fragment = await client.get('/ratings/plan?kind=album&page=1', { 'HX-Request': 'true', 'HX-Target': 'plan-table' });
    expect(fragment.text.startsWith('<section id="plan-table"')).toBe(true);
    const csv = await client.get('/ratings/plan.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.trim().split('\n').length).toBe(planned + 1);

    const apply = await client.post('/ratings/apply', { _csrf: csrf }, { 'HX-Request': 'true' });
    expect(apply.status).toBe(200);
    expect(apply.text).toContain('hx-trigger="every 1s"');
    expect(await jobFinished(client)).toBe('done');
    expectManualRatingsKept(h);
    const runs = await client.get('/ratings');
    const runId = Number(/href="\/ratings\/runs\/(\d+)\/undo"/.exec(runs.text)![1]);
    expect(runs.text).toContain(`Applied by run ${runId} since it was made`);
    const written = h.app.database.sqlite
      .prepare("select count(*) from write_journal where run_id = ? and operation = 'rate' and status = 'applied'")
      .pluck()
      .get(runId) as number;
    expect(written).toBeGreaterThan(0);

    const confirm = await client.get(`/ratings/runs/${runId}/undo`);
    const items = h.app.database.sqlite
      .prepare(
        "select count(distinct item_key) from write_journal where run_id = ? and operation in ('rate', 'clear') and status = 'applied'",
      )
      .pluck()
      .get(runId) as number;
    expect(confirm.text).toContain(`data-undo-items="${items}"`);
    expect((await client.post(`/ratings/runs/${runId}/undo`, { _csrf: csrf })).status).toBe(302);
    expect(await jobFinished(client)).toBe('done');
    expectManualRatingsKept(h);
    // The dry run's plan was made before the undo: the page says it is out of date.
    const after = await client.get('/ratings');
    expect(after.text).toContain('data-plan-stale');
    expect(after.text).toMatch(/Made before run \d+ \(an undo\) changed ratings/);
    const undone = () =>
      h.app.database.sqlite.prepare('select count(*) from rating_state where written_value is not null').pluck().get() as number;
    expect(undone()).toBe(0);
    // Live propagation runs all along: the undo's clears, and echoes of the run's writes arriving late,
    // come back as webhooks and must not infer the cleared items again.
    const late = h.app.database.sqlite
      .prepare(
        'select item_key as key, kind, value_after as value from write_journal ' +
          "where run_id = ? and operation = 'rate' and status = 'applied' limit 20",
      )
      .all(runId) as Array<{ key: string; kind: string; value: number }>;
    const owner = { user: true, owner: true, Account: { id: 1, title: 'sim-owner' }, Server: { uuid: h.sim.machineIdentifier } };
    for (const w of late) {
      const meta = { ratingKey: w.key, type: w.kind, librarySectionType: 'artist', librarySectionID: h.sim.musicSectionId };
      expect((await postWebhook(h.webhookUrl, { event: 'media.rate', ...owner, rating: w.value, Metadata: meta })).status).toBe(200);
    }
    await h.quiet();
    expect(undone()).toBe(0);
    for (const w of late) expect(h.sim.state.getRating(w.key), w.key).toBeUndefined();
    expect(h.app.database.sqlite.prepare("select count(*) from engine_runs where kind = 'event'").pluck().get()).toBe(0);
  });

  it('asks for UNDO ALL typed before undoing everything', async () => {
    const wrong = await client.post('/ratings/undo-all', { _csrf: csrf, confirm: 'undo all' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Type UNDO ALL');
    expect((await client.post('/ratings/undo-all', { _csrf: csrf, confirm: 'UNDO ALL' })).status).toBe(302);
    expect(await jobFinished(client)).toBe('done');
    expectManualRatingsKept(h);
  });

  it('refuses a job without a CSRF token', async () => {
    expect((await client.post('/ratings/dry-run', {})).status).toBe(403);
  });
});
