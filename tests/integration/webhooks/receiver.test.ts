// The webhook receiver over real HTTP with real multipart bodies, built from the captured samples.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sagewire } from '../../../src/app.js';
import { inboxCounts } from '../../../src/webhooks/inbox.js';
import { readStoredPayload } from '../../../src/webhooks/stored-payload.js';
import { startReceiver, type Receiver } from './support/receiver.js';

const SAMPLES = new URL('../../fixtures/plex-samples/', import.meta.url);
const sample = (name: string) => JSON.parse(readFileSync(new URL(name, SAMPLES), 'utf8')) as Record<string, any>;
const SECRET = 'test-secret-0123456789abcdef';
const SERVER = 'machine-0123456789';

function ratePayload(overrides: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
  const base = sample('webhook-media.play-track-with-mood-captured-2021.json');
  return {
    ...base,
    event: 'media.rate',
    rating: 8.0,
    Server: { title: 'Office', uuid: SERVER },
    ...overrides,
    Metadata: { ...base.Metadata, librarySectionID: 3, userRating: 8, ...metadata },
  };
}

function form(payload: unknown, extra?: (f: FormData) => void): FormData {
  const f = new FormData();
  f.append('payload', typeof payload === 'string' ? payload : JSON.stringify(payload));
  extra?.(f);
  return f;
}

describe('POST /webhooks/plex/:secret', () => {
  let app: Sagewire;
  let url: string;
  const post = (body: BodyInit, secret = SECRET, headers: Record<string, string> = {}) =>
    fetch(`${url}/webhooks/plex/${secret}`, { method: 'POST', body, headers: { 'User-Agent': 'PlexMediaServer/1.41.0', ...headers } });

  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver({ server: SERVER, secret: SECRET, env: { WEBHOOK_ACCOUNTS: '4242' } });
    ({ app, url } = receiver);
  });
  afterAll(() => receiver.close());

  it('stores a media.rate as pending before answering 200, rating as number or string', async () => {
    const asNumber = await post(
      form(ratePayload(), (f) => f.append('thumb', new Blob([new Uint8Array(2048)], { type: 'image/jpeg' }), 'thumb.jpg')),
    );
    expect(asNumber.status).toBe(200);
    const first = (await asNumber.json()) as { id: number; status: string };
    expect(first.status).toBe('pending');
    const asString = await post(form(ratePayload({ rating: '10' })));
    const second = (await asString.json()) as { id: number };
    app.moveReceived(); // from the receiver's spool into the inbox (within a turn on its own)
    const rows = await app.database.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('receipt_id', 'in', [first.id, second.id])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.event, r.status, r.item_key, r.item_type, r.rating])).toEqual([
      ['media.rate', 'pending', '8365', 'track', 8],
      ['media.rate', 'pending', '8365', 'track', 10],
    ]);
    // The thumb is never stored: only the compact form of the payload is kept.
    expect(readStoredPayload(rows[0]!.payload)).toMatchObject({
      event: 'media.rate',
      rating: 8,
      Metadata: { ratingKey: '8365', type: 'track' },
    });
    expect(rows[0]!.payload.length).toBeLessThan(4000);
  });

  it('reads a cleared rating (absent, empty, 0 or -1 with no userRating) as null', async () => {
    for (const rating of [undefined, '', 0, -1, '-1']) {
      const payload = ratePayload({ rating }, { userRating: undefined });
      const res = await post(form(payload));
      const { id } = (await res.json()) as { id: number };
      app.moveReceived();
      const row = await app.database.db
        .selectFrom('webhook_events')
        .select(['status', 'rating'])
        .where('receipt_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'pending', rating: null });
    }
  });

  it.each([
    ['media.play', () => sample('webhook-media.play-track-official-example.json'), /unsupported event media\.play/],
    ['another server', () => ratePayload({ Server: { uuid: 'someone-else' } }), /other server/],
    ['a shared user', () => ratePayload({ user: false, owner: true, Account: { id: 77, title: 'friend' } }), /other account/],
    ['a movie', () => ratePayload({}, { librarySectionType: 'movie', type: 'movie' }), /not music/],
    ['another music section', () => ratePayload({}, { librarySectionID: 9 }), /other library section/],
  ])('records %s as ignored with the reason', async (_name, make, reason) => {
    const res = await post(form(make()));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; reason: string };
    expect(body.status).toBe('ignored');
    expect(body.reason).toMatch(reason);
  });

  it('acts on an allow-listed account even with user: false', async () => {
    const res = await post(form(ratePayload({ user: false, Account: { id: 4242, title: 'me-too' } })));
    expect(((await res.json()) as { status: string }).status).toBe('pending');
  });

  it.each([
    ['a wrong secret', () => post(form(ratePayload()), 'wrong-secret-0123456789abcdef'), 404, /Not Found/],
    ['a secret that is a prefix', () => post(form(ratePayload()), SECRET.slice(0, -1)), 404, /Not Found/],
    ['a JSON body', () => post(JSON.stringify(ratePayload()), SECRET, { 'Content-Type': 'application/json' }), 415, /multipart/],
    [
      'no payload part',
      () =>
        post(
          (() => {
            const f = new FormData();
            f.append('thumb', new Blob([new Uint8Array(10)]), 't.jpg');
            return f;
          })(),
        ),
      400,
      /no payload/,
    ],
    ['invalid JSON', () => post(form('{"event": "media.rate",')), 400, /not valid JSON/],
    ['a payload without event', () => post(form({ user: true })), 400, /event/],
    ['a JSON array', () => post(form('[1,2]')), 400, /not a JSON object/],
    ['a payload over 256 KiB', () => post(form({ event: 'media.rate', pad: 'x'.repeat(256 * 1024) })), 413, /256 KiB/],
    [
      'a thumb over 1 MiB',
      () => post(form(ratePayload(), (f) => f.append('thumb', new Blob([new Uint8Array(1024 * 1024 + 1)]), 't.jpg'))),
      413,
      /1 MiB/,
    ],
    ['an extra text part', () => post(form(ratePayload(), (f) => f.append('other', 'x'))), 400, /only payload/],
    [
      'an unexpected file part',
      () => post(form(ratePayload(), (f) => f.append('poster', new Blob([new Uint8Array(10)]), 'p.jpg'))),
      400,
      /only thumb/,
    ],
  ])('answers %s with %i and stores nothing', async (_name, send, status, message) => {
    app.moveReceived();
    const before = await app.database.db
      .selectFrom('webhook_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await send();
    expect(res.status).toBe(status);
    expect(JSON.stringify(await res.json())).toMatch(message);
    app.moveReceived();
    const after = await app.database.db
      .selectFrom('webhook_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    // And the server is still healthy afterwards.
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
  });

  it('counts the inbox by status and ignored reasons', async () => {
    app.moveReceived();
    const counts = await inboxCounts(app.database.db);
    expect(counts.pending).toBeGreaterThanOrEqual(8);
    expect(counts.ignored).toBeGreaterThanOrEqual(5);
    expect(counts.ignoredByReason['other server']).toBe(1);
    expect(counts.lastReceivedAt).toBeGreaterThan(0);
  });
});
