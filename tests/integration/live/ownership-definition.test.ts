// One definition of the ownership counts: every artist, album and track, per kind and in total. The CLI
// (`infer --dry-run`, from the full pass's plan) and GET /api/status (the live model, kept in step event
// by event) count the same items the same way, and both agree with a count from the cache by the rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveOwnership } from '../../../src/domain/rating/index.js';
import { planFullPass } from '../../../src/engine/pass/full-pass.js';
import { ownershipLines } from '../../../src/engine/core/ownership-counts.js';
import { API_TOKEN, startLive, type LiveHarness } from './support/live-harness.js';

describe('ownership counts', () => {
  let h: LiveHarness;
  beforeAll(async () => {
    h = await startLive({ tracks: 400, seed: 5 });
    // A person rates a track and an album, and clears an inferred track: every kind has more than one owner.
    const inferred = h.app.database.sqlite
      .prepare("select item_key from rating_state where kind = 'track' and written_value is not null order by item_key limit 2")
      .pluck()
      .all() as string[];
    await h.rate(inferred[0], 9);
    await h.rate(inferred[1], null);
    await h.rate(h.sim.state.albums[3].ratingKey, 4);
    await h.quiet();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('/api/status and the CLI count every kind the same way', async () => {
    const res = await fetch(`${h.url}/api/status`, { headers: { Authorization: `Bearer ${API_TOKEN}` } });
    const status = (await res.json()) as {
      ownership: Record<string, Record<string, number>>;
      library: { artists: number; albums: number; tracks: number };
    };
    const { store, params } = h.app.live!.deps!;
    const cli = planFullPass(store, params).ownership;
    expect(status.ownership).toEqual(cli);

    // The cache by the rule, kind by kind.
    const sqlite = h.app.database.sqlite;
    for (const [kind, table] of [
      ['artists', 'artists'],
      ['albums', 'albums'],
      ['tracks', 'tracks'],
    ] as const) {
      const rows = sqlite
        .prepare(
          `select t.user_rating as current, s.written_value as written, s.opted_out as opted from ${table} t ` +
            'left join rating_state s on s.item_key = t.rating_key',
        )
        .all() as Array<{ current: number | null; written: number | null; opted: number | null }>;
      const counted = { manual: 0, inferred: 0, unrated: 0, optedOut: 0 };
      for (const r of rows) {
        const { ownership } = deriveOwnership({ written: r.written, optedOut: r.opted === 1, current: r.current });
        counted[ownership === 'opted_out' ? 'optedOut' : ownership] += 1;
      }
      expect(status.ownership[kind], kind).toEqual(counted);
    }
    const sum = (t: Record<string, number>) => t.manual + t.inferred + t.unrated + t.optedOut;
    expect(sum(status.ownership.total)).toBe(status.library.artists + status.library.albums + status.library.tracks);
    expect(status.ownership.albums.manual).toBeGreaterThan(0);
    expect(status.ownership.tracks.optedOut).toBeGreaterThan(0);

    const lines = ownershipLines(cli).join('\n');
    for (const kind of ['artists', 'albums', 'tracks', 'all'])
      expect(lines).toMatch(new RegExp(`${kind}\\s+\\d+ manual, \\d+ inferred, \\d+ unrated, \\d+ opted out`));
  });
});
