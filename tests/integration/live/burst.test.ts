// A burst of 1,000 ratings across 50 artists: the simulator's real multipart webhooks are captured, then
// delivered shuffled and with duplicates. The final state must equal a full pass over the final manual
// ratings (μ moves by far more than ε, so the engine schedules that full pass itself).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, type LiveHarness } from './support/live-harness.js';
import { classicConstants } from '../../../src/domain/rating/index.js';
import { disagreements, engineConstants, overwrittenManualRatings } from './support/full-pass-check.js';

interface Captured {
  body: Buffer;
  type: string;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function captureServer(into: Captured[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      into.push({ body: Buffer.concat(chunks), type: String(req.headers['content-type']) });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

describe('a burst of ratings', () => {
  let h: LiveHarness;
  beforeAll(async () => {
    h = await startLive({ tracks: 3200, seed: 7 });
  });
  afterAll(() => h?.close());

  it('1,000 ratings across 50 artists, duplicated and out of order → the state a full pass over the final ratings writes', async () => {
    const random = seeded(42);
    const artists = h.sim.state.artists
      .filter((a) => !/various artists/i.test(a.title) && h.sim.state.tracksOfArtist(a.ratingKey).length >= 10)
      .slice(0, 50);
    expect(artists.length).toBe(50);
    // Echoes are covered by propagation.test.ts; here every write would echo (a track rating moves its
    // whole artist by more than ε ≈ 0.01), and the simulator's one-at-a-time deliveries of ~40 echoes per
    // rating would only make the test slow. The deliveries below are the person's 1,000 ratings.
    h.sim.config.echoWebhooks = false;
    const captured: Captured[] = [];
    const capture = await captureServer(captured);
    h.sim.webhooks.remove(h.webhookUrl);
    h.sim.webhooks.add(capture.url);
    for (let i = 0; i < 1000; i++) {
      const tracks = h.sim.state.tracksOfArtist(artists[i % 50].ratingKey);
      const track = tracks[Math.floor(random() * tracks.length)];
      await h.rate(track.ratingKey, 1 + Math.floor(random() * 10));
    }
    await h.sim.webhooks.idle();
    h.sim.webhooks.remove(capture.url);
    h.sim.webhooks.add(h.webhookUrl);
    capture.server.close();
    expect(captured.length).toBe(1000);

    // Out of order, and about 15 % delivered twice.
    const deliveries = [...captured, ...captured.filter(() => random() < 0.15)];
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < deliveries.length) {
          const d = deliveries[next++];
          const res = await fetch(h.webhookUrl, { method: 'POST', headers: { 'content-type': d.type }, body: new Uint8Array(d.body) });
          statuses.push(res.status);
          await res.arrayBuffer();
        }
      }),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    await h.quiet(90_000);

    const inbox = h.app.database.sqlite.prepare('select status, count(*) as n from webhook_events group by status').all() as Array<{
      status: string;
      n: number;
    }>;
    expect(inbox.filter((r) => r.status !== 'done')).toEqual([]);
    const status = h.app.live!.status().engine!;
    expect(status.muAtLastFullPass).toBeCloseTo(status.mu, 10); // the scheduled full pass ran with the final μ
    // The learned model is what ran: enough ratings to fit, so the constants are not the classic ones.
    expect(engineConstants(h.app.database.sqlite)).not.toEqual(classicConstants(3));
    expect(disagreements(h.sim, h.person, h.optedOut, { db: h.app.database.sqlite, strict: 'all' }).slice(0, 5)).toEqual([]);
    expect(overwrittenManualRatings(h.app.database.sqlite)).toBe(0);
  }, 120_000);
});
