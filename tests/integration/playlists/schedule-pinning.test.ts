// A schedule pays for its prompt's analysis once: the first successful run's filters are pinned on the
// schedule and later runs send them (the prompt still reaching the generation model as the request text);
// "re-read the prompt" clears the pin; a seed without ticked dimensions is described once and keeps its
// seed; a failed analysis call pins nothing; pinned filters the library no longer has are cleared with a
// note. The playlist service is the real one over a generated library, the models the fake server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getSchedule } from '../../../src/db/playlist-schedules-repo.js';
import { Scheduler, type ScheduleRuntime } from '../../../src/playlists/schedules.js';
import { startFakeLlm, type FakeLlm } from '../../support/fake-llm/server.js';
import { startHarness, type Harness } from './support/harness.js';

const quiet = { info() {}, warn() {}, error() {} };

let h: Harness;
let fake: FakeLlm;
let scheduler: Scheduler;
/** A genre the generated library has (the most common). */
let genre = '';

beforeAll(async () => {
  fake = await startFakeLlm();
  h = await startHarness({ fakeUrl: fake.url, tracks: 1500 });
  // Saving is not what this is about: the runs save into a stand-in playlist.
  const runtime: ScheduleRuntime = {
    generate: (input) => h.runtime.generate(input),
    async save(_id, request, result) {
      return { ratingKey: request.playlistRatingKey ?? '900', title: 'Pinned', added: result.tracks.length, skipped: 0 };
    },
  };
  genre = (await h.vocabulary.get()).vocabulary.genres[0].tag;
  scheduler = new Scheduler({ db: h.handle.db, runtime, log: quiet, timers: false });
  await scheduler.start();
});
afterEach(() => {
  fake.fallback = 'good';
});
afterAll(async () => {
  await scheduler?.stop();
  await h?.close();
  await fake?.close();
});

const calls = (role: string, from: number) => fake.requests.slice(from).filter((r) => r.role === role);
const userText = (r: { body: Record<string, any> }) =>
  (r.body.messages ?? [])
    .filter((m: { role: string }) => m.role === 'user')
    .map((m: { content: string }) => m.content)
    .join('\n');

describe('a schedule made from a prompt without filters', () => {
  it('analyses the prompt once over three runs, sends the pinned filters after, and re-reads on request', async () => {
    const from = fake.requests.length;
    const prompt = 'energetic rock for the gym';
    const { id } = await scheduler.create({ request: { prompt, count: 10, provider: 'openai' }, cron: '0 7 * * 1' });
    expect((await scheduler.get(id))?.filters).toBeNull();

    const first = await scheduler.runNow(id);
    const pinned = await scheduler.get(id);
    expect(pinned?.pinned?.filters).toEqual(first.filters);
    expect(pinned?.filters).toEqual(first.filters);
    expect(Object.keys(first.filters).length).toBeGreaterThan(0);

    await scheduler.runNow(id);
    await scheduler.runNow(id);
    expect(calls('analysis', from)).toHaveLength(1);
    const generations = calls('generation', from);
    expect(generations).toHaveLength(3);
    // With the filters pinned the prompt is still the request the generation model reads.
    for (const g of generations) expect(userText(g)).toContain(prompt);
    // The stored request stays as made; the filters travel beside it.
    expect(JSON.parse((await getSchedule(h.handle.db, id))!.request)).toEqual({ prompt, count: 10, provider: 'openai' });

    const reread = await scheduler.rereadPrompt(id);
    expect(reread.pinned).toBeNull();
    expect(reread.filters).toBeNull();
    await scheduler.runNow(id);
    expect(calls('analysis', from)).toHaveLength(2);
    expect((await scheduler.get(id))?.pinned?.filters).toBeDefined();
  });

  it('starts with filters already known (a history row) and never analyses', async () => {
    const from = fake.requests.length;
    const { id } = await scheduler.create({
      request: { prompt: 'anything rock', count: 10, provider: 'openai' },
      cron: '0 7 * * 1',
      pinned: { filters: { genres: [genre] } },
    });
    expect((await scheduler.get(id))?.filters).toEqual({ genres: [genre] });
    await scheduler.runNow(id);
    await scheduler.runNow(id);
    expect(calls('analysis', from)).toHaveLength(0);
    expect(calls('generation', from)).toHaveLength(2);
  });

  it('keeps filters given with the request as they are and pins nothing', async () => {
    const from = fake.requests.length;
    const { id } = await scheduler.create({
      request: { prompt: 'rock', count: 10, provider: 'openai', filters: { genres: [genre] } },
      cron: '0 7 * * 1',
    });
    await scheduler.runNow(id);
    const view = await scheduler.get(id);
    expect(view?.pinned).toBeNull();
    expect(view?.filters).toEqual({ genres: [genre] });
    expect(calls('analysis', from)).toHaveLength(0);
  });

  it('pins nothing when the analysis call failed (the offline reading is not kept)', async () => {
    const from = fake.requests.length;
    const { id } = await scheduler.create({ request: { prompt: 'calm jazz', count: 10, provider: 'openai' }, cron: '0 7 * * 1' });
    fake.queue('error-500');
    await scheduler.runNow(id);
    expect(calls('analysis', from)).toHaveLength(1);
    expect((await scheduler.get(id))?.pinned).toBeNull();
    await scheduler.runNow(id);
    expect(calls('analysis', from)).toHaveLength(2);
    expect((await scheduler.get(id))?.pinned?.filters).toBeDefined();
  });

  it('clears pinned filters the library no longer has, says so, and the next run reads the prompt', async () => {
    const from = fake.requests.length;
    const { id } = await scheduler.create({
      request: { prompt: 'rock', count: 10, provider: 'openai' },
      cron: '0 7 * * 1',
      pinned: { filters: { genres: ['Genre That Left The Library'] } },
    });
    await expect(scheduler.runNow(id)).rejects.toThrow(/filters\.genres/);
    const failed = await scheduler.get(id);
    expect(failed?.lastStatus).toBe('failed');
    expect(failed?.lastNote).toMatch(/pinned filters no longer match/);
    expect(failed?.pinned).toBeNull();
    await scheduler.runNow(id);
    expect(calls('analysis', from)).toHaveLength(1);
    expect((await scheduler.get(id))?.lastStatus).toBe('done');
  });
});

describe('a schedule made from a seed track', () => {
  it('describes the seed once, keeps its seed and never pins filters', async () => {
    const from = fake.requests.length;
    const seed = h.library.tracks[0].ratingKey;
    const { id } = await scheduler.create({ request: { seedRatingKey: seed, count: 10, provider: 'openai' }, cron: '0 7 * * 1' });
    const first = await scheduler.runNow(id);
    await scheduler.runNow(id);
    expect(calls('seed', from)).toHaveLength(1);
    const view = await scheduler.get(id);
    expect(view?.pinned).toEqual({ keep: first.seedDimensions });
    expect(view?.pinned?.filters).toBeUndefined();
    expect(view?.request.seedRatingKey).toBe(seed);
  });
});
