// A key that is not a ratingKey never becomes work: over real HTTP the receiver stores it as ignored
// ("invalid ratingKey", without key or payload), and the catch-up poll skips such a key if Plex lists one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sagewire } from '../../../src/app.js';
import { createLogger } from '../../../src/log.js';
import { CatchUpPoller } from '../../../src/engine/live/catch-up.js';
import type { LivePlex } from '../../../src/engine/live/live-plex.js';
import { PLEX_TYPE } from '../../../src/plex/types.js';
import { startReceiver, type Receiver } from './support/receiver.js';

const SECRET = 'test-secret-0123456789abcdef';
const SERVER = 'machine-0123456789';
const HOSTILE = '../../identity?x=';

describe('a ratingKey that is not a positive integer', () => {
  let app: Sagewire;
  let url: string;

  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver({ server: SERVER, secret: SECRET });
    ({ app, url } = receiver);
  });
  afterAll(() => receiver.close());

  it('is stored as ignored with the reason, without the key or the payload', async () => {
    const payload = {
      event: 'media.rate',
      user: true,
      owner: true,
      rating: 8,
      Account: { id: 1 },
      Server: { uuid: SERVER },
      Metadata: { librarySectionType: 'artist', librarySectionID: 3, type: 'track', ratingKey: HOSTILE, title: 'x' },
    };
    const body = new FormData();
    body.append('payload', JSON.stringify(payload));
    const res = await fetch(`${url}/webhooks/plex/${SECRET}`, { method: 'POST', body });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { id: number; status: string; reason: string };
    expect(answer).toMatchObject({ status: 'ignored', reason: 'invalid ratingKey' });
    app.moveReceived();
    const row = await app.database.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('receipt_id', '=', answer.id)
      .executeTakeFirstOrThrow();
    expect([row.status, row.ignore_reason, row.item_key, row.payload]).toEqual(['ignored', 'invalid ratingKey', null, '']);
  });

  it('is skipped by the catch-up poll', async () => {
    const listed = new Map<number, Array<Record<string, unknown>>>([
      [
        PLEX_TYPE.track,
        [
          { ratingKey: HOSTILE, type: 'track', userRating: 6, lastRatedAt: 100 },
          { ratingKey: '4711', type: 'track', userRating: 8, lastRatedAt: 100 },
        ],
      ],
    ]);
    const plex = {
      async *listItems(_section: string, type: number, options: { filters?: Record<string, unknown> }) {
        const rated = Object.keys(options.filters ?? {}).some((f) => f.startsWith('lastRatedAt'));
        yield { items: rated ? (listed.get(type) ?? []) : [], offset: 0, totalSize: 0 };
      },
    } as unknown as LivePlex;
    const poller = new CatchUpPoller({
      db: app.database.db,
      sqlite: app.database.sqlite,
      plex,
      sectionId: '3',
      logger: createLogger('silent'),
      intervalMs: 60_000,
    });
    const result = await poller.pollNow();
    const keys = app.database.sqlite.prepare("select item_key from webhook_events where event like 'poll.%'").pluck().all();
    expect(keys).toEqual(['4711']);
    expect(result.added + result.rated).toBe(1);
  });
});
