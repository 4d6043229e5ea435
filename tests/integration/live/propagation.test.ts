// End to end: the simulator sends real multipart webhooks to a real `serve`; a rating reaches its album,
// artist and tracks; echoes die out; clears opt out or re-infer; new music is inferred; status shows it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineStore } from '../../../src/engine/core/engine-store.js';
import { optInItems } from '../../../src/engine/tools/opt-in.js';
import { LiveModel } from '../../../src/engine/live/live-model.js';
import { buildRatingModel, viewOfLiveModel } from '../../../src/web/read-models/ui-model.js';
import { undoWrites } from '../../../src/engine/tools/undo.js';
import { waitUntil } from '../../support/wait.js';
import { API_TOKEN, postWebhook, simControl, startLive, type LiveHarness } from './support/live-harness.js';
import { disagreements, overwrittenManualRatings, subtreeKeys } from './support/full-pass-check.js';

/** An unrated track of a regular (non-compilation) artist with at least two albums. */
function pickTrack(h: LiveHarness, skip: ReadonlySet<string> = new Set()): { key: string; artistKey: string } {
  for (const artist of h.sim.state.artists) {
    if (/various artists/i.test(artist.title) || skip.has(artist.ratingKey)) continue;
    const albums = h.sim.state.albumsByArtist.get(artist.ratingKey) ?? [];
    if (albums.length < 2) continue;
    const track = albums
      .flatMap((a) => h.sim.state.tracksByAlbum.get(a.ratingKey) ?? [])
      .find((t) => !h.person.has(t.ratingKey) && t.duration > 90_000);
    if (track) return { key: track.ratingKey, artistKey: artist.ratingKey };
  }
  throw new Error('no suitable track');
}

const events = (h: LiveHarness) =>
  h.app.database.sqlite
    .prepare('select id, event, status, ignore_reason, item_key, outcome, run_id from webhook_events order by id')
    .all() as Array<{
    id: number;
    event: string;
    status: string;
    ignore_reason: string | null;
    item_key: string | null;
    outcome: string | null;
    run_id: number | null;
  }>;

