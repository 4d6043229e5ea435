// Plex failing for a while (every event applied in the end, none lost or applied twice), missed deliveries
// (found by catch-up polling), and WEBHOOKS=off (catch-up is the only input).
import { afterEach, describe, expect, it } from 'vitest';
import { retryDeadEvents } from '../../../src/webhooks/worker.js';
import { waitUntil } from '../../support/wait.js';
import { API_TOKEN, simControl, startLive, type LiveHarness } from './support/live-harness.js';
import { disagreements, overwrittenManualRatings, subtreeKeys } from './support/full-pass-check.js';

function tracksOfArtists(h: LiveHarness, count: number, perArtist: number): string[] {
  const keys: string[] = [];
  for (const artist of h.sim.state.artists) {
    if (/various artists/i.test(artist.title)) continue;
    const tracks = h.sim.state.tracksOfArtist(artist.ratingKey).filter((t) => !h.person.has(t.ratingKey) && t.duration > 90_000);
    if (tracks.length < perArtist) continue;
    keys.push(...tracks.slice(0, perArtist).map((t) => t.ratingKey));
    if (keys.length >= count * perArtist) break;
  }
  return keys;
}

const artistOf = (h: LiveHarness, key: string) => h.sim.state.albumOf(h.sim.state.track(key)!).artistKey;

function subtreesOf(h: LiveHarness, keys: string[]): Set<string> {
  const all = new Set<string>();
  for (const key of keys) for (const k of subtreeKeys(h.sim, artistOf(h, key))) all.add(k);
  return all;
}

/**
 * A write applied twice shows as two consecutive applied writes of the same value to one item (the second
 * sent although Plex already held it). A retried event may legitimately write an item again when the
 * values around it changed meanwhile (e.g. 5.9 → 6.1 → 5.9 as μ moves across a whole point): that is a
 * recomputation, not a duplicate.
 */
function duplicateWrites(h: LiveHarness): number {
  const rows = h.app.database.sqlite
    .prepare(`select item_key, value_before, value_after from write_journal
      where operation in ('rate', 'rate_manual', 'clear') and status = 'applied' order by item_key, id`)
    .all() as { item_key: string; value_before: number | null; value_after: number | null }[];
  let duplicates = 0;
  for (let i = 1; i < rows.length; i++) {
    const [previous, row] = [rows[i - 1]!, rows[i]!];
    if (previous.item_key === row.item_key && previous.value_after === row.value_after) duplicates += 1;
  }
  // And no applied write that changed nothing.
  return duplicates + rows.filter((r) => r.value_before === r.value_after).length;
}

