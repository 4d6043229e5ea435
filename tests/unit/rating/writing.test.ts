// Grid, ε, the write rule, ownership and the write plan.
import { describe, expect, it } from 'vitest';
import {
  decideWrite,
  deriveOwnership,
  epsilonFor,
  gridValue,
  planWrites,
  type OwnershipFacts,
  type OwnershipVerdict,
} from '../../../src/domain/rating/index.js';

describe('grid', () => {
  it.each([
    [6.96, 6.9],
    [7.04, 7.1],
    [9.99, 9.9],
    [0.02, 0.1],
    [10, 9.9],
    [7, 7.1],
    [6.95, 6.9],
    [6.94, 6.9],
    [7.05, 7.1],
    [7.25, 7.3],
    [6.449, 6.4],
    [0, 0.1],
    [0.04, 0.1],
    [0.06, 0.1],
    [0.16, 0.2],
    [9.94, 9.9],
    [9.96, 9.9],
    [5.4, 5.4],
    [3.3333333333333335, 3.3],
    [12, 9.9],
    [-1, 0.1],
  ])('%s → %s', (v, w) => {
    expect(gridValue(v)).toBe(w);
  });

  it('never lands on a whole point and is always a clean tenth', () => {
    for (let i = 0; i <= 10_000; i++) {
      const w = gridValue(i / 1000);
      expect(Number.isInteger(w)).toBe(false);
      expect(w).toBe(Math.round(w * 10) / 10);
    }
  });

  it('a coarser grid (0.5) keeps off whole points too', () => {
    expect([gridValue(6.9, 0.5), gridValue(7.1, 0.5), gridValue(7.3, 0.5), gridValue(10, 0.5)]).toEqual([6.5, 7.5, 7.5, 9.5]);
  });
});

describe('precision ε', () => {
  it.each([
    [10, 0.02],
    [999, 0.02],
    [1000, 0.02],
    [10_000, 0.04],
    [300_000, 0.0695424250943932],
  ])('N = %s → %s', (n, eps) => {
    expect(epsilonFor(n)).toBeCloseTo(eps, 12);
  });

  it('is about 0.07 at 300,000 tracks, and fixed:X is X', () => {
    expect(epsilonFor(300_000).toFixed(2)).toBe('0.07');
    expect(epsilonFor(300_000, 'fixed:0.1')).toBe(0.1);
    expect(epsilonFor(5, 'fixed:0')).toBe(0);
  });
});

describe('write rule', () => {
  it.each([
    [7.04, null, 0.02, true, 'new', 7.1],
    [7.04, 7.1, 0.02, false, 'drift_skipped', 7.1],
    [7.3, 7.1, 0.02, true, 'moved', 7.3],
    [7.12, 7.1, 0.02, false, 'drift_skipped', 7.1],
    [7.16, 7.1, 0.07, false, 'drift_skipped', 7.2],
    [7.2, 7.1, 0.07, true, 'moved', 7.2],
    [7.17, 7.1, 0.07, true, 'moved', 7.2],
    [7.12, 7.099999904632568, 0.02, false, 'drift_skipped', 7.1],
    [6.96, 7, 0.02, true, 'moved', 6.9],
    [6.99, 7, 0.02, false, 'drift_skipped', 6.9],
  ] as const)('v %s, c %s, ε %s → write %s (%s) %s', (v, c, eps, write, reason, value) => {
    expect(decideWrite(v, c, eps)).toEqual({ write, reason, value });
  });
});

