// The shared word index: exact beats prefix beats typo, more query words beat fewer, the tie-break orders
// equal matches, `accept` filters, the limit keeps the best (ties in entry order), and one call leaves no
// trace in the next.
import { describe, expect, it } from 'vitest';
import { WordIndex } from '../../../src/domain/search/word-index.js';

const texts = ['Midnight River', 'Midnights', 'Midnigth Train', 'River Song', 'Blue Midnight River Long Title', 'Ocean'];
const index = WordIndex.build(texts.length, (i) => texts[i]);
const best = (query: string, limit = 10, options = {}) => index.best(WordIndex.tokens(query), limit, options).map((i) => texts[i]);

describe('WordIndex.best', () => {
  it('ranks by words matched, then quality (exact 1, prefix 0.9, typo 0.7), then entry order', () => {
    expect(best('midnight')).toEqual(['Midnight River', 'Blue Midnight River Long Title', 'Midnights', 'Midnigth Train']);
    expect(best('midnight river')).toEqual(['Midnight River', 'Blue Midnight River Long Title']);
  });

  it('orders equal matches by the tie-break, filters with accept, and stops at the limit', () => {
    expect(best('midnight', 10, { tieBreak: (i: number) => texts[i].length })).toEqual([
      'Midnight River',
      'Blue Midnight River Long Title',
      'Midnights',
      'Midnigth Train',
    ]);
    expect(best('river', 10, { tieBreak: (i: number) => texts[i].length })).toEqual([
      'River Song',
      'Midnight River',
      'Blue Midnight River Long Title',
    ]);
    expect(best('river', 10, { accept: (i: number) => i !== 3 })).toEqual(['Midnight River', 'Blue Midnight River Long Title']);
    expect(best('midnight', 2)).toEqual(['Midnight River', 'Blue Midnight River Long Title']);
  });

  it('answers nothing for no words or no match, and each call starts clean', () => {
    expect(best('')).toEqual([]);
    expect(best('zzzz')).toEqual([]);
    expect(best('ocean')).toEqual(['Ocean']);
    expect(best('ocean')).toEqual(['Ocean']);
  });

  it('builds the same index in steps as at once', () => {
    const many = Array.from({ length: 60_000 }, (_, i) => `Song ${i} ${['Blue', 'Night'][i % 2]}`);
    const steps = WordIndex.collect(many.length, (i) => many[i]);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses += 1;
      step = steps.next();
    }
    expect(pauses).toBeGreaterThan(2);
    const whole = WordIndex.build(many.length, (i) => many[i]);
    for (const q of ['song 4242', 'nigth', 'blue 7'])
      expect(step.value.best(WordIndex.tokens(q), 50), q).toEqual(whole.best(WordIndex.tokens(q), 50));
  });
});
