// The prompt page's suggestion step fills the Listening inputs with the wishes the prompt states: read by
// the offline reader, and by OpenAI's SDK against the fake model server (a negated "most played" left empty).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLlm, type FakeLlm } from '../../support/fake-llm/server.js';
import { Client } from './harness.js';
import { PASSWORD, startPlaylistApp, type PlaylistApp } from './playlist-support.js';

let fake: FakeLlm;
let h: PlaylistApp;
let client: Client;
let csrf: string;

beforeAll(async () => {
  fake = await startFakeLlm();
  h = await startPlaylistApp({ env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${fake.url}/v1` } });
  client = new Client(h.url);
  csrf = await client.signIn(PASSWORD);
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

/** The Listening inputs as the page shows them. */
function listeningInputs(html: string) {
  const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1];
  return {
    neverPlayed: /name="never_played" value="true" checked/.test(html),
    minPlays: value('min_plays'),
    notPlayedMonths: value('not_played_months'),
  };
}

describe('the suggestion step', () => {
  it.each([
    ['offline', "songs I haven't heard in 2 years", { neverPlayed: false, minPlays: '', notPlayedMonths: '24' }],
    ['offline', "rock I've never played", { neverPlayed: true, minPlays: '', notPlayedMonths: '' }],
    ['offline', 'my most played rock', { neverPlayed: false, minPlays: '10', notPlayedMonths: '' }],
    ['openai', "songs I haven't played in ages, not my most played", { neverPlayed: false, minPlays: '', notPlayedMonths: '6' }],
    ['openai', 'songs I have never played', { neverPlayed: true, minPlays: '', notPlayedMonths: '' }],
    ['openai', 'rock for a rainy day', { neverPlayed: false, minPlays: '', notPlayedMonths: '' }],
  ])('%s: "%s" → %j', async (provider, prompt, expected) => {
    const calls = fake.requests.length;
    const page = await client.post('/playlists/suggest', { _csrf: csrf, prompt, provider, count: '10' }, { 'HX-Request': 'true' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="filters-step"');
    expect(listeningInputs(page.text)).toEqual(expected);
    expect(fake.requests.length - calls).toBe(provider === 'openai' ? 1 : 0);
  });
});
