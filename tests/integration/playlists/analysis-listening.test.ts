// Listening wishes in a prompt, read by each provider's official SDK against the fake model server: the
// analysis call asks for them in the provider's own structured-output form, the reply's wishes become the
// plan's filters (a negated "most played" none), and a loosely written reply is read with warnings.
import { beforeAll, describe, expect, it } from 'vitest';
import type { FilterSpec } from '../../../src/domain/playlist/index.js';
import type { FakeLlm } from '../../support/fake-llm/server.js';
import type { Harness } from './support/harness.js';
import { sdkHarnesses } from './support/sdk-cases.js';

const sdk = sdkHarnesses();
const { cases } = sdk;
let fake: FakeLlm;
let h: Harness;
beforeAll(() => {
  ({ fake, h } = sdk);
});

const listening = (f: FilterSpec) => {
  const { neverPlayed, minPlays, notPlayedMonths } = f;
  return Object.fromEntries(Object.entries({ neverPlayed, minPlays, notPlayedMonths }).filter(([, v]) => v !== undefined));
};

const PROMPTS: [string, FilterSpec][] = [
  ["melancholy songs I haven't played in ages", { notPlayedMonths: 6 }],
  ["melancholy songs I haven't heard in 2 years, not my most played", { notPlayedMonths: 24 }],
  ['melancholy songs I have never played', { neverPlayed: true }],
  ['my most played melancholy songs', { minPlays: 10 }],
  ['melancholy songs for a rainy day', {}],
];

describe.each(cases)('$label', ({ provider, model, harness }) => {
  it.each(PROMPTS)('"%s" → %j', async (prompt, expected) => {
    fake.requests.length = 0;
    const result = await harness().service.generate({ prompt, count: 10, provider, model, variety: 4 });
    expect(fake.requests[0].role).toBe('analysis');
    expect(listening(result.filters)).toEqual(expected);
    // Moods may be relaxed in this library; the wishes are kept and nothing in the reply is left out.
    expect(result.warnings.filter((w) => /relaxed minPlays|ignored/.test(w))).toEqual([]);
    expect(result.tracks).toHaveLength(10);
  });
});

describe('the analysis call', () => {
  it('asks each provider for the wishes in its own structured-output form', async () => {
    fake.requests.length = 0;
    for (const { provider, model, harness } of cases) {
      await harness().service.generate({ prompt: "songs I haven't played in ages", count: 10, provider, model, variety: 1 });
    }
    const [openai, anthropic, gemini, compatible, native] = fake.requests.filter((r) => r.role === 'analysis');
    const strict = openai.body.response_format.json_schema;
    expect(strict.strict).toBe(true);
    expect(strict.schema.required).toEqual(expect.arrayContaining(['neverPlayed', 'mostPlayed', 'notPlayedMonths']));
    expect(strict.schema.properties.notPlayedMonths.type).toEqual(['integer', 'null']);
    expect(anthropic.body.tools[0].input_schema.required).toEqual(expect.arrayContaining(['neverPlayed', 'notPlayedMonths']));
    expect(gemini.body.generationConfig.responseSchema.properties.notPlayedMonths).toEqual({ type: 'INTEGER', nullable: true });
    expect(compatible.body.response_format.json_schema.schema.properties.mostPlayed.type).toBe('boolean');
    expect(native.body.format.properties.notPlayedMonths).toEqual({ type: 'integer', nullable: true });
    for (const request of [openai, compatible, native]) expect(JSON.stringify(request.body.messages)).toContain('not my most played');
  });

  it('reads a loosely written reply, leaving out what it cannot use with a warning', async () => {
    fake.queue('loose-listening');
    const result = await h.service.generate({
      prompt: "songs I haven't heard in a year",
      count: 10,
      provider: 'openai-compatible',
      model: 'qwen2.5:7b',
      variety: 2,
    });
    expect(listening(result.filters)).toEqual({ notPlayedMonths: 12 });
    expect(result.warnings).toContain(`ignored the analysis model's mostPlayed ("often"): not true or false`);
  });
});
