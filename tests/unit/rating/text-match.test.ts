import { describe, expect, it } from 'vitest';
import { hasBracketedPart, isCompilationArtistName, keywordMatcher, norm } from '../../../src/domain/rating/index.js';

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
