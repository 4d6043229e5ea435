// The explorer's "how is this computed", in stars, with a fitted model: the fitted confidence (not a
// whole number, never "3 virtual ratings"), listening as its own term so each equation stays true, and a
// track's plays and skips in words.
import { describe, expect, it } from 'vitest';
import {
  buildLibraryIndex,
  computeAll,
  explainItem,
  modelTerms,
  ratingParamsFromOverrides,
  type ModelConstants,
} from '../../../src/domain/rating/index.js';
import { explainInStars } from '../../../src/web/read-models/explain-stars.js';
import { LibraryBuilder, owned } from '../rating/support/library-builder.js';

const lib = new LibraryBuilder()
  .artist('r1', 'Artist One')
  .album('a1', 'r1', { title: 'First' })
  .track('t1', 'a1')
  .track('t2', 'a1')
  .track('t3', 'a1')
  .track('t4', 'a1')
  .album('a2', 'r1', { title: 'Second' })
  .track('u1', 'a2')
  .track('u2', 'a2')
  .artist('r2', 'Artist Two')
  .album('b1', 'r2', { title: 'Never Played' })
  .track('v1', 'b1')
  .track('v2', 'b1');
const plays: Record<string, [number, number]> = { t1: [12, 0], t2: [3, 1], t3: [41, 2], t4: [1, 4], u1: [5, 0], u2: [2, 0] };
for (const track of lib.snapshot.tracks) {
  const [p, s] = plays[track.key] ?? [0, 0];
  track.plays = p;
  track.skips = s;
}
const ownership = owned({ t1: 8, t2: 6, u1: 7, v1: 5 });
const constants: ModelConstants = { cAlbum: 2.3456, cArtist: 4.5, beta: 0.6, gammaLevel: 0.4, gammaUnplayed: -0.5 };

function explainer(overrides: Record<string, string> = {}) {
  const params = ratingParamsFromOverrides(overrides);
  const index = buildLibraryIndex(lib.snapshot, params);
  const terms = modelTerms(index, constants);
  const values = computeAll(index, ownership, params, terms);
  return (key: string) => {
    const e = explainItem(index, ownership, params, key, values, terms)!;
    return { e, stars: explainInStars(e, params, { mu: values.mu }) };
  };
}

/** Evaluates "(C × x★ + y★ + …) / (C + n) ±d★ from listening" as written, in stars. */
function evaluate(line: string): { value: number; computed: number } {
  const match = /^\w+ ([\d.]+)★ = \(([\d.]+) × ([\d.]+)★ \+ (.+)\) \/ \(([\d.]+) \+ (\d+)\)(?: ([+−])([\d.]+)★ from listening)?/.exec(line);
  if (!match) throw new Error(`not a weighted mean: ${line}`);
  const [, value, c, prior, rest, c2, n, sign, shift] = match;
  expect(c2).toBe(c);
  const sum = rest.split(' + ').reduce((total, term) => total + Number(term.replace('★', '')), 0);
  const mean = (Number(c) * Number(prior) + sum) / (Number(c) + Number(n));
  return { value: Number(value), computed: mean + (shift ? (sign === '−' ? -1 : 1) * Number(shift) : 0) };
}

describe('explanations in stars with a fitted model', () => {
  const explain = explainer();

  it('an album: the fitted confidence with two decimals, listening as its own term, and the equation holds', () => {
    const { stars } = explain('a1');
    expect(stars.line).toMatch(
      /^album [\d.]+★ = \(2\.35 × [\d.]+★ \+ 4★ \+ 3★\) \/ \(2\.35 \+ 2\) [+−][\d.]+★ from listening, prior from the artist$/,
    );
    const { value, computed } = evaluate(stars.line);
    // Each star figure is rounded to two decimals: the equation holds to that precision.
    expect(Math.abs(value - computed)).toBeLessThan(0.03);
    expect(stars.steps.join(' ')).toContain('the prior counts as 2.35 ratings (the confidence C, chosen from your ratings: see Reports)');
    expect(stars.steps.join(' ')).toMatch(/Listening moves the album [+−][\d.]+★: how much it is played/);
    expect(`${stars.line} ${stars.steps.join(' ')}`).not.toMatch(/virtual/);
  });

  it('an artist: the fitted artist confidence', () => {
    const { stars } = explain('r1');
    expect(stars.line).toMatch(/^artist [\d.]+★ = \(4\.5 × [\d.]+★ \+ [\d.]+★ \+ [\d.]+★\) \/ \(4\.5 \+ 2\)/);
    const { value, computed } = evaluate(stars.line);
    expect(Math.abs(value - computed)).toBeLessThan(0.03);
    expect(stars.steps[0]).toMatch(/counts as 4\.5 ratings/);
  });

  it('a played track: its plays and skips and what they move, against its album', () => {
    const { e, stars } = explain('t3');
    expect(e.kind === 'track' && e.listening).toBeTruthy();
    const shift = e.kind === 'track' ? e.listening!.shift : 0;
    const expected = `${shift < 0 ? '−' : '+'}${Math.round((Math.abs(shift) / 2) * 100) / 100}★`;
    expect(stars.steps).toContain(`played 41 times, skipped twice: ${expected} against its album`);
    expect(stars.line).toMatch(
      new RegExp(`^track [\\d.]+★ = its album's value [\\d.]+★ \\${expected[0]}${expected.slice(1).replace('.', '\\.')} from listening$`),
    );
  });

  it('says when a kind is kept out of inference, and passes an exclusion through in words', () => {
    const onlyTracks = explainer({ 'infer.kinds': 'track' });
    expect(onlyTracks('a1').stars.steps).toContain(
      'Sagewire does not write this value: albums are kept out of inference (infer.kinds in Settings).',
    );
    expect(onlyTracks('t3').stars.steps.join(' ')).not.toContain('kept out');
    const excluded = explainer({ 'exclude.albums': 'Never Played' });
    expect(excluded('b1').stars).toEqual({
      line: 'album is excluded from inference (by its genre, artist or title): Sagewire leaves it alone',
      steps: [],
    });
  });

  it('a fixed C says it is set in Settings; the classic model has no listening term', () => {
    const params = ratingParamsFromOverrides({ C: '3', listening: 'off' });
    const index = buildLibraryIndex(lib.snapshot, params);
    const values = computeAll(index, ownership, params);
    const album = explainInStars(explainItem(index, ownership, params, 'a1', values)!, params, { mu: values.mu });
    expect(album.line).toMatch(/^album [\d.]+★ = \(3 × [\d.]+★ \+ 4★ \+ 3★\) \/ \(3 \+ 2\), prior from the artist$/);
    expect(album.steps.join(' ')).toContain('the prior counts as 3 ratings (the confidence C set in Settings)');
    const track = explainInStars(explainItem(index, ownership, params, 't3', values)!, params, { mu: values.mu });
    expect(track).toEqual({ line: expect.stringMatching(/^track [\d.]+★ = its album's value$/), steps: [] });
  });
});
