// POST /api/recommendations/albums on a bare Koa app over a simulator library: the response shape
// offline, familiarity visible in what comes back, questions through a model, and every invalid request
// a 400 (or 413/415) naming the field.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlbumRecommender } from '../../../src/playlists/recommend.js';
import { recommendAlbumsHandler } from '../../../src/web/api/recommendations.js';
import { startFakeLlm, type FakeLlm } from '../../support/fake-llm/server.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
let fake: FakeLlm;
let server: Server;
let base: string;
let end = 0;

beforeAll(async () => {
  fake = await startFakeLlm();
  h = await startHarness({ fakeUrl: fake.url, tracks: 3000 });
  const app = new Koa();
  // "Now" is a day after the simulated listening history ends, so "months since the last play" spreads.
  end = Math.max(...h.library.tracks.map((t) => t.lastViewedAt ?? 0));
  const recommender = new AlbumRecommender({
    db: h.handle.db,
    pool: h.pool,
    vocabulary: h.vocabulary,
    tokens: h.tokens,
    defaultProvider: () => h.runtime.defaultProvider,
    llmFor: (name) => h.runtime.llmFor(name),
    prices: () => h.runtime.prices(),
    providerFor: (name) => h.runtime.provider(name),
    now: () => (end + 86_400) * 1000,
  });
  const handler = recommendAlbumsHandler({ recommender: () => recommender, bodyLimitBytes: 4096 });
  app.use(async (ctx) => {
    if (ctx.method === 'POST' && ctx.path === '/api/recommendations/albums') await handler(ctx);
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await h?.close();
  await fake?.close();
});

const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  fetch(`${base}/api/recommendations/albums`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /api/recommendations/albums', () => {
  it('recommends offline with the documented shape; library keys are real album keys', async () => {
    const res = await post({ prompt: 'something warm for a rainy Sunday', mode: 'library', familiarity: 'comfort', provider: 'offline' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(['alternatives', 'id', 'mode', 'primary', 'usage', 'warnings']);
    expect(body.alternatives).toHaveLength(2);
    expect(Object.keys(body.primary).sort()).toEqual([
      'artist',
      'filled',
      'inLibrary',
      'lastPlayedAt',
      'pitch',
      'plays',
      'rating',
      'ratingKey',
      'title',
      'year',
    ]);
    const albums = new Map(h.library.albums.map((a) => [a.ratingKey, a]));
    for (const card of [body.primary, ...body.alternatives]) {
      expect(albums.get(card.ratingKey)?.title).toBe(card.title);
      expect(card.inLibrary).toBe(true);
      expect(card.pitch).toMatch(/familiar favourite/);
    }
    expect(body.usage.calls.map((c: { role: string }) => c.role)).toEqual(['clarify', 'analysis', 'albums']);
    expect(body.usage.totalCost).toBe(0);
  });

  it('familiarity decides what comes back: comfort is much played, hidden gems rarely, rediscover long ago', async () => {
    const pick = async (familiarity: string) =>
      (await (await post({ prompt: 'anything', familiarity, provider: 'offline' })).json()).primary;
    const perTrack = (card: { ratingKey: string; plays: number }) =>
      card.plays / h.library.tracks.filter((t) => t.albumKey === card.ratingKey).length;
    const comfort = await pick('comfort');
    const gem = await pick('hidden-gems');
    const again = await pick('rediscover');
    expect(perTrack(comfort)).toBeGreaterThan(perTrack(gem));
    expect(gem.rating).toBeGreaterThanOrEqual(3.5);
    // Rediscover: well rated, and its last play at least a year before the end of the history.
    expect(again.rating).toBeGreaterThanOrEqual(3);
    expect(again.lastPlayedAt).not.toBeNull();
    expect(Date.parse(again.lastPlayedAt)).toBeLessThan((end - 365 * 86_400) * 1000);
    expect(Date.parse(comfort.lastPlayedAt)).toBeGreaterThan((end - 60 * 86_400) * 1000);
  });

  it('filters are hard: every album returned has a track that passes them', async () => {
    const res = await post({ prompt: 'jazz please', provider: 'offline', filters: { genres: ['Jazz'], decades: [1960] } });
    expect(res.status).toBe(200);
    const body = await res.json();
    const genresOf = new Map(h.library.albums.map((a) => [a.ratingKey, a]));
    for (const card of [body.primary, ...body.alternatives]) {
      expect(card.year).toBeGreaterThanOrEqual(1960);
      expect(card.year).toBeLessThan(1970);
      expect(genresOf.has(card.ratingKey)).toBe(true);
    }
  });

  it('through a model: questions first (status 200), skipped with skipQuestions, answered with answers', async () => {
    const asked = await post({ prompt: 'something', provider: 'openai' });
    expect(asked.status).toBe(200);
    const q = await asked.json();
    expect(Object.keys(q).sort()).toEqual(['questions', 'usage']);
    expect(q.questions[0]).toEqual({ question: 'Calm or lively?', choices: ['Calm', 'Lively'] });
    const skipped = await (await post({ prompt: 'something', provider: 'openai', skipQuestions: true })).json();
    expect(skipped.primary.ratingKey).toBeTruthy();
    const answered = await (await post({ prompt: 'something', provider: 'openai', answers: [] })).json();
    expect(answered.usage.calls.map((c: { role: string }) => c.role)).toEqual(['analysis', 'albums']);
    const discovery = await (await post({ prompt: 'new to me', mode: 'discovery', provider: 'openai', answers: [] })).json();
    expect(discovery.primary.inLibrary).toBe(false);
    expect(discovery.primary.ratingKey).toBeUndefined();
    expect(discovery.primary.rating).toBeUndefined();
  });

  it.each([
    [{}, 'prompt'],
    [{ prompt: '' }, 'prompt'],
    [{ prompt: 'x', mode: 'elsewhere' }, 'mode'],
    [{ prompt: 'x', familiarity: 'cosy' }, 'familiarity'],
    [{ prompt: 'x', colour: 'red' }, 'colour'],
    [{ prompt: 'x', filters: { decades: [1995] } }, 'filters.decades.0'],
    [{ prompt: 'x', filters: { genres: ['Polka'] }, provider: 'offline' }, 'filters.genres'],
    [{ prompt: 'x', answers: [{ question: 'q' }] }, 'answers.0.answer'],
    [{ prompt: 'x', answers: [1, 2, 3] }, 'answers'],
    [{ prompt: 'x', exclude: 'abc' }, 'exclude'],
    [{ prompt: 'x', provider: 'bogus' }, 'provider'],
    [{ prompt: 'x', mode: 'discovery', provider: 'offline' }, 'provider'],
    [{ prompt: 'x', provider: 'openai-compatible' }, 'provider'],
  ])('%j → 400 naming %s', async (body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.field).toBe(field);
    expect(answer.error).toContain(field);
  });

  it('discovery offline says it needs a language model; bad bodies are 400/413/415', async () => {
    const res = await post({ prompt: 'x', mode: 'discovery', provider: 'offline' });
    expect((await res.json()).error).toContain('discovery needs a language model');
    expect((await post('{"prompt": ')).status).toBe(400);
    expect((await post({ prompt: 'x'.repeat(5000) })).status).toBe(413);
    expect((await post('prompt=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const count = await h.handle.db
      .selectFrom('album_recommendations')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('status', '=', 'failed')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
