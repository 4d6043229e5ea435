// The first-run wizard over real HTTP on a temporary database: each step's state follows the tables and the
// settings (a sync, a webhook delivery, a dry run, a full pass), Plex's answer names a missing library or a
// refused token, "use polling instead" saves WEBHOOKS=off (and only with the CSRF token), and the Dashboard's
// hook sends a fresh install to the wizard exactly once.
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineRunsRepo } from '../../../src/db/engine-runs-repo.js';
import { fmt } from '../../../src/web/format.js';
import { statusService } from '../../../src/web/read-models/status.js';
import { firstRunOnDashboard } from '../../../src/web/services/first-run.js';
import type { PlexChecker } from '../../../src/web/services/plex-check.js';
import { settingsService } from '../../../src/web/services/settings.js';
import { Client, inlineCodeIn, startWeb, WEBHOOK_SECRET, type WebHarness } from './harness.js';

const PLEX_TOKEN = 'plex-token-welcome-0123456789';
const plexAsked: string[] = [];
const fakePlex: PlexChecker = async (url, token) => {
  plexAsked.push(url);
  return token === PLEX_TOKEN
    ? { ok: true, version: '1.41.0', machineIdentifier: 'abc123', libraries: [{ id: '3', title: 'Music' }] }
    : { ok: false, message: `Plex rejected PLEX_TOKEN at ${url} (401 Unauthorized on GET /identity); check the token` };
};

/** Each step's state as the page marks it, by step id. */
function states(html: string): Record<string, string> {
  return Object.fromEntries([...html.matchAll(/data-step="([\w-]+)" data-state="(\w+)"/g)].map((m) => [m[1], m[2]]));
}

