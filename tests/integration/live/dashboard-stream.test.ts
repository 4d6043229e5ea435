// The live dashboard's event stream (GET /dashboard/events) through the front door of a real serve, with
// the simulator sending real webhooks: a rating made in "Plex" reaches the stream as a feed row that names
// and links the item within a second of the inbox holding the event; the counts follow; the stream needs
// a session; a 21st stream gets a clear 503, and closed streams free their places.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, type SseClient } from '../../support/sse-client.js';
import { waitUntil } from '../../support/wait.js';
import { signedIn } from '../web/rating-support.js';
import { startLive, type LiveHarness } from './support/live-harness.js';

const html = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** One feed row's HTML, from its `<tr>` to its `</tr>`. */
const rowOf = (feed: string, id: number) => new RegExp(`<tr data-event="${id}">[\\s\\S]*?</tr>`).exec(feed)?.[0] ?? null;

describe('live dashboard stream', () => {
  let h: LiveHarness;
  let cookie: string;
  const open: SseClient[] = [];
  const stream = async (headers: Record<string, string> = { cookie }) => {
    const client = await openSse(`${h.url}/dashboard/events`, headers);
    open.push(client);
    return client;
  };
  const closeAll = () => {
    for (const c of open.splice(0)) c.close();
  };

  beforeAll(async () => {
    h = await startLive({ tracks: 120, seed: 11 });
    await h.quiet();
    const { client } = await signedIn(h);
    cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  });

  afterAll(async () => {
    closeAll();
    await h?.close();
  });

  it('needs a session', async () => {
    const anonymous = await stream({});
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/login?next=%2Fdashboard%2Fevents');
  });

  it('pushes the event, named and linked, within a second of the inbox holding it, then its outcome and the counts', async () => {
    const sse = await stream();
    expect(sse.status).toBe(200);
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(sse.headers.get('cache-control')).toBe('no-store');
    // A new client gets every part at once (what changed between its page load and its connection).
    const first = await Promise.all(['library', 'ratings', 'feed'].map((name) => sse.next((e) => e.name === name)));
    expect(first[0].data).toContain('data-stat="tracks"');
    const seen = sse.events.length;

    const sqlite = h.app.database.sqlite;
    const track = h.sim.state.tracks.find((t) => !h.person.has(t.ratingKey))!;
    const before = (sqlite.prepare('select coalesce(max(id), 0) from webhook_events').pluck().get() as number) ?? 0;
    // Near μ, so the engine applies this one event rather than a full pass.
    await h.rate(track.ratingKey, Math.round((h.app.live!.status().engine as { mu: number }).mu));
    const row = await waitUntil(
      () =>
        sqlite
          .prepare("select id, received_at from webhook_events where id > ? and item_key = ? and event = 'media.rate'")
          .get(before, track.ratingKey) as { id: number; received_at: number } | undefined,
      'the rating in the inbox',
    );
    const inboxAt = Date.now();
    const shown = await sse.next((e) => e.name === 'feed' && e.data.includes(`data-event="${row.id}"`), seen);
    expect(shown.at - inboxAt).toBeLessThan(1000);
    expect(shown.data).toContain(`href="/explorer/item/${encodeURIComponent(track.ratingKey)}"`);
    expect(shown.data).toContain(`>${html(track.title)}</a>`);
    // Applied: the row says what it did, and the ownership counts moved (the person took the track over).
    const done = await sse.next((e) => e.name === 'feed' && (rowOf(e.data, row.id) ?? '').includes('badge-done'), seen);
    const ratings = await sse.next((e) => e.name === 'ratings', seen);
    expect(ratings.data).toContain('data-own="manual"');
    const appliedAt = sqlite.prepare('select processed_at from webhook_events where id = ?').pluck().get(row.id) as number;
    expect(done.at - appliedAt).toBeLessThan(1000);
    await h.quiet();
  });

  it('refuses a 21st stream with a clear 503, and frees the places of closed ones', async () => {
    closeAll();
    const clients = await Promise.all(Array.from({ length: 20 }, () => stream()));
    expect(clients.map((c) => c.status)).toEqual(Array(20).fill(200));
    await Promise.all(clients.map((c) => c.next((e) => e.name === 'feed')));
    const refused = await fetch(`${h.url}/dashboard/events`, { headers: { cookie } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.text()).toMatch(/20 live dashboards are open already.*close one/);
    closeAll();
    // The server sees each close and gives the place back: a new stream is taken again.
    const again = await waitUntil(async () => {
      const c = await stream();
      if (c.status === 200) return c;
      c.close();
      return null;
    }, 'a place freed by the closed streams');
    await again.next((e) => e.name === 'feed');
  });
});