describe('ownership', () => {
  it.each<[string, OwnershipFacts, OwnershipVerdict]>([
    ['Sagewire wrote it and Plex holds it', { written: 7.1, optedOut: false, current: 7.1 }, { ownership: 'inferred', transition: 'none' }],
    [
      'Plex stored it as a float32',
      { written: 7.1, optedOut: false, current: 7.099999904632568 },
      { ownership: 'inferred', transition: 'none' },
    ],
    [
      'Plex rounded a two-decimal state value to one decimal',
      { written: 6.94, optedOut: false, current: 6.9 },
      { ownership: 'inferred', transition: 'none' },
    ],
    ['… and rounded up', { written: 6.96, optedOut: false, current: 7.0 }, { ownership: 'inferred', transition: 'none' }],
    ['the person set a whole point', { written: 7.1, optedOut: false, current: 8 }, { ownership: 'manual', transition: 'takeover' }],
    [
      'a change of exactly 0.05 is a takeover',
      { written: 7.1, optedOut: false, current: 7.15 },
      { ownership: 'manual', transition: 'takeover' },
    ],
    ['the person cleared it', { written: 7.1, optedOut: false, current: null }, { ownership: 'opted_out', transition: 'opt_out' }],
    ['it stays opted out', { written: null, optedOut: true, current: null }, { ownership: 'opted_out', transition: 'none' }],
    [
      'the person rated an opted-out item',
      { written: null, optedOut: true, current: 6 },
      { ownership: 'manual', transition: 'rated_after_opt_out' },
    ],
    [
      'a rating Sagewire never wrote is manual',
      { written: null, optedOut: false, current: 9 },
      { ownership: 'manual', transition: 'none' },
    ],
    ['no rating, no state', { written: null, optedOut: false, current: null }, { ownership: 'unrated', transition: 'none' }],
    [
      'a manual rating cleared',
      { written: null, optedOut: false, current: null, previous: 'manual' },
      { ownership: 'unrated', transition: 'manual_cleared' },
    ],
    [
      'an unrated item stays unrated',
      { written: null, optedOut: false, current: null, previous: 'unrated' },
      { ownership: 'unrated', transition: 'none' },
    ],
  ])('%s', (_, facts, verdict) => {
    expect(deriveOwnership(facts)).toEqual(verdict);
  });

  it('a value written on the grid survives Plex rounding to one decimal: no false takeover', () => {
    for (let i = 0; i <= 1000; i++) {
      const written = gridValue(i / 100);
      const roundedByPlex = Number(written.toFixed(1));
      const asFloat32 = Math.fround(written);
      expect(deriveOwnership({ written, optedOut: false, current: roundedByPlex }).ownership).toBe('inferred');
      expect(deriveOwnership({ written, optedOut: false, current: asFloat32 }).ownership).toBe('inferred');
    }
  });
});

describe('write plan', () => {
  const verdict = (ownership: OwnershipVerdict['ownership'], transition: OwnershipVerdict['transition'] = 'none'): OwnershipVerdict => ({
    ownership,
    transition,
  });
  const plan = planWrites({
    values: {
      artists: new Map([
        ['r1', 6.52],
        ['r2', 7.3],
      ]),
      albums: new Map([
        ['a1', 6.96],
        ['a2', 8.0],
      ]),
      tracks: new Map([
        ['t1', 7.04],
        ['t2', 5.11],
        ['t3', 3.98],
        ['t4', 6.2],
        ['t5', 6.2],
        ['t6', 3.3],
      ]),
    },
    verdicts: new Map([
      ['r1', verdict('inferred')],
      ['r2', verdict('manual', 'takeover')],
      ['a2', verdict('opted_out', 'opt_out')],
      ['t2', verdict('inferred')],
      ['t3', verdict('inferred')],
      ['t4', verdict('opted_out')],
      ['t5', verdict('manual')],
      ['x', verdict('manual', 'takeover')],
    ]),
    current: new Map([
      ['r1', 6.5],
      ['r2', 9],
      ['t2', 5.1],
      ['t3', 4.1],
      ['t5', 6],
    ]),
    epsilon: 0.07,
  });

  it('writes new and moved values, never manual or opted-out ones', () => {
    expect(plan.writes).toEqual([
      { key: 'a1', kind: 'album', value: 6.9, computed: 6.96, previous: null, reason: 'new' },
      { key: 't1', kind: 'track', value: 7.1, computed: 7.04, previous: null, reason: 'new' },
      { key: 't3', kind: 'track', value: 3.9, computed: 3.98, previous: 4.1, reason: 'moved' },
      { key: 't6', kind: 'track', value: 3.3, computed: 3.3, previous: null, reason: 'new' },
    ]);
  });

  it('counts drift-skips, takeovers, opt-outs and protected items', () => {
    expect({
      driftSkipped: plan.driftSkipped,
      takeovers: plan.takeovers,
      optOuts: plan.optOuts,
      protectedItems: plan.protectedItems,
    }).toEqual({ driftSkipped: 2, takeovers: 2, optOuts: 1, protectedItems: 4 });
  });
});
