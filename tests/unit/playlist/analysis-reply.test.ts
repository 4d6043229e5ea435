// The analysis model's reply read field by field: listening wishes as strict-schema providers send them,
// as looser servers write them (text, nested), bad values left out with a warning, spans clamped, and the
// wishes becoming the same filters as the offline reader's; the schema and prompt asking for them.
import { describe, expect, it } from 'vitest';
import {
  ANALYSIS_SHAPE,
  analyseOffline,
  analysisPrompt,
  readAnalysis,
  type FilterSpec,
  type Vocabulary,
} from '../../../src/domain/playlist/index.js';
import { planFromAnalysis } from '../../../src/playlists/request-plan.js';
import { strictSchema } from '../../../src/playlists/providers/openai.js';

const strict = {
  genres: ['Jazz'],
  styles: [],
  moods: [],
  artists: [],
  likeArtists: [],
  decades: [],
  keywords: [],
  excludeLive: true,
  minRating: null,
  neverPlayed: false,
  mostPlayed: false,
  notPlayedMonths: null,
};

describe('listening wishes in the analysis reply', () => {
  it.each<[string, Record<string, unknown>, FilterSpec | undefined, string[]]>([
    ['no wish', {}, undefined, []],
    ['never played', { neverPlayed: true }, { neverPlayed: true }, []],
    ['most played', { mostPlayed: true }, { minPlays: 10 }, []],
    ['a span', { notPlayedMonths: 12 }, { notPlayedMonths: 12 }, []],
    ['a span wins over never played', { neverPlayed: true, notPlayedMonths: 6 }, { notPlayedMonths: 6 }, []],
    ['a span and most played', { mostPlayed: true, notPlayedMonths: 1 }, { minPlays: 10, notPlayedMonths: 1 }, []],
    ['a span above the limit is the limit', { notPlayedMonths: 1200 }, { notPlayedMonths: 600 }, []],
    ['a part of a month is a whole one', { notPlayedMonths: 1.4 }, { notPlayedMonths: 1 }, []],
    ['a tiny span is one month', { notPlayedMonths: 0.2 }, { notPlayedMonths: 1 }, []],
    ['zero months is no span', { notPlayedMonths: 0 }, undefined, []],
    ['flags and months as text', { neverPlayed: 'TRUE', mostPlayed: 'false', notPlayedMonths: ' 18 ' }, { notPlayedMonths: 18 }, []],
    ['nested the way the filters are named', { neverPlayed: null, listening: { neverPlayed: true } }, { neverPlayed: true }, []],
    ['top-level fields win over nested ones', { notPlayedMonths: 3, listening: { notPlayedMonths: 9 } }, { notPlayedMonths: 3 }, []],
    [
      'a flag that is not true or false',
      { mostPlayed: 'often', neverPlayed: 1 },
      undefined,
      [
        `ignored the analysis model's neverPlayed (1): not true or false`,
        `ignored the analysis model's mostPlayed ("often"): not true or false`,
      ],
    ],
    [
      'months that are not a number',
      { notPlayedMonths: 'ages', neverPlayed: true },
      { neverPlayed: true },
      [`ignored the analysis model's notPlayedMonths ("ages"): not a number of months`],
    ],
    ['negative months', { notPlayedMonths: -3 }, undefined, [`ignored the analysis model's notPlayedMonths (-3): not a number of months`]],
  ])('%s', (_label, fields, listening, warnings) => {
    const reply = readAnalysis({ ...strict, ...fields });
    expect(reply.listening).toEqual(listening);
    expect(reply.warnings ?? []).toEqual(warnings);
    expect(reply.genres).toEqual(['Jazz']);
  });

  it('reads the same from text, fenced or not', () => {
    const text = `Here:\n\`\`\`json\n${JSON.stringify({ ...strict, notPlayedMonths: 24 })}\n\`\`\``;
    expect(readAnalysis(text).listening).toEqual({ notPlayedMonths: 24 });
    expect(readAnalysis(JSON.stringify({ ...strict, mostPlayed: true })).listening).toEqual({ minPlays: 10 });
  });

  it('maps wishes to the filters the offline reader gives for the same words', () => {
    const vocab: Vocabulary = { genres: [{ tag: 'Jazz', count: 4 }], styles: [], moods: [], decades: [] };
    for (const [request, fields] of [
      ["jazz I haven't heard in 2 years", { notPlayedMonths: 24 }],
      ["jazz I've never played", { neverPlayed: true }],
      ['my most played jazz', { mostPlayed: true }],
    ] as const) {
      expect(readAnalysis({ ...strict, ...fields }).listening).toEqual(analyseOffline(request, vocab, []).listening);
    }
  });

  it('gives the plan the wishes as filters and the left-out values as warnings', () => {
    const vocab: Vocabulary = { genres: [{ tag: 'Jazz', count: 4 }], styles: [], moods: [], decades: [] };
    const plan = planFromAnalysis(readAnalysis({ ...strict, neverPlayed: 'maybe', notPlayedMonths: 12 }), 25, {
      vocabulary: vocab,
      knownArtists: () => [],
      artistTags: () => ({ genres: [], styles: [] }),
      count: () => 100,
      variety: 1,
    });
    expect(plan.filters).toMatchObject({ genres: ['Jazz'], notPlayedMonths: 12 });
    expect(plan.filters.neverPlayed).toBeUndefined();
    expect(plan.warnings).toEqual([`ignored the analysis model's neverPlayed ("maybe"): not true or false`]);
  });
});

describe('asking for the wishes', () => {
  it('puts every wish in the schema, required, the span nullable (a type union in strict mode)', () => {
    const { schema } = ANALYSIS_SHAPE;
    expect(schema.required).toEqual(expect.arrayContaining(['neverPlayed', 'mostPlayed', 'notPlayedMonths']));
    expect(schema.required).toEqual(Object.keys(schema.properties ?? {}));
    const openai = strictSchema(schema) as { properties: Record<string, { type: unknown }> };
    expect(openai.properties.notPlayedMonths.type).toEqual(['integer', 'null']);
    expect(openai.properties.neverPlayed.type).toBe('boolean');
  });

  it('names them in the prompt in a few words, negation included', () => {
    const vocab: Vocabulary = { genres: [], styles: [], moods: [], decades: [] };
    const { system, user } = analysisPrompt('x', vocab);
    expect(system).toContain('"neverPlayed": boolean, "mostPlayed": boolean, "notPlayedMonths": number|null');
    const hint = /Play history[^\n]*/.exec(user)?.[0] ?? '';
    expect(hint).toMatch(/not when negated \("not my most played"\)/);
    expect(hint.split(' ').length).toBeLessThan(16);
  });
});
