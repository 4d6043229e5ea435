// Over real HTTP (the receiver's own thread) and a real database: a webhook's row keeps only the compact
// form of its payload, a few hundred bytes whatever Plex sent, and reads back to the fields the engine and
// the pages use; a payload near the size limit or of odd shape is still accepted and stored small.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sagewire } from '../../../src/app.js';
import { classify, parsePayload } from '../../../src/webhooks/payload.js';
import { readStoredPayload } from '../../../src/webhooks/stored-payload.js';
import { startReceiver, type Receiver } from './support/receiver.js';

const SAMPLES = new URL('../../fixtures/plex-samples/', import.meta.url);
const captured = JSON.parse(readFileSync(new URL('webhook-media.play-track-with-mood-captured-2021.json', SAMPLES), 'utf8')) as Record<
  string,
  any
>;
const SECRET = 'test-secret-0123456789abcdef';
const SERVER = 'machine-0123456789';

const rating = (top: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  ...captured,
  event: 'media.rate',
  rating: 8.0,
  Server: { title: 'Office', uuid: SERVER },
  ...top,
  Metadata: { ...captured.Metadata, librarySectionID: 3, userRating: 8, ...meta },
});

describe('the payload a webhook row keeps', () => {
  let app: Sagewire;
  let url: string;

  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver({ server: SERVER, secret: SECRET });
    ({ app, url } = receiver);
  });
  afterAll(() => receiver.close());

  const post = async (payload: string, thumb = false) => {
    const body = new FormData();
    body.append('payload', payload);
    if (thumb) body.append('thumb', new Blob([new Uint8Array(64 * 1024).fill(0xff)], { type: 'image/jpeg' }), 'thumb.jpg');
    const res = await fetch(`${url}/webhooks/plex/${SECRET}`, { method: 'POST', body });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: number };
    app.moveReceived();
    return app.database.sqlite
      .prepare(
        'select status, item_key, typeof(payload) as kind, length(payload) as bytes, payload from webhook_events where receipt_id = ?',
      )
      .get(id) as { status: string; item_key: string; kind: string; bytes: number; payload: Buffer | string };
  };

  it('stores a rating with its thumb as a compact BLOB of a few hundred bytes that classifies as the payload sent', async () => {
    const text = JSON.stringify(rating());
    const row = await post(text, true);
    expect([row.status, row.item_key, row.kind]).toEqual(['pending', '8365', 'blob']);
    expect(text.length).toBeGreaterThan(1200);
    expect(row.bytes).toBeLessThan(300);
    const back = readStoredPayload(row.payload)!;
    expect(back).toMatchObject({
      event: 'media.rate',
      rating: 8,
      Account: { id: 1, title: 'username' },
      Player: { title: 'Chrome' },
      Metadata: {
        ratingKey: '8365',
        type: 'track',
        title: 'Oops!…I Did It Again (album version)',
        parentTitle: "RTL: I Like the 90's",
        grandparentTitle: 'Various Artists',
      },
    });
    const ctx = { machineIdentifier: SERVER, musicSectionId: 3, allowedAccounts: new Set<number>() };
    const [sent, kept] = [parsePayload(text), parsePayload(JSON.stringify(back))];
    if (!sent.ok || !kept.ok) throw new Error('does not parse');
    expect(classify(kept.payload, ctx)).toEqual(classify(sent.payload, ctx));
  });

  it.each([
    [
      'a payload just under the 256 KiB limit (a long title, unknown fields)',
      JSON.stringify(rating({ pad: 'p'.repeat(200 * 1024) }, { title: 't'.repeat(40 * 1024) })),
    ],
    [
      'a payload with 8,000 moods',
      JSON.stringify(rating({}, { Mood: Array.from({ length: 8_000 }, (_, i) => ({ id: i, tag: `m${i}` })) })),
    ],
    [
      'kept fields of odd types',
      JSON.stringify(
        rating({ Player: 'Chrome', Account: { id: 1, title: { first: 'x' } } }, { title: 12, parentTitle: null, lastRatedAt: 'yesterday' }),
      ),
    ],
  ])('%s: accepted and stored small', async (_name, text) => {
    expect(text.length).toBeLessThan(256 * 1024);
    const row = await post(text);
    expect([row.status, row.item_key, row.kind]).toEqual(['pending', '8365', 'blob']);
    expect(row.bytes).toBeLessThan(600);
    expect(readStoredPayload(row.payload)).toMatchObject({
      event: 'media.rate',
      rating: 8,
      Metadata: { ratingKey: '8365', type: 'track' },
    });
  });
});
