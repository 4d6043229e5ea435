// Album recommendations through the real SDKs against the fake model server: every wire format answers
// clarifying questions, library picks (with every recoverable misbehaviour: three distinct owned albums
// always come back, filled from the ranking and marked when the picks ran short) and discovery
// suggestions (owned albums dropped and replaced by a follow-up call).
import { beforeAll, describe, expect, it } from 'vitest';
import { albumKey } from '../../../src/domain/recommend/index.js';
import type { Recommendation } from '../../../src/playlists/index.js';
import type { Behaviour } from '../../support/fake-llm/behaviours.js';
import type { FakeLlm } from '../../support/fake-llm/server.js';
import type { Harness } from './support/harness.js';
import { sdkHarnesses } from './support/sdk-cases.js';

const sdk = sdkHarnesses({ tracks: 2500 });
const { cases } = sdk;
let fake: FakeLlm;
let h: Harness;
let albumKeys: Set<string>;
let ownedNames: Set<string>;
beforeAll(() => {
  ({ fake, h } = sdk);
  albumKeys = new Set(h.library.albums.map((a) => a.ratingKey));
  const artistOf = new Map(h.library.artists.map((a) => [a.ratingKey, a.title]));
  ownedNames = new Set(h.library.albums.map((a) => albumKey(artistOf.get(a.artistKey) ?? '', a.title)));
});

const ALBUM_BEHAVIOURS: Behaviour[] = [
  'good',
  'unknown-ids',
  'names',
  'name-text',
  'twins',
  'duplicates',
  'too-few',
  'invalid-json',
  'prose-json',
  'empty',
  'error-500',
];

const albumsOf = (r: Recommendation) => {
  if (r.kind !== 'albums') throw new Error(`expected albums, got ${r.kind}`);
  return [r.primary, ...r.alternatives];
};

describe.each(cases)('$label', ({ provider, model, harness }) => {
  it.each(ALBUM_BEHAVIOURS)('library picks "%s": three distinct owned albums with pitches', async (behaviour) => {
    fake.queue('good', behaviour); // the prompt's analysis, then the picks
    const result = await harness().runtime.recommender().recommend({
      prompt: 'something warm for a rainy Sunday',
      mode: 'library',
      familiarity: 'comfort',
      skipQuestions: true,
      provider,
      model,
    });
    const cards = albumsOf(result);
    expect(cards).toHaveLength(3);
    expect(new Set(cards.map((c) => c.ratingKey)).size).toBe(3);
    for (const c of cards) {
      expect(albumKeys.has(c.ratingKey!)).toBe(true);
      expect(c.inLibrary).toBe(true);
      expect(c.pitch.length).toBeGreaterThan(0);
    }
    const roles = result.usage.calls.map((c) => c.role);
    expect(roles).toEqual(['analysis', 'albums']);
    const filled = cards.filter((c) => c.filled).length;
    if (behaviour === 'good' || behaviour === 'names' || behaviour === 'name-text' || behaviour === 'twins' || behaviour === 'prose-json')
      expect(filled).toBe(0);
    else expect(filled).toBeGreaterThan(0);
    if (behaviour === 'good') expect(cards[0].pitch).toMatch(/^Fits the request/);
  });

  it('asks clarifying questions, then recommends with the answers', async () => {
    fake.requests.length = 0;
    const asked = await harness()
      .runtime.recommender()
      .recommend({ prompt: 'something good', mode: 'library', familiarity: 'any', provider, model });
    expect(asked.kind).toBe('questions');
    if (asked.kind !== 'questions') return;
    expect(asked.questions.map((q) => q.question)).toEqual(['Calm or lively?', 'Voices or instrumental?']);
    expect(asked.usage.calls.map((c) => c.role)).toEqual(['clarify']);
    const answered = await harness()
      .runtime.recommender()
      .recommend({
        prompt: 'something good',
        mode: 'library',
        familiarity: 'any',
        answers: [{ question: 'Calm or lively?', answer: 'Calm' }],
        provider,
        model,
      });
    expect(albumsOf(answered)).toHaveLength(3);
    const picksPrompt = JSON.stringify(fake.requests.at(-1)!.body);
    expect(picksPrompt).toContain('Calm or lively? → Calm');
  });

  it('discovery: albums not owned; owned suggestions dropped and replaced by a follow-up call', async () => {
    fake.queue('owned');
    const result = await harness().runtime.recommender().recommend({
      prompt: 'something warm for a rainy Sunday',
      mode: 'discovery',
      familiarity: 'any',
      skipQuestions: true,
      provider,
      model,
    });
    const cards = albumsOf(result);
    expect(cards).toHaveLength(3);
    for (const c of cards) {
      expect(c.ratingKey).toBeNull();
      expect(c.inLibrary).toBe(false);
      expect(ownedNames.has(albumKey(c.artist, c.title))).toBe(false);
    }
    expect(result.usage.calls.map((c) => c.role)).toEqual(['discovery', 'discovery']);
    expect(result.kind === 'albums' && result.warnings.some((w) => /already in your library/.test(w))).toBe(true);
  });
});

