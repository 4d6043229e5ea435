// The full pass, branch by branch, against values computed by hand (C = 3, W = 1/1, g_album 0.8, g_track 0.3).
import { describe, expect, it } from 'vitest';
import { LibraryBuilder, owned } from './support/library-builder.js';
import { run } from './support/run.js';

const expectValues = (value: (key: string) => number | undefined, expected: Record<string, number | undefined>) => {
  for (const [key, want] of Object.entries(expected)) {
    if (want === undefined) expect(value(key), key).toBeUndefined();
    else expect(value(key), key).toBeCloseTo(want, 12);
  }
};

describe('prior, evidence, artists and albums', () => {
  // μ = (8 + 6 + 4)/3 = 6
  // r1: e_a1 = (3·6 + 14)/5 = 6.4;  v_r1 = (3·6 + 6.4)/4 = 6.1;  v_a1 = (3·6.1 + 14)/5 = 6.46
  // r2: e_a2 = (3·6 + 4)/4 = 5.5;   v_r2 = (3·6 + 5.5)/4 = 5.875; v_a2 = (3·5.875 + 4)/4 = 5.40625
  // a3 (no evidence) = v_r2 = 5.875
  const lib = new LibraryBuilder()
    .artist('r1')
    .album('a1', 'r1')
    .track('t1', 'a1')
    .track('t2', 'a1')
    .track('t3', 'a1')
    .artist('r2')
    .album('a2', 'r2')
    .track('t4', 'a2')
    .track('t5', 'a2')
    .album('a3', 'r2')
    .track('t6', 'a3');
  const ownership = owned({ t1: 8, t2: 6, t4: 4 });

  it('follows every formula', () => {
    const { values, value } = run(lib, ownership);
    expect(values.mu).toBe(6);
    expect(values.kappa).toBeNull();
    expectValues(value, { r1: 6.1, a1: 6.46, t3: 6.46, r2: 5.875, a2: 5.40625, t5: 5.40625, a3: 5.875, t6: 5.875 });
  });

  it('manual tracks are never in the output', () => {
    const { values } = run(lib, ownership);
    expect([...values.tracks.keys()]).toEqual(['t3', 't5', 't6']);
  });

  it('C changes the weight of the prior: C = 1', () => {
    // e_a1 = (6 + 14)/3 = 20/3; v_r1 = (6 + 20/3)/2 = 19/3; v_a1 = (19/3 + 14)/3 = 61/9
    const { value } = run(lib, ownership, { C: '1' });
    expectValues(value, { r1: 19 / 3, a1: 61 / 9 });
  });

  it('no evidence at all: μ = 6.0 everywhere', () => {
    const { values, value } = run(lib, owned());
    expect(values.mu).toBe(6);
    expectValues(value, { r1: 6, a1: 6, t1: 6, a3: 6 });
  });

  it('artists use manual album ratings and the evidence of their other albums', () => {
    // μ = 6 (only t4); a2 manual 9 → X_r2 = {9} + e_a3? a3 has no evidence; t4 is on a2 (manual album)
    // so X_r2 = {9}: v_r2 = (18 + 9)/4 = 6.75; a3 = 6.75; t5 = 9·0.7 + 6·0.3 = 8.1
    const { value } = run(lib, owned({ t4: 6, a2: 9 }));
    expectValues(value, { r2: 6.75, a2: undefined, a3: 6.75, t5: 8.1, t6: 6.75 });
  });
});

