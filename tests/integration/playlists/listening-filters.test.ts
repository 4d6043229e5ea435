// The listening filters (never played, played at least, not played for, skipped at most) over a cache
// whose play history is set by hand: eight tracks with known plays, skips and last plays, the rest never
// played. Each case is checked on exactly those eight (the rest left out with excludeKeys) and on the
// whole library, with the clock fixed; then the JSON API's bounds, each a 400 naming its field.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterSpec, RankSpec } from '../../../src/domain/playlist/index.js';
import { PoolQuery } from '../../../src/playlists/pool-query.js';
import { generateLibrary } from '../../../src/sim/generate.js';
import { playlistApiRoutes } from '../../../src/web/api/playlists.js';
import { startHarness, type Harness } from './support/harness.js';

const NOW = 1_800_000_000;
const DAY = 86_400;
const MONTH = 30 * DAY;
const rank: RankSpec = { genres: [], styles: [], moods: [], artists: [], year: null, seed: 1 };

/** name → [plays, skips, seconds since the last play (null: never played)] */
const HISTORY = {
  A: [0, 0, null],
  B: [0, 3, null],
  C: [1, 0, 2 * MONTH],
  D: [5, 5, 13 * MONTH],
  E: [12, 1, DAY],
  F: [3, 1, 7 * MONTH],
  G: [40, 0, 400 * DAY],
  H: [2, 2, 6 * MONTH],
} as const;
type Name = keyof typeof HISTORY;
const NAMES = Object.keys(HISTORY) as Name[];
const NEVER_PLAYED = new Set<Name>(['A', 'B']);

let h: Harness;
let pool: PoolQuery;
let later: PoolQuery;
const keyOf = new Map<Name, string>();
let rest: string[];
let server: Server;
let base: string;

beforeAll(async () => {
  const library = generateLibrary({ tracks: 300, seed: 5 });
  for (const t of library.tracks) {
    delete t.viewCount;
    delete t.skipCount;
    delete t.lastViewedAt;
  }
  NAMES.forEach((name, i) => {
    const track = library.tracks[i * 7];
    const [plays, skips, ago] = HISTORY[name];
    if (plays > 0) track.viewCount = plays;
    if (skips > 0) track.skipCount = skips;
    if (ago !== null) track.lastViewedAt = NOW - ago;
    keyOf.set(name, track.ratingKey);
  });
  const named = new Set(keyOf.values());
  rest = library.tracks.map((t) => t.ratingKey).filter((k) => !named.has(k));
  h = await startHarness({ library });
  pool = new PoolQuery(h.poolIndex, () => NOW);
  later = new PoolQuery(h.poolIndex, () => NOW + 6 * MONTH);
  const app = new Koa();
  app.use(playlistApiRoutes({ service: h.service }).routes());
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await h?.close();
});

/** The named tracks a filter admits, by building a pool over them alone. */
function admitted(query: PoolQuery, filters: FilterSpec): Name[] {
  const built = query.build({ filters: { ...filters, excludeKeys: rest }, rank, size: 10 });
  const keys = new Set(built.ranked.map((r) => r.track.ratingKey));
  return NAMES.filter((n) => keys.has(keyOf.get(n)!));
}

describe('listening filters', () => {
  it.each<[FilterSpec, string, boolean]>([
    [{ neverPlayed: true }, 'AB', true],
    [{ minPlays: 1 }, 'CDEFGH', false],
    [{ minPlays: 5 }, 'DEG', false],
    [{ minPlays: 0 }, 'ABCDEFGH', true],
    [{ notPlayedMonths: 6 }, 'ABDFGH', true],
    [{ notPlayedMonths: 12 }, 'ABDG', true],
    [{ maxSkipRatio: 0 }, 'ACG', true],
    [{ maxSkipRatio: 0.25 }, 'ACEFG', true],
    [{ maxSkipRatio: 0.5 }, 'ACDEFGH', true],
    [{ maxSkipRatio: 1 }, 'ABCDEFGH', true],
    [{ neverPlayed: true, maxSkipRatio: 0.5 }, 'A', true],
    [{ minPlays: 2, notPlayedMonths: 6 }, 'DFGH', false],
    [{ neverPlayed: true, minPlays: 1 }, '', false],
  ])('%j admits %s (the never-played rest: %s)', (filters, expected, restPasses) => {
    expect(admitted(pool, filters).join('')).toBe(expected);
    expect(pool.count({ ...filters, excludeKeys: rest })).toBe(expected.length);
    expect(pool.count(filters)).toBe(expected.length + (restPasses ? rest.length : 0));
  });

  it('counts "not played for" back from the clock it is given', () => {
    expect(admitted(pool, { notPlayedMonths: 12 }).join('')).toBe('ABDG');
    expect(admitted(later, { notPlayedMonths: 12 }).join('')).toBe('ABDFGH');
  });

  it('reads "never played" from Plex play counts as synced', () => {
    for (const name of NAMES) {
      const i = h.poolIndex.current().position.get(keyOf.get(name)!)!;
      expect(h.poolIndex.current().plays[i] === 0).toBe(NEVER_PLAYED.has(name));
    }
  });
});

describe('listening filters in the JSON API', () => {
  const post = (filters: unknown) =>
    fetch(`${base}/api/playlists/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'anything', count: 10, provider: 'offline', filters }),
    });

  it.each([
    [{ neverPlayed: 'yes' }, 'filters.neverPlayed'],
    [{ minPlays: -1 }, 'filters.minPlays'],
    [{ minPlays: 2.5 }, 'filters.minPlays'],
    [{ minPlays: 100_001 }, 'filters.minPlays'],
    [{ notPlayedMonths: 0 }, 'filters.notPlayedMonths'],
    [{ notPlayedMonths: 601 }, 'filters.notPlayedMonths'],
    [{ notPlayedMonths: '12' }, 'filters.notPlayedMonths'],
    [{ maxSkipRatio: 1.5 }, 'filters.maxSkipRatio'],
    [{ maxSkipRatio: -0.1 }, 'filters.maxSkipRatio'],
  ])('%j → 400 naming %s', async (filters, field) => {
    const res = await post(filters);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.field).toBe(field);
    expect(answer.error).toContain(field);
  });

  it('generates from played tracks only when asked for them', async () => {
    const res = await post({ minPlays: 1, maxSkipRatio: 0.5 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tracks: { ratingKey: string }[] };
    const allowed = new Set(['C', 'D', 'E', 'F', 'G', 'H'].map((n) => keyOf.get(n as Name)));
    expect(body.tracks.length).toBeGreaterThan(0);
    for (const t of body.tracks) expect(allowed.has(t.ratingKey)).toBe(true);
  });
});
