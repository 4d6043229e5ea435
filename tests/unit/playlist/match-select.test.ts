import { describe, expect, it } from 'vitest';
import {
  DiversityLedger,
  PoolMatcher,
  acceptPicks,
  cleanId,
  emptyStats,
  fillFromPool,
  parseJsonLoose,
  readReply,
  topUpCandidates,
  type ChosenTrack,
} from '../../../src/domain/playlist/index.js';
import { track } from './fixtures.js';

const pool = [
  track({ artist: 'Slowdive', title: 'Alison', albumKey: 's1' }),
  track({ artist: 'Slowdive', title: 'When the Sun Hits', albumKey: 's1' }),
  track({ artist: 'Ride', title: 'Vapour Trail', albumKey: 'r1' }),
  track({ artist: 'Ride', title: 'Vapour Trails', albumKey: 'r2' }),
  track({ artist: 'Mazzy Star', title: 'Fade Into You', albumKey: 'm1' }),
  track({ artist: 'Björk', title: 'Jóga', albumKey: 'b1' }),
];
const matcher = new PoolMatcher(pool);
const pick = (p: Partial<{ id: string; artist: string; title: string; text: string }>) => ({
  id: null,
  artist: null,
  title: null,
  text: null,
  reason: '',
  ...p,
});

describe('reply reading', () => {
  it('reads clean, fenced, prose-wrapped and trailing-comma JSON', () => {
    expect(parseJsonLoose('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonLoose('Sure!\n```json\n{"a": [1, 2,],}\n```')).toEqual({ a: [1, 2] });
    expect(parseJsonLoose('here: {"a": 2} hope it helps')).toEqual({ a: 2 });
    expect(() => parseJsonLoose('{"tracks": [{"id": "1"')).toThrow(/not the JSON/);
  });

  it('accepts ids in the shapes models write them and names otherwise', () => {
    expect(['12', ' #12 ', 'id: 12', '12.', 12].map(cleanId)).toEqual(['12', '12', '12', '12', '12']);
    expect(cleanId('Slowdive - Alison')).toBeNull();
    const reply = readReply({
      title: 'T',
      tracks: ['3', { id: 4, reason: 'r' }, { artist: 'Ride', title: 'Vapour Trail' }, 'Ride - Vapour Trails', null],
    });
    expect(reply.picks.map((p) => [p.id, p.artist, p.title, p.text])).toEqual([
      ['3', null, null, null],
      ['4', null, null, null],
      [null, 'Ride', 'Vapour Trail', null],
      [null, null, null, 'Ride - Vapour Trails'],
    ]);
    expect(readReply([{ id: '1' }]).picks).toHaveLength(1);
    expect(() => readReply({ title: 'no tracks' })).toThrow(/tracks/);
  });
});

describe('matching against the pool only', () => {
  it('ids first, then exact names, then the best fuzzy match above the threshold', () => {
    expect(matcher.match(pick({ id: '5' }))).toMatchObject({ method: 'id', track: pool[4] });
    expect(matcher.match(pick({ id: '77' }))).toBeNull();
    expect(matcher.match(pick({ artist: 'slowdive', title: 'ALISON' }))).toMatchObject({ method: 'exact', track: pool[0] });
    expect(matcher.match(pick({ artist: 'Bjork', title: 'Joga (Remastered 2002)' }))).toMatchObject({ method: 'exact', track: pool[5] });
    // "Vapour Trails" must match the closer of two near-identical titles, not the first candidate.
    expect(matcher.match(pick({ artist: 'Ride', title: 'Vapor Trails' }))?.track).toBe(pool[3]);
    expect(matcher.match(pick({ artist: 'Mazy Star', title: 'Fade in to You' }))).toMatchObject({ method: 'fuzzy', track: pool[4] });
    expect(matcher.match(pick({ text: 'Fade Into You by Mazzy Star' }))?.track).toBe(pool[4]);
    expect(matcher.match(pick({ text: 'When the Sun Hits - Slowdive' }))?.track).toBe(pool[1]);
    expect(matcher.match(pick({ artist: 'Radiohead', title: 'Creep' }))).toBeNull();
  });
});

describe('selection', () => {
  it('drops unmatched, duplicates, twins and capped picks, then fills marked as filled', () => {
    const ledger = new DiversityLedger({ perArtist: 1, perAlbum: 1, favouredArtistShare: 0 }, 4, new Set());
    const chosen: ChosenTrack[] = [];
    const stats = emptyStats();
    acceptPicks(
      [
        pick({ id: '1' }),
        pick({ id: '1' }),
        pick({ id: '2' }),
        pick({ id: '99' }),
        pick({ artist: 'Slowdive', title: 'Alison (Remastered)' }),
      ],
      matcher,
      ledger,
      chosen,
      4,
      stats,
    );
    expect(chosen.map((c) => c.track)).toEqual([pool[0]]);
    expect(stats.dropped).toMatchObject({ duplicate: 2, 'artist cap': 1, unmatched: 1 });
    expect(topUpCandidates(pool, ledger).map((c) => c.id)).toEqual(['3', '4', '5', '6']);
    const filled = fillFromPool(
      pool.map((t) => ({ track: t, score: 0 })),
      ledger,
      chosen,
      4,
      () => 'filled',
    );
    expect(filled).toBe(3);
    expect(chosen.slice(1).every((c) => c.filled)).toBe(true);
    expect(new Set(chosen.map((c) => c.track.artist)).size).toBe(4);
  });
});
