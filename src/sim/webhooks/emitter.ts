// Delivers webhooks the way Plex does: asynchronously (never delaying the request that caused them), in
// order per receiver, one attempt each — a failed delivery is logged and lost, there are no retries.
import http from 'node:http';
import https from 'node:https';
import type { SimState, RatingEvent, AddedEvent, ItemRef } from '../state/state.js';
import type { SimStats } from '../stats.js';
import { ratePayload, libraryNewPayload } from './payload.js';
import { webhookBody } from './multipart.js';
import { artworkFor } from '../jpeg.js';
import { PMS_VERSION } from '../version.js';

export type SimLogger = (message: string) => void;

const DELIVERY_TIMEOUT_MS = 10_000;

export class WebhookEmitter {
  private readonly receivers = new Set<string>();
  private readonly chains = new Map<string, Promise<void>>();
  private closed = false;

  constructor(
    private readonly state: SimState,
    private readonly stats: SimStats,
    private readonly log: SimLogger,
  ) {
    state.onRating((e) => this.onRating(e));
    state.onAdded((e) => this.onAdded(e));
  }

  urls(): string[] {
    return [...this.receivers];
  }

  add(url: string): void {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('webhook url must be http(s)');
    this.receivers.add(url);
  }

  remove(url: string): boolean {
    return this.receivers.delete(url);
  }

  /** Resolves when every queued delivery has been attempted. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) {
      await Promise.all([...this.chains.values()]);
      await new Promise((resolve) => setImmediate(resolve)); // let finished chains remove themselves
    }
  }

  close(): void {
    this.closed = true;
  }

  private onRating(e: RatingEvent): void {
    if (!e.notify || this.receivers.size === 0) return;
    this.send('media.rate', ratePayload(this.state, e), this.thumbFor(e.ref));
  }

  private onAdded(e: AddedEvent): void {
    if (this.receivers.size === 0) return;
    const level = this.state.config.libraryNewLevel;
    const refs: ItemRef[] =
      level === 'artist'
        ? [this.state.get(e.artist.ratingKey)!]
        : level === 'album'
          ? [this.state.get(e.album.ratingKey)!]
          : e.tracks.map((t) => this.state.get(t.ratingKey)!);
    for (const ref of refs) this.send('library.new', libraryNewPayload(this.state, ref), this.thumbFor(ref));
  }

  private thumbFor(ref: ItemRef): Buffer | undefined {
    if (!this.state.config.webhookThumb) return undefined;
    return artworkFor(ref.type === 'track' ? ref.item.albumKey : ref.item.ratingKey);
  }

  private send(event: string, payload: string, thumb: Buffer | undefined): void {
    if (this.closed) return;
    const { body, contentType } = webhookBody(payload, thumb);
    this.stats.webhooks.byEvent[event] = (this.stats.webhooks.byEvent[event] ?? 0) + 1;
    for (const url of this.receivers) {
      this.stats.webhooks.queued++;
      const previous = this.chains.get(url) ?? Promise.resolve();
      const next = previous.then(() => this.deliver(url, event, body, contentType));
      this.chains.set(url, next);
      void next.then(() => {
        if (this.chains.get(url) === next) this.chains.delete(url);
      });
    }
  }

  private deliver(url: string, event: string, body: Buffer, contentType: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const target = new URL(url);
      const transport = target.protocol === 'https:' ? https : http;
      let settled = false;
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        this.stats.webhooks.failed++;
        this.log(`sim: webhook ${event} to ${target.origin}${target.pathname} failed (${why}); not retried`);
        resolve();
      };
      const req = transport.request(
        target,
        {
          method: 'POST',
          headers: {
            'Content-Type': contentType,
            'Content-Length': body.length,
            'User-Agent': `PlexMediaServer/${PMS_VERSION}`,
            Accept: '*/*',
          },
          timeout: DELIVERY_TIMEOUT_MS,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const ok = (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;
            if (!ok) return fail(`HTTP ${res.statusCode}`);
            if (settled) return;
            settled = true;
            this.stats.webhooks.delivered++;
            resolve();
          });
          res.on('error', (err) => fail(err.message));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (err) => fail(err.message));
      req.end(body);
    });
  }
}