describe('critic signal', () => {
  // μ = 6 (no evidence); κ = mean(9, 7) = 8 (the album with critic 0 does not count); base = v_r = μ = 6
  const lib = new LibraryBuilder()
    .artist('r')
    .album('hi', 'r', { criticRating: 9 })
    .track('t1', 'hi')
    .album('lo', 'r', { criticRating: 7 })
    .track('t2', 'lo')
    .album('zero', 'r', { criticRating: 0 })
    .track('t3', 'zero')
    .album('none', 'r')
    .track('t4', 'none');

  it.each([
    ['defaults: (b + clamp(b + critic − κ))/2', {}, { hi: 6.5, lo: 5.5, zero: 6, none: 6, r: 6 }],
    ['W_critic = 0 ignores critics', { W_critic: '0' }, { hi: 6, lo: 6, zero: 6, none: 6 }],
    ['W_global = 0: the shifted base alone', { W_global: '0' }, { hi: 7, lo: 5 }],
    ['W_critic = 3: (6 + 3·7)/4', { W_critic: '3' }, { hi: 6.75, lo: 5.25 }],
  ] as const)('%s', (_, overrides, expected) => {
    const { values, value } = run(lib, owned(), overrides);
    expect(values.kappa).toBe(8);
    expectValues(value, expected);
  });

  it('the artist sees e_a = (C·crit(μ) + ΣE)/(C + n)', () => {
    // μ = 8 (t1 only); p⁰_hi = (8 + 9)/2 = 8.5; e_hi = (25.5 + 8)/4 = 8.375; v_r = (24 + 8.375)/4 = 8.09375
    // v_hi = (3·crit(8.09375) + 8)/4, crit = (8.09375 + 9.09375)/2 = 8.59375 → (25.78125 + 8)/4 = 8.4453125
    const { value } = run(lib, owned({ t1: 8 }));
    expectValues(value, { r: 8.09375, hi: 8.4453125, t2: (8.09375 + 7.09375) / 2 });
  });

  it('clamps the shifted base to [0, 10]', () => {
    // κ = (0.5 + 9.5)/2 = 5; g_album = 0 → base = the artist's manual rating
    const clampLib = new LibraryBuilder()
      .artist('low')
      .album('l1', 'low', { criticRating: 0.5 })
      .album('l2', 'low', { criticRating: 9.5 })
      .artist('high')
      .album('h1', 'high', { criticRating: 9.5 })
      .album('h2', 'high', { criticRating: 0.5 });
    const { value } = run(clampLib, owned({ low: 1, high: 9 }), { g_album: '0' });
    // low: 1 + (0.5 − 5) = −3.5 → 0 → 0.5;  1 + 4.5 = 5.5 → 3.25
    // high: 9 + 4.5 = 13.5 → 10 → 9.5;      9 − 4.5 = 4.5 → 6.75
    expectValues(value, { l1: 0.5, l2: 3.25, h1: 9.5, h2: 6.75, low: undefined, high: undefined });
  });
});

describe('gravity', () => {
  it('an album under a manual artist: base = R·(1 − g_album) + μ·g_album', () => {
    // μ = 10 (t3); base = 9·0.2 + 10·0.8 = 9.8; a1 = 9.8; a2 = (3·9.8 + 10)/4 = 9.85
    const lib = new LibraryBuilder().artist('r').album('a1', 'r').track('t1', 'a1').album('a2', 'r').track('t3', 'a2').track('t4', 'a2');
    const { value } = run(lib, owned({ r: 9, t3: 10 }));
    expectValues(value, { r: undefined, a1: 9.8, t1: 9.8, a2: 9.85, t4: 9.85 });
  });

  it('a track under a manual album: V·(1 − g_track) + μ·g_track', () => {
    // μ = 6; t1 = 8·0.7 + 6·0.3 = 7.4; X_r = {8}: v_r = (18 + 8)/4 = 6.5; a2 = 6.5
    const lib = new LibraryBuilder().artist('r').album('a1', 'r').track('t1', 'a1').album('a2', 'r').track('t2', 'a2');
    const { value } = run(lib, owned({ a1: 8 }));
    expectValues(value, { t1: 7.4, a1: undefined, r: 6.5, a2: 6.5, t2: 6.5 });
    expectValues(run(lib, owned({ a1: 8 }), { g_track: '0' }).value, { t1: 8 });
    expectValues(run(lib, owned({ a1: 8 }), { g_track: '1' }).value, { t1: 6 });
  });
});

