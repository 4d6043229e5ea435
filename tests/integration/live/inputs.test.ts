// What must never be acted on, end to end against a running `serve` with live propagation: a shared user's
// rating, another server's event, a movie's rating, media.play (ignored, counted, nothing written); and the
// receiver's bad-input list, each with its status code, the server healthy and propagating afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, SECRET, postWebhook, startLive, type LiveHarness } from './support/live-harness.js';
import { disagreements, overwrittenManualRatings, subtreeKeys } from './support/full-pass-check.js';

describe('inputs that are ignored or refused', () => {
  let h: LiveHarness;
  beforeAll(async () => {
    h = await startLive({ tracks: 500, seed: 5 });
  });
  afterAll(() => h?.close());

  const track = () => h.sim.state.tracks.find((t) => !h.person.has(t.ratingKey) && t.duration > 90_000)!;
  const writes = () => h.sim.stats.rateCalls + h.sim.stats.ratingWrites;

  it('a shared user, another server, a movie and media.play: ignored with a reason, counted, nothing written', async () => {
    const before = writes();
    const t = track();
    const inferred = h.sim.state.getRating(t.ratingKey);
    await h.rate(t.ratingKey, 2, { account: 2 }); // a shared user's own rating
    const meta = {
      ratingKey: t.ratingKey,
      type: 'track',
      librarySectionType: 'artist',
      librarySectionID: h.sim.musicSectionId,
      parentRatingKey: t.albumKey,
    };
    const owner = { user: true, owner: true, Account: { id: 1, title: 'sim-owner' } };
    const responses = await Promise.all([
      postWebhook(h.webhookUrl, {
        event: 'media.rate',
        ...owner,
        rating: 10,
        Server: { title: 'Elsewhere', uuid: 'another-server-uuid' },
        Metadata: meta,
      }),
      postWebhook(h.webhookUrl, {
        event: 'media.rate',
        ...owner,
        rating: 8,
        Server: { uuid: h.sim.machineIdentifier },
        Metadata: { ratingKey: '999999', type: 'movie', librarySectionType: 'movie', librarySectionID: 9 },
      }),
      postWebhook(h.webhookUrl, { event: 'media.play', ...owner, Server: { uuid: h.sim.machineIdentifier }, Metadata: meta }),
    ]);
    const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ status: string; reason?: string }>));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    // Another server's event is refused at receipt once the server's identity is known, else by the engine.
    expect(bodies.map((b) => b.status)).toEqual([expect.stringMatching(/^(ignored|pending)$/), 'ignored', 'ignored']);
    await h.quiet();
    expect(writes()).toBe(before);
    expect(h.sim.state.getRating(t.ratingKey)).toBe(inferred); // the owner's value is untouched
    const status = (await (await fetch(`${h.url}/api/status`, { headers: { Authorization: `Bearer ${API_TOKEN}` } })).json()) as any;
    expect(status.inbox.ignoredByReason).toMatchObject({
      'other account': 1,
      'other server': 1,
      'not music (movie)': 1,
      'unsupported event media.play': 1,
    });
    expect(status.inbox.pending + status.inbox.dead).toBe(0);
    expect(h.app.database.sqlite.prepare("select count(*) from engine_runs where kind = 'event'").pluck().get()).toBe(0);
  });

  it('bad input gets its status code and is never stored; the server stays healthy and keeps propagating', async () => {
    const stored = () => h.app.database.sqlite.prepare('select count(*) from webhook_events').pluck().get() as number;
    const before = stored();
    const good = JSON.stringify({ event: 'media.play', user: true });
    const cases: Array<[string, () => Promise<Response>, number]> = [
      ['wrong secret', () => postWebhook(h.webhookUrl.replace(SECRET, `${SECRET}x`), good), 404],
      ['not multipart', () => fetch(h.webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: good }), 415],
      [
        'no payload part',
        () => {
          const f = new FormData();
          f.set('other', 'x');
          return fetch(h.webhookUrl, { method: 'POST', body: f });
        },
        400,
      ],
      ['invalid JSON', () => postWebhook(h.webhookUrl, '{"event":'), 400],
      ['payload without event', () => postWebhook(h.webhookUrl, { user: true }), 400],
      ['payload over 256 KiB', () => postWebhook(h.webhookUrl, JSON.stringify({ event: 'media.play', pad: 'x'.repeat(300 * 1024) })), 413],
      [
        'thumb over 1 MiB',
        () => postWebhook(h.webhookUrl, good, { thumb: new Blob([new Uint8Array(1100 * 1024)], { type: 'image/jpeg' }) }),
        413,
      ],
      ['an extra file part', () => postWebhook(h.webhookUrl, good, { poster: new Blob([new Uint8Array(10)]) }), 400],
    ];
    for (const [name, send, status] of cases) {
      const res = await send();
      expect(res.status, name).toBe(status);
      await res.arrayBuffer();
    }
    expect(stored()).toBe(before);
    expect((await fetch(`${h.url}/api/health`)).status).toBe(200);

    const t = track();
    const artistKey = h.sim.state.albumOf(t).artistKey;
    await h.rate(t.ratingKey, 9);
    await h.quiet();
    expect(
      disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: subtreeKeys(h.sim, artistKey), slack: 0.1 }).slice(
        0,
        5,
      ),
    ).toEqual([]);
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);
  });
});