describe('discovery recovery and the exclusions', () => {
  it.each<Behaviour>(['duplicates', 'too-few', 'invalid-json', 'error-500'])(
    '"%s": a follow-up call completes the three',
    async (behaviour) => {
      fake.queue(behaviour, 'good');
      const result = await h.runtime
        .recommender()
        .recommend({ prompt: 'new jazz', mode: 'discovery', familiarity: 'any', skipQuestions: true, provider: 'openai' });
      const cards = albumsOf(result);
      expect(cards).toHaveLength(3);
      expect(new Set(cards.map((c) => albumKey(c.artist, c.title))).size).toBe(3);
    },
  );

  it('"another" never repeats what was shown (library keys, discovery names)', async () => {
    const first = albumsOf(
      await h.runtime.recommender().recommend({ prompt: 'rainy', mode: 'library', familiarity: 'any', provider: 'offline' }),
    );
    const exclude = first.map((c) => c.ratingKey!);
    fake.queue('good', 'good');
    const second = albumsOf(
      await h.runtime
        .recommender()
        .recommend({ prompt: 'rainy', mode: 'library', familiarity: 'any', skipQuestions: true, exclude, provider: 'openai' }),
    );
    expect(second.filter((c) => exclude.includes(c.ratingKey!))).toEqual([]);

    const shown = albumsOf(
      await h.runtime
        .recommender()
        .recommend({ prompt: 'new', mode: 'discovery', familiarity: 'any', skipQuestions: true, provider: 'gemini' }),
    );
    fake.requests.length = 0;
    const again = albumsOf(
      await h.runtime.recommender().recommend({
        prompt: 'new',
        mode: 'discovery',
        familiarity: 'any',
        skipQuestions: true,
        exclude: shown.map((c) => `${c.artist} – ${c.title}`),
        provider: 'gemini',
      }),
    );
    const shownKeys = new Set(shown.map((c) => albumKey(c.artist, c.title)));
    expect(again.filter((c) => shownKeys.has(albumKey(c.artist, c.title)))).toEqual([]);
    expect(JSON.stringify(fake.requests[0].body)).toContain('Already shown');
  });

  it('records each recommendation with its calls and cost', async () => {
    fake.queue('good', 'good');
    const result = await h.runtime
      .recommender()
      .recommend({ prompt: 'warm', mode: 'library', familiarity: 'rediscover', skipQuestions: true, provider: 'anthropic' });
    if (result.kind !== 'albums') throw new Error('expected albums');
    const row = await h.handle.db.selectFrom('album_recommendations').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ mode: 'library', familiarity: 'rediscover', provider: 'anthropic', status: 'done' });
    expect(JSON.parse(row.calls)).toHaveLength(2);
    expect(row.cost).toBeGreaterThan(0);
    expect(JSON.parse(row.result!).albums.map((a: { ratingKey: string }) => a.ratingKey)).toEqual([
      result.primary.ratingKey,
      ...result.alternatives.map((a) => a.ratingKey),
    ]);
  });
});