describe('resilience', () => {
  let h: LiveHarness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  it('20 % of Plex requests failing for a while: every event applied in the end, none lost or applied twice', async () => {
    h = await startLive({
      tracks: 600,
      seed: 11,
      live: {
        plexRetries: { retries: 0, retryBaseMs: 5 },
        worker: { backoffBaseMs: 40, backoffMaxMs: 300, idlePollMs: 50, maxAttempts: 40 },
      },
    });
    const keys = tracksOfArtists(h, 4, 3);
    await simControl(h.sim, '/__sim/faults?rate=0.2&mode=error');
    for (const [i, key] of keys.entries()) await h.rate(key, (i % 5) * 2 + 1);
    const failedWhileFaulty = await waitUntil(
      () =>
        h!.app.database.sqlite
          .prepare('select count(*) from webhook_events where attempts > 1 or last_error is not null')
          .pluck()
          .get() as number,
      'an event to fail while Plex is failing',
    );
    await simControl(h.sim, '/__sim/faults?rate=0');
    await h.quiet(30_000);
    expect(h.sim.stats.faults.error ?? 0).toBeGreaterThan(0);
    expect(
      failedWhileFaulty +
        (h.app.database.sqlite.prepare("select count(*) from engine_runs where status = 'failed'").pluck().get() as number),
    ).toBeGreaterThan(0);
    const statuses = h.app.database.sqlite.prepare('select status, count(*) as n from webhook_events group by status').all();
    expect(statuses.filter((s: any) => s.status !== 'done' && s.status !== 'ignored')).toEqual([]);
    for (const key of keys) {
      const rows = h.app.database.sqlite
        .prepare("select status from webhook_events where item_key = ? and event = 'media.rate'")
        .pluck()
        .all(key);
      expect(rows.length, key).toBeGreaterThan(0);
    }
    expect(
      disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: subtreesOf(h, keys), slack: 0.1 }).slice(0, 5),
    ).toEqual([]);
    expect(duplicateWrites(h)).toBe(0);
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);
  });

  it('Plex down: the event is retried, dead-lettered after N attempts (visible in /api/status), and applied when retried', async () => {
    h = await startLive({
      tracks: 500,
      seed: 14,
      live: {
        plexRetries: { retries: 0, retryBaseMs: 5 },
        worker: { backoffBaseMs: 30, backoffMaxMs: 60, idlePollMs: 30, maxAttempts: 3 },
      },
    });
    const [key] = tracksOfArtists(h, 1, 1);
    await simControl(h.sim, '/__sim/faults?rate=1&mode=error');
    await h.rate(key, 10);
    const dead = await waitUntil(() => {
      h!.app.moveReceived();
      const row = h!.app.database.sqlite
        .prepare("select status, attempts, last_error from webhook_events where item_key = ? and event = 'media.rate'")
        .get(key) as { status: string; attempts: number; last_error: string | null } | undefined;
      return row?.status === 'dead' ? row : null;
    }, 'the event to be dead-lettered');
    expect(dead).toMatchObject({ status: 'dead', attempts: 3 });
    expect(dead.last_error).toMatch(/500/);
    const status = (await (await fetch(`${h.url}/api/status`, { headers: { Authorization: `Bearer ${API_TOKEN}` } })).json()) as any;
    expect(status.inbox.dead).toBe(1);
    await simControl(h.sim, '/__sim/faults?rate=0');
    expect(await retryDeadEvents(h.app.database.db)).toBe(1);
    h.app.live!.wake();
    await h.quiet();
    expect(
      disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: subtreesOf(h, [key]), slack: 0.1 }).slice(0, 5),
    ).toEqual([]);
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);
  });

  it('missed deliveries (notify=0) are applied by catch-up polling', async () => {
    h = await startLive({ tracks: 600, seed: 12 });
    const keys = tracksOfArtists(h, 2, 2);
    const writes = h.sim.stats.ratingWrites;
    for (const key of keys) await h.rate(key, 9, { notify: false });
    await h.quiet();
    expect(h.sim.stats.ratingWrites - writes).toBe(keys.length); // only the person's own: nothing propagated yet
    const polled = await h.app.live!.poller!.pollNow();
    expect(polled.rated).toBe(keys.length);
    await h.quiet();
    const rows = h.app.database.sqlite.prepare("select item_key, status from webhook_events where event = 'poll.rate'").all() as Array<{
      item_key: string;
      status: string;
    }>;
    expect(rows.map((r) => r.item_key).sort()).toEqual([...keys].sort());
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    expect(
      disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: subtreesOf(h, keys), slack: 0.1 }).slice(0, 5),
    ).toEqual([]);
    expect((await h.app.live!.poller!.pollNow()).rated).toBe(0); // nothing left to catch up on
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);
  });

  it('WEBHOOKS=off: no receiver, and catch-up polling is the only input', async () => {
    h = await startLive({ tracks: 500, seed: 13, env: { WEBHOOKS: 'off' } });
    const res = await fetch(h.webhookUrl, { method: 'POST', body: new FormData() });
    expect(res.status).toBe(404);
    const keys = tracksOfArtists(h, 2, 1);
    for (const key of keys) await h.rate(key, 1);
    await h.app.live!.poller!.pollNow();
    await h.quiet();
    expect(
      disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: subtreesOf(h, keys), slack: 0.1 }).slice(0, 5),
    ).toEqual([]);
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);
  });
});