describe('live propagation (serve + simulator webhooks)', () => {
  let h: LiveHarness;
  const used = new Set<string>();
  beforeAll(async () => {
    h = await startLive({ tracks: 600, seed: 3 });
  });
  afterAll(() => h?.close());

  it('a person rates a track: once its event is applied, the album, artist and inheriting tracks hold what a full pass from scratch writes', async () => {
    const { key, artistKey } = pickTrack(h);
    used.add(artistKey);
    await h.rate(key, 10);
    const subtree = subtreeKeys(h.sim, artistKey);
    // The event's own writes are done when it is; its echoes may still be on their way.
    await waitUntil(() => {
      h.app.moveReceived();
      return h.app.database.sqlite
        .prepare("select status from webhook_events where item_key = ? and event = 'media.rate' and status in ('done', 'dead')")
        .pluck()
        .get(key);
    }, 'the rating event to be applied');
    const problems = disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: subtree, slack: 0.05 }).filter(
      (p) => subtree.has(p.split(/[ :]/)[0]) || p.startsWith('manual'),
    );
    expect(problems.slice(0, 5)).toEqual([]);
    await h.quiet();
    expect(disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: subtree, slack: 0.05 }).slice(0, 5)).toEqual([]);
    const applied = events(h).find((e) => e.item_key === key && e.event === 'media.rate')!;
    expect(applied.status).toBe('done');
    expect(JSON.parse(applied.outcome!).writes).toBeGreaterThan(0);
    // The event is linked to its journaled writes (undo one event).
    const run = h.app.database.sqlite.prepare('select kind, event_id, status from engine_runs where id = ?').get(applied.run_id) as Record<
      string,
      unknown
    >;
    expect(run).toEqual({ kind: 'event', event_id: applied.id, status: 'done' });
    const journaled = h.app.database.sqlite
      .prepare("select count(*) from write_journal where run_id = ? and operation = 'rate' and status = 'applied'")
      .pluck()
      .get(applied.run_id);
    // (≥: the first batch may probe the several-id write on two items, journaling one of them twice)
    expect(journaled).toBeGreaterThanOrEqual(JSON.parse(applied.outcome!).writes);
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);
  });

  it('echoes of its own writes cause no further writes: the system goes quiet', async () => {
    await h.quiet();
    // A rating near μ leaves μ where it is (a move of μ would make the engine run a full pass as well), on
    // a track of an album inferred well away from it (so its album and artist are written anew).
    const rating = Math.round(h.app.live!.status().engine!.mu);
    const track = h.sim.state.tracks.find((t) => {
      const { artistKey } = h.sim.state.albumOf(t);
      return (
        !used.has(artistKey) &&
        !/various artists/i.test(h.sim.state.artist(artistKey)!.title) &&
        !h.person.has(t.ratingKey) &&
        !h.person.has(t.albumKey) &&
        Math.abs((h.sim.state.getRating(t.albumKey) ?? rating) - rating) >= 1
      );
    })!;
    const key = track.ratingKey;
    used.add(h.sim.state.albumOf(track).artistKey);
    // Echoes of earlier writes to this track may be in the inbox already: only a later event is the person's.
    const lastEvent = h.app.database.sqlite.prepare('select coalesce(max(id), 0) from webhook_events').pluck().get() as number;
    await h.rate(key, rating);
    // The event's run is over (its writes made); their echoes may still be on their way.
    const applied = await waitUntil(() => {
      h.app.moveReceived();
      return h.app.database.sqlite
        .prepare("select id, run_id from webhook_events where item_key = ? and event = 'media.rate' and status = 'done' and id > ?")
        .get(key, lastEvent) as { id: number; run_id: number } | undefined;
    }, 'the rating event to be applied');
    const written = new Set(
      h.app.database.sqlite
        .prepare("select item_key from write_journal where run_id = ? and operation = 'rate' and status = 'applied'")
        .pluck()
        .all(applied.run_id) as string[],
    );
    expect(written.size).toBeGreaterThan(0);
    const runs = h.app.database.sqlite.prepare('select count(*) from engine_runs').pluck().get();
    const writes = h.sim.stats.rateCalls + h.sim.stats.ratingWrites;
    // Every echo of the writes is delivered and applied (quiet waits for the simulator's queue and the inbox).
    await h.quiet();
    const echoes = events(h).filter(
      (e) => e.id > applied.id && written.has(e.item_key!) && e.outcome && JSON.parse(e.outcome).echo === true,
    );
    expect([...written].filter((k) => !echoes.some((e) => e.item_key === k))).toEqual([]); // every write came back as an echo
    expect(echoes.every((e) => e.run_id === null)).toBe(true);
    expect(h.app.database.sqlite.prepare('select count(*) from engine_runs').pluck().get()).toBe(runs);
    expect(h.sim.stats.rateCalls + h.sim.stats.ratingWrites).toBe(writes);
  });

  it('an undo made while serve runs stays undone: its clears and late echoes of the undone writes start no run', async () => {
    const { key, artistKey } = pickTrack(h, used);
    used.add(artistKey);
    await h.rate(key, 9);
    await h.quiet();
    const applied = events(h).find((e) => e.item_key === key && e.event === 'media.rate')!;
    const wrote = h.app.database.sqlite
      .prepare(
        'select item_key as key, kind, value_before as before, value_after as value from write_journal ' +
          "where run_id = ? and operation = 'rate' and status = 'applied'",
      )
      .all(applied.run_id) as Array<{ key: string; kind: string; before: number | null; value: number }>;
    expect(wrote.length).toBeGreaterThan(0);
    const undo = await undoWrites(h.app.live!.deps!, { runId: applied.run_id! });
    expect(undo.restored).toBe(new Set(wrote.map((w) => w.key)).size);
    await h.quiet(); // the undo's clears come back as webhooks
    // Late echoes of the writes the undo reverted (delivered after it, as a slow Plex might).
    const owner = { user: true, owner: true, Account: { id: 1, title: 'sim-owner' }, Server: { uuid: h.sim.machineIdentifier } };
    for (const w of wrote) {
      const res = await postWebhook(h.webhookUrl, {
        event: 'media.rate',
        ...owner,
        rating: w.value,
        Metadata: { ratingKey: w.key, type: w.kind, librarySectionType: 'artist', librarySectionID: h.sim.musicSectionId },
      });
      expect(res.status).toBe(200);
    }
    await h.quiet();
    const later = h.app.database.sqlite
      .prepare("select count(*) from engine_runs where kind = 'event' and id > ?")
      .pluck()
      .get(undo.runId) as number;
    expect(later).toBe(0);
    for (const w of wrote) expect(h.sim.state.getRating(w.key) ?? null, w.key).toBe(w.before);
    expect(h.sim.state.getRating(key)).toBe(9); // the person's own rating is not Sagewire's to undo
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);
  });

  it('clearing an inferred rating opts the item out, and it stays unrated', async () => {
    const { key, artistKey } = pickTrack(h, used);
    used.add(artistKey);
    expect(h.sim.state.getRating(key)).toBeDefined(); // inferred by the first pass
    await h.rate(key, null);
    await h.quiet();
    expect(h.sim.state.getRating(key)).toBeUndefined();
    const claim = h.app.database.sqlite.prepare('select opted_out, written_value from rating_state where item_key = ?').get(key);
    expect(claim).toEqual({ opted_out: 1, written_value: null });
    const outcomes = events(h)
      .filter((e) => e.item_key === key && e.outcome)
      .map((e) => JSON.parse(e.outcome!));
    expect(outcomes).toContainEqual(expect.objectContaining({ optOut: key }));
    // A later rating elsewhere in the subtree recomputes it, and it still stays unrated.
    const other = (h.sim.state.albumsByArtist.get(artistKey) ?? [])
      .flatMap((a) => h.sim.state.tracksByAlbum.get(a.ratingKey) ?? [])
      .find((t) => t.ratingKey !== key && !h.person.has(t.ratingKey))!;
    await h.rate(other.ratingKey, 2);
    await h.quiet();
    expect(h.sim.state.getRating(key)).toBeUndefined();
    expect(
      disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: subtreeKeys(h.sim, artistKey), slack: 0.1 }).slice(
        0,
        5,
      ),
    ).toEqual([]);
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);

    // Re-enabled (CLI or Ratings page) while the server runs: the next event on the artist infers it again.
    expect(optInItems(createEngineStore(h.app.database.sqlite), [key]).changed).toBe(1);
    h.optedOut.delete(key);
    const another = (h.sim.state.albumsByArtist.get(artistKey) ?? [])
      .flatMap((a) => h.sim.state.tracksByAlbum.get(a.ratingKey) ?? [])
      .find((t) => t.ratingKey !== key && t.ratingKey !== other.ratingKey && !h.person.has(t.ratingKey))!;
    await h.rate(another.ratingKey, 8);
    await h.quiet();
    expect(h.sim.state.getRating(key)).toBeDefined();
    expect(
      disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: subtreeKeys(h.sim, artistKey), slack: 0.1 }).slice(
        0,
        5,
      ),
    ).toEqual([]);
  });

  it('clearing a manual rating makes the item inferred again', async () => {
    const manual = [...h.person.keys()].find(
      (k) => h.sim.state.track(k) && !used.has(h.sim.state.albumOf(h.sim.state.track(k)!).artistKey),
    )!;
    const artistKey = h.sim.state.albumOf(h.sim.state.track(manual)!).artistKey;
    used.add(artistKey);
    await h.rate(manual, null);
    await h.quiet();
    const now = h.sim.state.getRating(manual);
    expect(now).toBeDefined();
    expect(Number.isInteger(now! * 1) && now! % 1 === 0).toBe(false); // an inferred value is never a whole point
    const outcomes = events(h)
      .filter((e) => e.item_key === manual && e.outcome)
      .map((e) => JSON.parse(e.outcome!));
    expect(outcomes).toContainEqual(expect.objectContaining({ cleared: manual }));
    expect(outcomes.at(-1)).toEqual({ echo: true }); // its re-inferred value came back as an echo
    expect(
      disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: subtreeKeys(h.sim, artistKey), slack: 0.1 }).slice(
        0,
        5,
      ),
    ).toEqual([]);
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);
  });

  it('taking over an inferred rating makes it manual and it is never overwritten', async () => {
    const { key, artistKey } = pickTrack(h, used);
    used.add(artistKey);
    const inferred = h.sim.state.getRating(key)!;
    await h.rate(key, inferred > 5 ? 2 : 9);
    await h.quiet();
    expect(h.sim.state.getRating(key)).toBe(h.person.get(key));
    const outcomes = events(h)
      .filter((e) => e.item_key === key && e.outcome)
      .map((e) => JSON.parse(e.outcome!));
    expect(outcomes).toContainEqual(expect.objectContaining({ takeover: key }));
    expect(h.app.database.sqlite.prepare('select count(*) from rating_state where item_key = ?').pluck().get(key)).toBe(0);
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);
  });

  it('the ownership counts kept in step item by item equal a fresh count', async () => {
    await h.quiet();
    const { store, params } = h.app.live!.deps!;
    expect(h.app.live!.ownership()).toEqual(
      (() => {
        const m = new LiveModel(store, params);
        m.build();
        return m.ownershipCounts();
      })(),
    );
    // …and the rule the full pass uses, applied to every item from scratch, agrees.
    const independent = buildRatingModel(h.app.database.sqlite, params);
    const counted = { manual: 0, inferred: 0, unrated: 0, optedOut: 0 };
    for (const t of independent.index.snapshot.tracks) {
      const own = independent.ownershipOf(t.key);
      counted[own === 'opted_out' ? 'optedOut' : own] += 1;
    }
    expect(h.app.live!.ownership()!.tracks).toEqual(counted);
    // One model counts once and then follows updates; the other counts from scratch after the same updates.
    const kept = new LiveModel(store, params);
    kept.build();
    kept.ownershipCounts();
    const fresh = new LiveModel(store, params);
    fresh.build();
    const tracks = h.sim.state.tracks.slice(0, 40).map((t) => t.ratingKey);
    const facts = [
      { current: 8 },
      { current: null },
      { current: 6.3, claim: { kind: 'track' as const, writtenValue: 6.3, optedOut: false } },
      { claim: { kind: 'track' as const, writtenValue: null, optedOut: true } },
      { current: 4.2 },
      { claim: null },
    ];
    tracks.forEach((key, i) => {
      kept.update(key, facts[i % facts.length]);
      fresh.update(key, facts[i % facts.length]);
    });
    kept.update(tracks[0], { current: null });
    fresh.update(tracks[0], { current: null });
    const albums = h.sim.state.albums.slice(0, 6).map((a) => a.ratingKey);
    albums.forEach((key, i) => {
      kept.update(key, { current: 3 + i });
      fresh.update(key, { current: 3 + i });
    });
    expect(kept.ownershipCounts()).toEqual(fresh.ownershipCounts());
  });

  it('a model that caught up in the middle of a run made elsewhere catches up with the rest when it ends', async () => {
    await h.quiet();
    const engine = h.app.live!.engine!;
    const { store } = h.app.live!.deps!;
    const [first, second] = h.app.database.sqlite
      .prepare("select item_key from rating_state where kind = 'track' and written_value is not null order by item_key limit 2")
      .pluck()
      .all() as string[];
    const rate = (key: string, value: number) =>
      store.journal.record(runId, [
        { itemKey: key, kind: 'track', operation: 'rate', valueBefore: engine.model.current.get(key) ?? null, valueAfter: value },
      ]);
    const runId = store.runs.start('import'); // as the Ratings page or another process would
    rate(first, 1.3);
    expect(engine.viewModel().current.get(first)).toBe(1.3); // a page view while the run goes on
    rate(second, 1.7);
    store.runs.finish(runId, 'done', {});
    expect(engine.viewModel().current.get(second)).toBe(1.7);
    expect(viewOfLiveModel(engine.viewModel()).ownershipOf(second)).toBe('inferred');
  });

  it('new music (library.new) is fetched, cached and inferred', async () => {
    const added = (await simControl(h.sim, '/__sim/add-album?artist=Brand%20New%20Band&tracks=5')) as {
      albumKey: string;
      trackKeys: string[];
      artistKey: string;
    };
    await h.quiet();
    for (const key of [added.albumKey, ...added.trackKeys]) expect(h.sim.state.getRating(key), key).toBeDefined();
    const cached = h.app.database.sqlite.prepare('select count(*) from tracks where album_key = ?').pluck().get(added.albumKey);
    expect(cached).toBe(5);
    expect(
      disagreements(h.sim, h.person, h.optedOut, {
        db: h.app.database.sqlite,
        strict: subtreeKeys(h.sim, added.artistKey),
        slack: 0.1,
      }).slice(0, 5),
    ).toEqual([]);
  });

  it('/api/status shows ownership, μ, ε, the last run and the inbox', async () => {
    await h.quiet();
    const res = await fetch(`${h.url}/api/status`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    expect(res.status).toBe(200);
    const status = (await res.json()) as Record<string, any>;
    expect(status.ownership.total.manual).toBeGreaterThan(0);
    expect(status.ownership.tracks.inferred).toBeGreaterThan(0);
    expect(status.live.state).toBe('running');
    expect(status.live.engine.mu).toBeGreaterThan(0);
    expect(status.live.engine.epsilon).toBe(0.02);
    expect(status.inbox).toMatchObject({ pending: 0, dead: 0 });
    expect(status.lastRun).not.toBeNull();
  });
});
