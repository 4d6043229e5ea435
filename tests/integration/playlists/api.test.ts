// POST /api/playlists/generate on a bare Koa app: the response shape, and every invalid request a 400
// (or 413/415/404/502) that names the field.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playlistApiRoutes } from '../../../src/web/api/playlists.js';
import { startFakeLlm, type FakeLlm } from '../../support/fake-llm/server.js';
import { startHarness, type Harness } from './support/harness.js';

let h: Harness;
let fake: FakeLlm;
let server: Server;
let base: string;

beforeAll(async () => {
  fake = await startFakeLlm();
  h = await startHarness({ fakeUrl: fake.url, tracks: 2000 });
  const app = new Koa();
  app.use(playlistApiRoutes({ service: h.service, bodyLimitBytes: 4096 }).routes());
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
  fetch(`${base}/api/playlists/generate`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('POST /api/playlists/generate', () => {
  it('generates offline with the documented response shape', async () => {
    const res = await post({ prompt: 'energetic 80s synth-pop', count: 12, provider: 'offline' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.tracks).toHaveLength(12);
    expect(Object.keys(body.tracks[0]).sort()).toEqual(['album', 'artist', 'filled', 'ratingKey', 'reason', 'title']);
    expect(body.usage.calls.map((c: { role: string }) => c.role)).toEqual(['analysis', 'generation']);
    expect(body.usage.totalCost).toBe(0);
    expect(typeof body.title).toBe('string');
    expect(body.playlist).toBeUndefined();
  });

  it('takes explicit filters without analysis, and a seed track', async () => {
    const byFilters = await (
      await post({ prompt: 'x', count: 10, provider: 'openai', filters: { genres: ['jazz'], minRating: 0, excludeLive: true } })
    ).json();
    expect(byFilters.usage.calls.map((c: { role: string }) => c.role)).not.toContain('analysis');
    expect(byFilters.tracks).toHaveLength(10);
    const seed = h.library.tracks[100].ratingKey;
    const bySeed = await post({ seedRatingKey: Number(seed), count: 10, provider: 'gemini' });
    expect(bySeed.status).toBe(200);
    expect((await bySeed.json()).usage.calls[0].role).toBe('seed');
  });

  it.each([
    [{ count: 20 }, 'prompt'],
    [{ prompt: 'x', count: 5 }, 'count'],
    [{ prompt: 'x', count: 20.5 }, 'count'],
    [{ prompt: 'x', count: 20, provider: 'bogus' }, 'provider'],
    [{ prompt: 'x', count: 20, colour: 'red' }, 'colour'],
    [{ prompt: 'x', count: 20, filters: { decades: [1995] } }, 'filters.decades.0'],
    [{ prompt: 'x', count: 20, filters: { minRating: 7 } }, 'filters.minRating'],
    [{ prompt: 'x', count: 20, filters: { genres: ['Polka'] } }, 'filters.genres'],
    [{ prompt: 'x', count: 20, filters: { artists: ['Nobody At All'] } }, 'filters.artists'],
    [{ prompt: 'x', count: 20, save: { mode: 'replace' } }, 'save.playlistRatingKey'],
    [{ prompt: 'x', count: 20, save: { mode: 'move' } }, 'save.mode'],
    [{ prompt: 'x', count: 20, provider: 'openai-compatible' }, 'provider'],
  ])('%j → 400 naming %s', async (body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.field).toBe(field);
    expect(answer.error).toContain(field);
  });

  it('rejects bodies that are not JSON, too large, or of another type', async () => {
    expect((await post('{"prompt": ')).status).toBe(400);
    expect((await post({ prompt: 'x'.repeat(5000), count: 20 })).status).toBe(413);
    expect((await post('prompt=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
  });

  it('a missing seed is 404; a rejected model is 400 on "model" or 502 naming the setting', async () => {
    expect((await post({ seedRatingKey: '999999999', count: 10, provider: 'offline' })).status).toBe(404);
    fake.queue('model-rejected');
    const named = await post({ prompt: 'x', count: 10, provider: 'openai', model: 'gpt-retired', filters: {} });
    expect(named.status).toBe(400);
    expect((await named.json()).field).toBe('model');
    fake.queue('model-rejected');
    const fromSettings = await post({ prompt: 'x', count: 10, provider: 'anthropic', filters: {} });
    expect(fromSettings.status).toBe(502);
    expect((await fromSettings.json()).error).toContain('LLM_MODEL_GENERATION');
  });
});
