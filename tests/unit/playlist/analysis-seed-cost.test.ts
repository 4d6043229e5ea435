import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRICES,
  analyseOffline,
  costOf,
  describeSeedOffline,
  mergePrices,
  priceOf,
  seedPlan,
  sequenceTracks,
  energy,
  type Vocabulary,
} from '../../../src/domain/playlist/index.js';
import { track } from './fixtures.js';

const vocab: Vocabulary = {
  genres: [
    { tag: 'Pop/Rock', count: 10 },
    { tag: 'Electronic', count: 5 },
  ],
  styles: [
    { tag: 'Dream Pop', count: 3 },
    { tag: 'Alternative Pop/Rock', count: 3 },
    { tag: 'Shoegaze', count: 2 },
  ],
  moods: [
    { tag: 'Melancholy', count: 4 },
    { tag: 'Laid-Back/Mellow', count: 2 },
  ],
  decades: [1980, 1990],
};

describe('offline analysis', () => {
  const withAggressive: Vocabulary = { ...vocab, moods: [...vocab.moods, { tag: 'Aggressive', count: 3 }] };
  it.each<[string, Partial<Record<'genres' | 'styles' | 'moods', string[]>>]>([
    ['late night electronic, nothing too aggressive', { genres: ['Electronic'], moods: [] }],
    ['aggressive electronic', { genres: ['Electronic'], moods: ['Aggressive'] }],
    ['no electronic, melancholic shoegaze', { genres: [], styles: ['Shoegaze'], moods: ['Melancholy'] }],
    ['shoegaze without anything aggressive', { styles: ['Shoegaze'], moods: [] }],
    // Refused in one clause, asked for in another: asked for wins.
    ['not aggressive at first, then aggressive by the end', { moods: ['Aggressive'] }],
    // A comma ends a negation's reach.
    ['no live takes, aggressive electronic', { genres: ['Electronic'], moods: ['Aggressive'] }],
  ])('"%s" → %j (a refused tag is dropped, never a filter)', (request, expected) => {
    const a = analyseOffline(request, withAggressive, []);
    expect(a).toMatchObject(expected);
    if (expected.moods?.length === 0) expect(a.keywords).not.toContain('aggressive');
  });

  it('reads tags, decades, artists, live and rating wishes from the request', () => {
    const a = analyseOffline('melancholic 90s dream pop like Slowdive, 4 stars', vocab, ['Slowdive', 'Ride', 'Air']);
    expect(a).toMatchObject({
      styles: ['Dream Pop'],
      moods: ['Melancholy'],
      decades: [1990],
      likeArtists: ['Slowdive'],
      artists: [],
      excludeLive: true,
      minRating: 4,
    });
    expect(analyseOffline("Ride's best live recordings from the eighties", vocab, ['Ride'])).toMatchObject({
      artists: ['Ride'],
      decades: [1980],
      excludeLive: false,
    });
    expect(analyseOffline('laid back mellow electronic', vocab, [])).toMatchObject({ genres: ['Electronic'], moods: ['Laid-Back/Mellow'] });
  });
});

describe('seed', () => {
  const seed = track({
    artist: 'Slowdive',
    year: 1993,
    durationMs: 390_000,
    tags: { genres: ['Pop/Rock'], styles: ['Shoegaze'], moods: ['Dreamy', 'Melancholy'] },
  });
  it('describes the seed specifically along 5–7 dimensions', () => {
    const dims = describeSeedOffline(seed);
    expect(dims.length).toBeGreaterThanOrEqual(5);
    expect(dims.length).toBeLessThanOrEqual(7);
    expect(dims.find((d) => d.dimension === 'era')?.description).toBe('1990s, around 1993');
    expect(dims.find((d) => d.dimension === 'length')?.description).toMatch(/^long-form/);
  });
  it('builds the pool around the ticked dimensions', () => {
    const plan = seedPlan(
      seed,
      [
        { dimension: 'era', description: '' },
        { dimension: 'genre', description: '' },
      ],
      7,
    );
    expect(plan.filters).toEqual({ excludeLive: true, genres: ['Pop/Rock'], yearRange: [1983, 2003] });
    expect(plan.rank).toMatchObject({ artists: ['Slowdive'], year: 1993, styles: ['Shoegaze'], moods: [] });
  });
});

describe('sequencing', () => {
  it('orders every track once, starting calm and peaking mid-way', () => {
    const items = [
      ...Array.from({ length: 4 }, (_, i) => ({ track: track({ tags: { moods: ['Energetic'] }, year: 1990 + i }) })),
      ...Array.from({ length: 4 }, (_, i) => ({ track: track({ tags: { moods: ['Mellow'] }, year: 1990 + i }) })),
    ];
    const ordered = sequenceTracks(items);
    expect(new Set(ordered).size).toBe(8);
    expect(energy(ordered[0].track)).toBeLessThan(0.5);
    expect(Math.max(...ordered.slice(2, 6).map((o) => energy(o.track)))).toBe(1);
  });
});

describe('cost', () => {
  it('prices by model (dated variants by prefix), local models free, unknown ones null', () => {
    expect(
      costOf(priceOf(DEFAULT_PRICES, 'openai', 'gpt-5-mini-2025-08-07'), { inputTokens: 1_000_000, outputTokens: 100_000 }),
    ).toBeCloseTo(0.45);
    expect(priceOf(DEFAULT_PRICES, 'openai-compatible', 'llama3.1')).toEqual({ input: 0, output: 0 });
    expect(costOf(priceOf(DEFAULT_PRICES, 'anthropic', 'claude-opus-9'), { inputTokens: 1, outputTokens: 1 })).toBeNull();
    const edited = mergePrices(DEFAULT_PRICES, { anthropic: { 'claude-opus-9': { input: 10, output: 50 } } });
    expect(priceOf(edited, 'anthropic', 'claude-opus-9')).toEqual({ input: 10, output: 50 });
    expect(priceOf(edited, 'anthropic', 'claude-haiku-4-5')).toEqual(DEFAULT_PRICES.anthropic['claude-haiku-4-5']);
  });
});
