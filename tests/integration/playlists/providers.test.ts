// The real SDKs against the fake model server: every wire format, every recoverable misbehaviour, and
// the requested length always comes back; configuration errors name the setting to change.
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelRejectedError, ProviderAuthError } from '../../../src/playlists/index.js';
import { RECOVERABLE, type Behaviour } from '../../support/fake-llm/behaviours.js';
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

describe.each(cases)('$label', ({ provider, model, harness }) => {
  it.each(RECOVERABLE)('answers "%s" and still returns the full length', async (behaviour: Behaviour) => {
    fake.queue(behaviour);
    const result = await harness().service.generate({
      prompt: 'rainy day',
      count: 20,
      provider,
      model,
      filters: { genres: ['Pop/Rock'], excludeLive: true },
      maxTracks: 150,
      variety: 3,
    });
    expect(result.tracks).toHaveLength(20);
    expect(new Set(result.tracks.map((t) => t.ratingKey)).size).toBe(20);
    const songs = result.tracks.map((t) => `${t.artist}|${t.title.replace(/ \(Remastered.*\)$/, '')}`.toLowerCase());
    expect(new Set(songs).size).toBe(20);
    const generation = result.usage.calls.find((c) => c.role === 'generation')!;
    expect(generation.provider).toBe(provider);
    if (behaviour === 'good') {
      // A well-behaved model needs no fill (a top-up may still follow an album-cap drop on a compilation).
      expect(result.tracks.every((t) => !t.filled)).toBe(true);
      expect(result.stats.selection.dropped.unmatched).toBe(0);
      expect(generation.inputTokens).toBeGreaterThan(0);
    } else {
      expect(result.usage.calls.some((c) => c.role === 'top-up') || result.stats.filled > 0).toBe(true);
    }
    if (behaviour === 'names' || behaviour === 'name-text')
      expect(result.stats.selection.matched.exact + result.stats.selection.matched.fuzzy).toBeGreaterThan(10);
  });
});

describe('wire formats', () => {
  it('asks each provider for structured output its own way', async () => {
    fake.requests.length = 0;
    for (const { provider, model, harness } of cases) {
      await harness().service.generate({ prompt: 'x', count: 10, provider, model, filters: { excludeLive: true }, variety: 1 });
    }
    const generation = fake.requests.filter((r) => r.role === 'generation');
    const [openai, anthropic, gemini, compatible, native] = generation;
    expect(openai.body.response_format.type).toBe('json_schema');
    expect(openai.body.response_format.json_schema.strict).toBe(true);
    expect(openai.headers.authorization).toBe('Bearer sk-test');
    expect(anthropic.body.tool_choice).toEqual({ type: 'tool', name: 'playlist' });
    expect(anthropic.body.tools[0].input_schema.required).toEqual(['title', 'description', 'tracks']);
    expect(gemini.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(gemini.body.generationConfig.responseMimeType).toBe('application/json');
    expect(gemini.body.generationConfig.responseSchema.type).toBe('OBJECT');
    expect(gemini.headers['x-goog-api-key']).toBe('gem-test');
    expect(compatible.body.model).toBe('qwen2.5:7b');
    expect(native.path).toBe('/api/chat');
    expect(native.body.options.num_ctx).toBe(16384);
    expect(native.body.format.type).toBe('object');
  });

  it('records analysis, generation and top-up calls with usage and cost', async () => {
    fake.queue('good', 'too-few', 'good');
    const result = await h.service.generate({ prompt: 'melancholy songs for a rainy day', count: 15, provider: 'openai', variety: 2 });
    expect(result.usage.calls.map((c) => c.role)).toEqual(['analysis', 'generation', 'top-up']);
    expect(result.filters.moods).toEqual(['Melancholy']);
    expect(result.usage.totalCost).toBeGreaterThan(0);
    expect(result.tracks).toHaveLength(15);
    const row = await h.handle.db.selectFrom('playlist_generations').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.calls)).toHaveLength(3);
    expect(row.status).toBe('done');
  });

  it('describes a seed with the analysis model and tells generation the descriptions', async () => {
    fake.requests.length = 0;
    const seed = h.library.tracks[40];
    const result = await h.service.generate({ seedRatingKey: seed.ratingKey, count: 12, provider: 'anthropic', variety: 5 });
    expect(result.seedDimensions?.[0].description).toBe('hazy late-night melancholy');
    expect(fake.requests[1].body.messages[0].content).toContain('- mood: hazy late-night melancholy');
    expect(result.tracks).toHaveLength(12);
  });
});

describe('configuration errors', () => {
  it.each(['openai', 'anthropic', 'gemini'] as const)('%s: a rejected model names the setting to change', async (provider) => {
    fake.queue('model-rejected');
    const error = await h.service.generate({ prompt: 'x', count: 10, provider, filters: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelRejectedError);
    expect((error as Error).message).toMatch(/LLM_MODEL_GENERATION \(Settings → Generation model\)/);
    const last = await h.handle.db.selectFrom('playlist_generations').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last.status).toBe('failed');
  });

  it('a refused key names the key variable', async () => {
    fake.queue('auth-error');
    const error = await h.service.generate({ prompt: 'x', count: 10, provider: 'openai', filters: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as Error).message).toContain('OPENAI_API_KEY');
  });

  it('openai-compatible without a model says which setting is missing', async () => {
    await expect(h.service.generate({ prompt: 'x', count: 10, provider: 'openai-compatible', filters: {} })).rejects.toThrow(
      /LLM_MODEL_GENERATION/,
    );
  });
});