describe('fill_unknown off', () => {
  const lib = new LibraryBuilder()
    .artist('quiet')
    .album('q1', 'quiet')
    .track('q1t', 'q1')
    .artist('rated')
    .album('r1', 'rated')
    .track('r1t', 'r1')
    .album('r2', 'rated')
    .track('r2t', 'r2')
    .artist('byhand')
    .album('b1', 'byhand')
    .track('b1t', 'b1')
    .artist('va', 'Various Artists')
    .album('c1', 'va')
    .track('c1t', 'c1')
    .track('c1u', 'c1')
    .album('c2', 'va')
    .track('c2t', 'c2');

  it('items with no evidence anywhere in their chain get no value', () => {
    // μ = (7 + 5)/2 = 6. r1: e = (18 + 7)/4 = 6.25; X = {6.25} → v = (18 + 6.25)/4 = 6.0625; r2 = 6.0625
    // c1 = (3·6 + 5)/4 = 5.75 (base μ); c2 has no evidence and the placeholder has no value → none
    const { value } = run(lib, owned({ r1t: 7, c1t: 5, byhand: 8 }), { fill_unknown: 'false' });
    expectValues(value, {
      quiet: undefined,
      q1: undefined,
      q1t: undefined,
      rated: 6.0625,
      r2: 6.0625,
      r2t: 6.0625,
      b1: 8 * 0.2 + 6 * 0.8,
      b1t: 8 * 0.2 + 6 * 0.8,
      va: undefined,
      c1: 5.75,
      c1u: 5.75,
      c2: undefined,
      c2t: undefined,
    });
  });

  it('a manual album still gives its tracks a value', () => {
    const { value } = run(lib, owned({ q1: 4 }), { fill_unknown: 'false' });
    expectValues(value, { q1t: 4 * 0.7 + 6 * 0.3, quiet: (18 + 4) / 4 });
  });
});

describe('compilation placeholder', () => {
  // μ = (4 + 8)/2 = 6; r1: e = (18 + 4)/4 = 5.5, v = (18 + 5.5)/4 = 5.875
  // va never gets a value; c1 = (3·6 + 8)/4 = 6.5 (base μ, not a value of "Various Artists"); c2 = 6
  const lib = new LibraryBuilder()
    .artist('r1')
    .album('a1', 'r1')
    .track('t1', 'a1')
    .artist('va', 'VARIOUS ARTISTS')
    .album('c1', 'va')
    .track('c1t1', 'c1', { trackArtist: 'Someone' })
    .track('c1t2', 'c1')
    .album('c2', 'va')
    .track('c2t1', 'c2');

  it('gets no value and its albums take μ as their base', () => {
    const { values, value } = run(lib, owned({ t1: 4, c1t1: 8 }));
    expect(values.artists.has('va')).toBe(false);
    expectValues(value, { r1: 5.875, c1: 6.5, c1t2: 6.5, c2: 6, c2t1: 6 });
  });

  it('rated by hand, it anchors its albums with gravity like any manual artist', () => {
    const { values, value } = run(lib, owned({ t1: 4, c1t1: 8, va: 9 }));
    expect(values.artists.has('va')).toBe(false);
    expectValues(value, { c2: 9 * 0.2 + 6 * 0.8, c1: (3 * (9 * 0.2 + 6 * 0.8) + 8) / 4 });
  });

  it('its manual album keeps its rating', () => {
    const { value } = run(lib, owned({ t1: 4, c1t1: 8, c2: 3 }));
    expectValues(value, { c2: undefined, c2t1: 3 * 0.7 + 6 * 0.3 });
  });
});

describe('ownership in the computation', () => {
  const lib = new LibraryBuilder().artist('r').album('a1', 'r').track('t1', 'a1').track('t2', 'a1').album('a2', 'r').track('t3', 'a2');

  it('an opted-out track gets no value; an opted-out album or artist is rated as if unrated and feeds its children', () => {
    // μ = 8; e_a1 = (24 + 8)/4 = 8; v_r = 8; all 8 — so use a manual album to see the feed
    const { values, value } = run(lib, owned({ t1: 8, a2: 4 }, ['t2', 'a1', 'r']));
    // X_r = {e_a1 = 8, 4} → v_r = (24 + 12)/5 = 7.2; a1 = (3·7.2 + 8)/4 = 7.4; t3 = 4·0.7 + 8·0.3 = 5.2
    expectValues(value, { r: 7.2, a1: 7.4, t2: undefined, t3: 5.2 });
    expect(values.tracks.has('t2')).toBe(false);
  });
});