/** The text of one step's item on the page. */
function step(html: string, id: string): string {
  const start = html.indexOf(`id="step-${id}"`);
  expect(start, `step ${id} on the page`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

/** The library cache as a sync leaves it: the section's bookkeeping row and two tracks. */
async function librarySynced(web: WebHarness): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await web.database.db.insertInto('sync_state').values({ section_id: 3, last_sync_at: now, last_full_sync_at: now }).execute();
  await web.database.db
    .insertInto('tracks')
    .values(
      ['101', '102'].map((key) => ({
        rating_key: key,
        album_key: '50',
        artist_key: '40',
        title: `T${key}`,
        album_title: 'A',
        artist_title: 'B',
      })),
    )
    .execute();
}

const settingRows = async (web: WebHarness) =>
  Object.fromEntries((await web.database.db.selectFrom('settings').select(['key', 'value']).execute()).map((r) => [r.key, r.value]));

describe('the first-run wizard', () => {
  let web: WebHarness | null = null;
  afterEach(async () => {
    await web?.close();
    web = null;
  });

  async function open(env: Record<string, string> = {}): Promise<{ web: WebHarness; client: Client; csrf: string }> {
    web = await startWeb(env, { checkPlex: fakePlex });
    const client = new Client(web.url);
    return { web, client, csrf: await client.signIn() };
  }

  it('a fresh install: Plex is current, the rest waits; the Dashboard hook opens the wizard once', async () => {
    const { web: w, client } = await open();
    const page = await client.get('/welcome');
    expect(page.status).toBe(200);
    expect(states(page.text)).toEqual({ plex: 'current', library: 'waiting', updates: 'waiting', 'dry-run': 'waiting', apply: 'waiting' });
    expect(step(page.text, 'plex')).toContain('href="/setup"');
    expect(step(page.text, 'plex')).toContain('does not know your Plex server yet');
    expect(page.text).toContain('0 of 5');
    expect(plexAsked).toEqual([]); // nothing to ask without a connection
    expect(inlineCodeIn(page.text)).toEqual([]);

    const settings = settingsService(w.database.db, w.config);
    const deps = {
      db: w.database.db,
      settings,
      status: statusService({ db: w.database.db, version: 'test', settings }),
      checkPlex: fakePlex,
    };
    const first = await firstRunOnDashboard(deps);
    expect(first.sendTo).toBe('/welcome');
    expect(first.steps.current).toBe('plex');
    expect((await settingRows(w)).FIRST_RUN_WIZARD_SEEN).toBe('1');
    const second = await firstRunOnDashboard(deps);
    expect(second.sendTo).toBeNull();
    expect(second.steps.current).toBe('plex');

    // The Dashboard's card lists the undone steps, each linking to its place in the wizard.
    const eta = new Eta({ views: fileURLToPath(new URL('../../../src/views/', import.meta.url)), autoEscape: true });
    const card = eta.render('partials/dashboard-steps', { page: { firstRun: second.steps }, fmt });
    expect([...card.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1])).toEqual([
      '/welcome#step-plex',
      '/welcome#step-library',
      '/welcome#step-updates',
      '/welcome#step-dry-run',
      '/welcome#step-apply',
    ]);
    expect(card).toContain('0 of 5 first-run steps done');
    await w.database.db.insertInto('settings').values({ key: 'WEBHOOKS', value: 'off', updated_at: Date.now() }).execute();
    const later = (await firstRunOnDashboard(deps)).steps;
    const fewer = eta.render('partials/dashboard-steps', { page: { firstRun: later }, fmt });
    expect(fewer).toContain('1 of 5 first-run steps done');
    expect(fewer).not.toContain('#step-updates');
    const allDone = { ...later, allDone: true };
    expect(eta.render('partials/dashboard-steps', { page: { firstRun: allDone }, fmt }).trim()).toBe('');
  });

  it('"use polling instead" needs the CSRF token, then saves WEBHOOKS=off and marks the step done', async () => {
    const { web: w, client, csrf } = await open({ PLEX_URL: 'http://plex.local:32400', PLEX_TOKEN });
    await librarySynced(w);
    expect(step((await client.get('/welcome')).text, 'updates')).toContain('Use polling instead');
    const before = await settingRows(w);
    const refused = await client.post('/welcome/polling', {});
    expect(refused.status).toBe(403);
    expect(await settingRows(w)).toEqual(before);

    const res = await client.post('/welcome/polling', { _csrf: csrf });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/welcome#step-updates');
    const rows = await settingRows(w);
    expect(rows.WEBHOOKS).toBe('off');
    expect(rows.FIRST_RUN_POLLING_CHOSEN).toBe('1');
    const page = await client.get('/welcome');
    expect(page.text).toContain('Polling chosen');
    // Choosing polling on the page is not something the page waits for: it is never reloaded for it.
    expect((await client.get('/welcome/progress?waiting=webhook')).headers.get('hx-refresh')).toBeNull();
    expect(states(page.text)).toMatchObject({ library: 'done', updates: 'done', 'dry-run': 'current' });
    expect(step(page.text, 'updates')).toContain('Polling: Sagewire asks Plex');
    expect(step(page.text, 'updates')).not.toContain('Use polling instead');
  });

  it('with WEBHOOKS fixed by the environment, polling is remembered and the page says the receiver stays on', async () => {
    const { web: w, client, csrf } = await open({ WEBHOOKS: 'on', PLEX_URL: 'http://plex.local:32400', PLEX_TOKEN });
    await librarySynced(w);
    const before = await client.get('/welcome');
    expect(states(before.text).updates).toBe('current');
    expect(step(before.text, 'updates')).toContain('WEBHOOKS is set in the environment');
    await client.post('/welcome/polling', { _csrf: csrf });
    const rows = await settingRows(w);
    expect(rows.WEBHOOKS).toBeUndefined();
    expect(rows.FIRST_RUN_POLLING_CHOSEN).toBe('1');
    const page = await client.get('/welcome');
    expect(page.text).toContain('the webhook URL keeps working too');
    expect(states(page.text).updates).toBe('done');
  });

  it('follows the tables: sync, a webhook delivery, a dry run, a full pass', async () => {
    const { web: w, client } = await open({ PLEX_URL: 'http://plex.local:32400', PLEX_TOKEN });
    const db = w.database.db;
    let page = await client.get('/welcome');
    expect(states(page.text)).toMatchObject({ plex: 'done', library: 'current' });
    expect(step(page.text, 'plex')).toContain('Connected: Plex answered just now.');
    expect(step(page.text, 'library')).toContain('is reading “Music” from Plex');
    expect(step(page.text, 'library')).toContain('href="/setup#plex_library"');
    expect(plexAsked).toContain('http://plex.local:32400');
    // While the library is read the page asks whether to reload; it stays until the step changes.
    expect(page.text).toContain('data-waiting="library"');
    const waiting = await client.get('/welcome/progress?waiting=library', { 'hx-request': 'true' });
    expect(waiting.status).toBe(204);
    expect(waiting.headers.get('hx-refresh')).toBeNull();
    const bad = await client.get('/welcome/progress?waiting=nowhere');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('waiting must be library or webhook');

    await librarySynced(w);
    expect((await client.get('/welcome/progress?waiting=library')).headers.get('hx-refresh')).toBe('true');
    page = await client.get('/welcome');
    expect(states(page.text)).toMatchObject({ library: 'done', updates: 'current' });
    expect(page.text).toContain('data-waiting="webhook"');
    expect((await client.get('/welcome/progress?waiting=webhook')).headers.get('hx-refresh')).toBeNull();
    expect(step(page.text, 'library')).toContain('2 tracks');
    expect(step(page.text, 'updates')).toContain(`${w.url}/webhooks/plex/${WEBHOOK_SECRET}`);
    expect(step(page.text, 'updates')).toContain('Use polling instead');

    await db
      .insertInto('webhook_events')
      .values({ received_at: Date.now(), event: 'media.rate', status: 'done', payload: '', attempts: 1 })
      .execute();
    page = await client.get('/welcome');
    expect(states(page.text)).toMatchObject({ updates: 'done', 'dry-run': 'current' });
    expect(step(page.text, 'updates')).toContain('Webhooks work: 1 delivery from Plex received.');
    expect((await client.get('/welcome/progress?waiting=webhook')).headers.get('hx-refresh')).toBe('true');
    expect(page.text).not.toContain('data-waiting');
    // The dry-run button is the Ratings page's job; without the rating engine it waits.
    expect(step(page.text, 'dry-run')).toContain('hx-post="/ratings/dry-run"');
    expect(step(page.text, 'dry-run')).toMatch(/<button type="submit" class="button" disabled>Start the dry run/);

    const runs = new EngineRunsRepo(w.database.sqlite);
    const failed = runs.start('dry');
    runs.finish(failed, 'failed', { planned: 9 }, 'Plex went away');
    expect(states((await client.get('/welcome')).text)['dry-run']).toBe('current'); // a failed dry run is not one
    const dry = runs.start('dry');
    runs.finish(dry, 'done', { planned: 2 });
    page = await client.get('/welcome');
    expect(states(page.text)).toMatchObject({ 'dry-run': 'done', apply: 'current' });
    expect(step(page.text, 'dry-run')).toContain(`Dry run ${dry} planned 2 changes; nothing was written.`);
    // Dry-run mode is off here: the apply step is a button to the Ratings page's apply.
    expect(step(page.text, 'apply')).toContain('<a class="button" href="/ratings#pass-title">Apply on the Ratings page</a>');

    const full = runs.start('full');
    runs.finish(full, 'done', { planned: 2, written: 2 });
    page = await client.get('/welcome');
    expect(Object.values(states(page.text))).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(step(page.text, 'apply')).toContain(`Full pass ${full} applied: 2 ratings written.`);
    expect(page.text).toContain('All five steps are done');
    expect(inlineCodeIn(page.text)).toEqual([]);
    expect(page.text).not.toContain(PLEX_TOKEN);
  });

  it('says which library Plex lacks, and when the saved token is refused', async () => {
    const { client } = await open({ PLEX_URL: 'http://plex.local:32400', PLEX_TOKEN, PLEX_MUSIC_LIBRARY: 'Musik' });
    const page = await client.get('/welcome');
    expect(states(page.text)).toMatchObject({ plex: 'done', library: 'current' });
    expect(step(page.text, 'library')).toContain(
      'Sagewire could not read “Musik”: Plex has no music library named “Musik” (it has “Music”).',
    );
    await web!.close();

    const other = await open({ PLEX_URL: 'http://plex.local:32400', PLEX_TOKEN: 'a-token-plex-refuses-000' });
    const refused = await other.client.get('/welcome');
    expect(states(refused.text)).toMatchObject({ plex: 'current' });
    expect(step(refused.text, 'plex')).toContain('The saved connection does not work now: Plex rejected PLEX_TOKEN');
    expect(refused.text).not.toContain('a-token-plex-refuses-000');
  });

  it('applied rating writes from the journal also complete the last step, with dry-run mode on', async () => {
    const { web: w, client } = await open({ DRY_RUN: 'true' });
    let page = await client.get('/welcome');
    expect(step(page.text, 'apply')).toContain('dry-run mode is on');
    const runs = new EngineRunsRepo(w.database.sqlite);
    const run = runs.start('event');
    await w.database.db
      .insertInto('write_journal')
      .values({ run_id: run, item_key: '101', kind: 'track', operation: 'rate', value_after: 7, status: 'applied', created_at: Date.now() })
      .execute();
    page = await client.get('/welcome');
    expect(states(page.text).apply).toBe('done');
    expect(step(page.text, 'apply')).toContain('Sagewire has written 1 rating to Plex.');
  });
});
