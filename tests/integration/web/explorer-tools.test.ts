// The explorer, the reports and the rating tools over HTTP against a real serve and the simulator (after a
// first full pass): typo-tolerant search, an item's explanation in stars, CSV import with its validation
// report, recover from an uploaded plex_state.json (CSRF in the form's query), dead events, opt-outs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRatingModel, viewOfLiveModel } from '../../../src/web/read-models/ui-model.js';
import { waitUntil } from '../../support/wait.js';
import { startLive, type LiveHarness } from '../live/support/live-harness.js';
import type { Client } from './harness.js';
import { expectManualRatingsKept, jobFinished, multipart, postMultipart, signedIn } from './rating-support.js';

describe('explorer, reports and rating tools', () => {
  let h: LiveHarness;
  let client: Client;
  let csrf: string;

  beforeAll(async () => {
    h = await startLive({ tracks: 400, seed: 5 });
    ({ client, csrf } = await signedIn(h));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('finds an album with a typo in its title and explains its value in stars', async () => {
    const album = h.app.database.sqlite
      .prepare("select rating_key, title from albums where length(title) >= 8 and title not like 'Various%' order by rating_key limit 1")
      .get() as { rating_key: string; title: string };
    const word = album.title.split(/[^\p{L}]+/u).sort((a, b) => b.length - a.length)[0];
    const typo = word.slice(0, 2) + word[3] + word[2] + word.slice(4); // two letters swapped
    const res = await client.get(`/explorer?q=${encodeURIComponent(typo)}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`/explorer/item/${album.rating_key}`);
    const item = await client.get(`/explorer/item/${album.rating_key}`);
    expect(item.status).toBe(200);
    const line = /data-explain>([^<]+)</.exec(item.text)![1];
    expect(line).toMatch(/^album (\d+(\.\d+)?★ (=|is rated by hand))/);
    expect((await client.get('/explorer/item/no-such-key')).status).toBe(404);
  });

  it('pages read the live model: a rating made in Plex shows at once, and its values agree with a model built from scratch', async () => {
    const track = h.app.database.sqlite
      .prepare(
        'select t.rating_key from tracks t join rating_state s on s.item_key = t.rating_key ' +
          'where s.written_value is not null and t.duration_ms > 90000 order by t.rating_key limit 1',
      )
      .pluck()
      .get() as string;
    await h.rate(track, 2);
    await h.quiet();
    const page = await client.get(`/explorer/item/${track}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/data-stat="ownership">manual</);
    const live = viewOfLiveModel(h.app.live!.engine!.viewModel());
    const fresh = buildRatingModel(h.app.database.sqlite, live.params);
    expect(live.ownershipOf(track)).toBe('manual');
    const { artists, albums, tracks } = fresh.index.snapshot;
    const differing = [...artists, ...albums, ...tracks]
      .filter(({ key }) => live.ownershipOf(key) !== fresh.ownershipOf(key))
      .map((i) => i.key);
    expect(differing).toEqual([]);
    for (const kind of ['artists', 'albums', 'tracks'] as const) {
      let worst = 0;
      for (const [key, value] of fresh.values[kind]) worst = Math.max(worst, Math.abs((live.values[kind].get(key) ?? Number.NaN) - value));
      expect(worst, kind).toBeLessThan(0.05); // only μ's drift since the last full pass separates them
    }
  });

  it('shows each report', async () => {
    const res = await client.get('/reports');
    expect(res.text).toContain('data-report="coverage"');
    const tracks = Number(/<tr data-kind="track">[\s\S]*?data-total>([\d,]+)</.exec(res.text)![1].replace(/,/g, ''));
    expect(tracks).toBe(h.sim.state.tracks.length);
    expect(res.text).toContain('class="histogram"');
    expect(res.text).toContain('Twins inventory');
    expect(res.text).toContain('Dissenters');
    expect(res.text).toContain('Top artists');
  });

  it('reports after a rating show the new numbers (at once, or after the page refreshes itself)', async () => {
    const manualTracks = async () => {
      const res = await client.get('/reports');
      const row = /<tr data-kind="track">([\s\S]*?)<\/tr>/.exec(res.text)![1];
      return { text: res.text, manual: Number(/data-own="manual">([\d,]+)</.exec(row)![1].replace(/,/g, '')) };
    };
    let before = await manualTracks();
    while (before.text.includes('data-reports-stale')) before = await manualTracks();
    const track = h.app.database.sqlite
      .prepare(
        'select t.rating_key from tracks t join rating_state s on s.item_key = t.rating_key ' +
          'where s.written_value is not null and t.duration_ms > 90000 order by t.rating_key desc limit 1',
      )
      .pluck()
      .get() as string;
    await h.rate(track, 9);
    await h.quiet();
    const now = await waitUntil(async () => {
      const seen = await manualTracks();
      if (!seen.text.includes('data-reports-stale')) return seen;
      expect(seen.manual).toBe(before.manual); // the earlier numbers, said to be earlier, with a self-refresh
      expect(seen.text).toContain('hx-trigger="load delay:1s"');
      return null;
    }, 'the reports to be computed anew');
    expect(now.text).not.toContain('data-reports-stale');
    expect(now.manual).toBe(before.manual + 1);
  });

  it('checks an import before applying it, then applies only the valid rows', async () => {
    const track = h.app.database.sqlite
      .prepare(
        'select t.rating_key from tracks t left join rating_state s on s.item_key = t.rating_key ' +
          'where t.user_rating is null and s.item_key is null limit 1',
      )
      .pluck()
      .get() as string | undefined;
    const target =
      track ??
      (h.app.database.sqlite.prepare('select item_key from rating_state where written_value is not null limit 1').pluck().get() as string);
    const csv = `ratingKey,rating,ownership\n${target},3.5,manual\nnope,4,manual\n`;
    const checked = await postMultipart(
      client,
      `/ratings/import?_csrf=${encodeURIComponent(csrf)}`,
      multipart({}, { field: 'csv', name: 'r.csv', text: csv, type: 'text/csv' }),
    );
    expect(checked.status).toBe(422);
    expect(checked.text).toContain('data-stat="valid-rows">1<');
    expect(checked.text).toContain('unknown ratingKey');
    const id = /name="id" value="([^"]+)"/.exec(checked.text)![1];
    expect((await client.post('/ratings/import/apply', { _csrf: csrf, id })).status).toBe(422);
    expect((await client.post('/ratings/import/apply', { _csrf: csrf, id, apply_valid: '1' })).status).toBe(302);
    expect(await jobFinished(client)).toBe('done');
    expect(h.sim.state.getRating(target)).toBe(7);
    h.person.set(target, 7);
    expectManualRatingsKept(h);
  });

  it('recovers from an uploaded plex_state.json; the token must be in the query', async () => {
    const form = () =>
      multipart(
        { dry_run: '1' },
        { field: 'state_file', name: 'plex_state.json', text: JSON.stringify({ version: 1, ratings: {} }), type: 'application/json' },
      );
    expect((await postMultipart(client, '/ratings/recover', form())).status).toBe(403);
    const ok = await postMultipart(client, `/ratings/recover?_csrf=${encodeURIComponent(csrf)}`, form());
    expect(ok.status).toBe(302);
    expect(await jobFinished(client)).toBe('done');
    expect((await client.get('/ratings/tools')).text).toContain('0 candidates');
  });

  it('retries a dead-lettered event and re-enables an opted-out item', async () => {
    const db = h.app.database.sqlite;
    const eventId = Number(
      db
        .prepare(
          'insert into webhook_events (received_at, event, status, payload, attempts, last_error) ' +
            "values (?, 'media.rate', 'dead', '{}', 8, 'boom')",
        )
        .run(Date.now()).lastInsertRowid,
    );
    expect((await client.get('/ratings/attention')).text).toContain('boom');
    expect((await client.post('/ratings/dead/retry', { _csrf: csrf, id: String(eventId) })).status).toBe(302);
    expect(db.prepare('select status from webhook_events where id = ?').pluck().get(eventId)).not.toBe('dead');

    const key = db
      .prepare("select item_key from rating_state where kind = 'track' and written_value is not null limit 1")
      .pluck()
      .get() as string;
    db.prepare(
      'insert or replace into rating_state (item_key, kind, written_value, opted_out, run_id, updated_at) ' +
        "values (?, 'track', null, 1, null, ?)",
    ).run(key, Date.now());
    expect((await client.get('/ratings/attention')).text).toContain(`value="${key}"`);
    expect((await client.post('/ratings/opted-out/enable', { _csrf: csrf, key })).status).toBe(302);
    expect(db.prepare('select count(*) from rating_state where item_key = ?').pluck().get(key)).toBe(0);
  });

  it('after the runs made from the pages, the live model (refreshed from the journal) agrees with one built from scratch', async () => {
    await h.quiet();
    const engine = h.app.live!.engine!;
    const live = viewOfLiveModel(engine.viewModel());
    const fresh = buildRatingModel(h.app.database.sqlite, live.params);
    const { artists, albums, tracks } = fresh.index.snapshot;
    expect(
      [...artists, ...albums, ...tracks].filter(({ key }) => live.ownershipOf(key) !== fresh.ownershipOf(key)).map((i) => i.key),
    ).toEqual([]);
    for (const kind of ['artists', 'albums', 'tracks'] as const) {
      expect([...live.values[kind].keys()].sort(), kind).toEqual([...fresh.values[kind].keys()].sort());
      let worst = 0;
      for (const [key, value] of fresh.values[kind]) worst = Math.max(worst, Math.abs(live.values[kind].get(key)! - value));
      expect(worst, kind).toBeLessThan(1e-9);
    }
    expect(engine.model.buildPhases.load).toBe(0); // it was refreshed item by item, not reloaded
  });
});
