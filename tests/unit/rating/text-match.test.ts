import { describe, expect, it } from 'vitest';
import { hasBracketedPart, isCompilationArtistName, keywordMatcher, norm } from '../../../src/domain/rating/index.js';
import { seededRandom } from '../../support/seeded-random.js';

/** The spec's pipeline, literally: what norm() must equal on every input (it takes a faster path on ASCII). */
const specNorm = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();

describe('norm', () => {
  it.each([
    ['Beyoncé', 'beyonce'],
    ['  The   Beatles ', 'the beatles'],
    ["Don't Stop Me Now", 'don t stop me now'],
    ['Don’t Stop Me Now', 'don t stop me now'],
    ['AC/DC', 'ac dc'],
    ['Sigur Rós — Hoppípolla!', 'sigur ros hoppipolla'],
    ['ＦＵＬＬＷＩＤＴＨ ①', 'fullwidth 1'],
    ['Motörhead', 'motorhead'],
    ['Ǆ', 'dz'],
    ['Песня №1', 'песня no1'],
    ['東京事変', '東京事変'],
    ['Various\tArtists', 'various artists'],
    ['???', ''],
  ])('norm(%j) = %j', (input, expected) => {
    expect(norm(input)).toBe(expected);
  });

  it('equals the spec pipeline on 20,000 random strings (ASCII, control characters and accents mixed)', () => {
    const random = seededRandom(99);
    const alphabet = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), 'é', 'ß', 'Ⅻ', '’', 'ü', '\u0301', '①', 'Ǆ'];
    for (let i = 0; i < 20_000; i++) {
      const ascii = random() < 0.7;
      const length = Math.floor(random() * 24);
      let text = '';
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * (ascii ? 128 : alphabet.length))];
      expect(norm(text), JSON.stringify(text)).toBe(specNorm(text));
    }
  });

  it.each([
    ['Various Artists', true],
    ['VARIOUS ARTISTS', true],
    ['  Various   Artists!', true],
    ['Various Artists & Friends', false],
    ['Various', false],
  ])('compilation placeholder %j → %s', (name, expected) => {
    expect(isCompilationArtistName(name)).toBe(expected);
  });
});

describe('whole-word keyword matching', () => {
  const matches = keywordMatcher(['intro', 'outro', 'skit']);
  it.each([
    ['Intro', true],
    ['Intro (Live)', true],
    ['intro-2', true],
    ['The Intro.', true],
    ['Introduction', false],
    ['intro2', false],
    ['Retro Intros', false],
    ['Skit #4', true],
    ['Skittles', false],
    ['Outro', true],
    ['éintro', false],
    ['Song', false],
  ])('%j → %s', (title, expected) => {
    expect(matches(title)).toBe(expected);
  });

  it('keywords are trimmed, lower-cased, escaped; an empty list matches nothing', () => {
    expect(keywordMatcher([' DEMO '])('Song (Demo)')).toBe(true);
    expect(keywordMatcher(['a.b'])('axb')).toBe(false);
    expect(keywordMatcher(['a.b'])('a.b')).toBe(true);
    expect(keywordMatcher([])('anything')).toBe(false);
    expect(keywordMatcher(['', '  '])('anything')).toBe(false);
  });
});

describe('bracketed titles', () => {
  it.each([
    ['Song (Radio Edit)', true],
    ['Song [2011 Remaster]', true],
    ['Song (', false],
    ['Song ) (', false],
    ['Song', false],
  ])('%j → %s', (title, expected) => {
    expect(hasBracketedPart(title)).toBe(expected);
  });
});
