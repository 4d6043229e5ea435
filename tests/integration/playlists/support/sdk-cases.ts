// The fake model server and two harnesses over one simulated library — the provider's defaults, and an
// OpenAI-compatible server that speaks Ollama's native chat — with the five wire formats every SDK test runs
// through. Registers its own beforeAll/afterAll; the fields are set once beforeAll has run.
import { afterAll, beforeAll } from 'vitest';
import type { ProviderName } from '../../../../src/playlists/index.js';
import { startFakeLlm, type FakeLlm } from '../../../support/fake-llm/server.js';
import { startHarness, type Harness } from './harness.js';

export interface SdkCase {
  label: string;
  provider: ProviderName;
  model?: string;
  harness: () => Harness;
}

export interface SdkHarnesses {
  fake: FakeLlm;
  h: Harness;
  ollama: Harness;
  cases: SdkCase[];
}

export function sdkHarnesses(options: { tracks?: number } = {}): SdkHarnesses {
  const sdk = { cases: [] } as unknown as SdkHarnesses;
  sdk.cases = [
    { label: 'openai', provider: 'openai', harness: () => sdk.h },
    { label: 'anthropic', provider: 'anthropic', harness: () => sdk.h },
    { label: 'gemini', provider: 'gemini', harness: () => sdk.h },
    { label: 'openai-compatible', provider: 'openai-compatible', model: 'qwen2.5:7b', harness: () => sdk.h },
    { label: 'ollama (native chat, num_ctx)', provider: 'openai-compatible', model: 'llama3.1', harness: () => sdk.ollama },
  ];
  beforeAll(async () => {
    sdk.fake = await startFakeLlm();
    sdk.h = await startHarness({ fakeUrl: sdk.fake.url, ...(options.tracks ? { tracks: options.tracks } : {}) });
    sdk.ollama = await startHarness({
      fakeUrl: sdk.fake.url,
      library: sdk.h.library,
      env: { OPENAI_COMPATIBLE_FLAVOR: 'ollama', OPENAI_COMPATIBLE_CONTEXT: '16384' },
    });
  });
  afterAll(async () => {
    await sdk.h?.close();
    await sdk.ollama?.close();
    await sdk.fake?.close();
  });
  return sdk;
}
