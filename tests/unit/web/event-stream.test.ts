// The shared event stream behind the live dashboard, on fake timers: the wire format, one render per
// change for every client, only changed parts pushed, everything to a client that just connected, the
// heartbeat, the cap, and no ticking while nobody is connected.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../src/log.js';
import { createEventStream, sseEvent, type LiveClient, type LiveOptions } from '../../../src/web/live/event-stream.js';

const OPTIONS: LiveOptions = { tickMs: 250, heartbeatMs: 15_000, refreshMs: 10_000, maxClients: 2 };

function fakeSource() {
  const source = {
    stampValue: 's1',
    parts: { feed: '<p>feed 1</p>', library: '<p>42</p>' } as Record<string, string>,
    stamps: 0,
    renders: 0,
    failRender: false,
    async stamp() {
      source.stamps += 1;
      return source.stampValue;
    },
    async render() {
      source.renders += 1;
      if (source.failRender) throw new Error('database is busy');
      return { ...source.parts };
    },
  };
  return source;
}

const noop = () => {};
const warnings: unknown[] = [];
const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;

/** Collects what one client is sent, as named events and comment lines. */
function recorder() {
  const texts: string[] = [];
  return {
    write: (text: string) => texts.push(text),
    events: () =>
      texts
        .join('')
        .split('\n\n')
        .filter((block) => block.startsWith('event: '))
        .map((block) => block.split('\n')[0].slice(7)),
    comments: () => texts.filter((t) => t.startsWith(':')).length,
    clear: () => void texts.splice(0),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  warnings.length = 0;
});
afterEach(() => vi.useRealTimers());

describe('sseEvent', () => {
  it.each([
    ['feed', 'one line', 'event: feed\ndata: one line\n\n'],
    ['feed', '<div>\n  <p>x</p>\n</div>', 'event: feed\ndata: <div>\ndata:   <p>x</p>\ndata: </div>\n\n'],
    ['stats', 'a\r\nb\rc', 'event: stats\ndata: a\ndata: b\ndata: c\n\n'],
    ['stats', '', 'event: stats\ndata: \n\n'],
  ])('%s %j', (name, data, wire) => {
    expect(sseEvent(name, data)).toBe(wire);
  });
});

describe('event stream', () => {
  it('sends a new client every part, then only the parts that changed, once per change', async () => {
    const source = fakeSource();
    const stream = createEventStream(source, logger, OPTIONS);
    const a = recorder();
    const b = recorder();
    const ca = stream.connect(a.write, noop)!;
    await vi.advanceTimersByTimeAsync(0);
    expect(a.events()).toEqual(['feed', 'library']);
    expect(source.renders).toBe(1);

    // Nothing changed: the stamp is read each tick, nothing is rendered or sent.
    a.clear();
    await vi.advanceTimersByTimeAsync(OPTIONS.tickMs * 4);
    expect(source.stamps).toBe(5);
    expect(source.renders).toBe(1);
    expect(a.events()).toEqual([]);

    // A second client joins: it gets everything; the first gets nothing new.
    const cb = stream.connect(b.write, noop)!;
    await vi.advanceTimersByTimeAsync(OPTIONS.tickMs);
    expect(b.events()).toEqual(['feed', 'library']);
    expect(a.events()).toEqual([]);

    // One change: rendered once for both, only the changed part is sent.
    a.clear();
    b.clear();
    source.stampValue = 's2';
    source.parts.feed = '<p>feed 2</p>';
    const renders = source.renders;
    await vi.advanceTimersByTimeAsync(OPTIONS.tickMs);
    expect(source.renders).toBe(renders + 1);
    expect(a.events()).toEqual(['feed']);
    expect(b.events()).toEqual(['feed']);
    ca.close();
    cb.close();
  });

  it('renders again after refreshMs without a change (relative times), sending only what reads differently', async () => {
    const source = fakeSource();
    const stream = createEventStream(source, logger, OPTIONS);
    const a = recorder();
    const client = stream.connect(a.write, noop)!;
    await vi.advanceTimersByTimeAsync(0);
    a.clear();
    source.parts.library = '<p>42, synced 1 min ago</p>';
    await vi.advanceTimersByTimeAsync(OPTIONS.refreshMs);
    expect(a.events()).toEqual(['library']);
    client.close();
  });

  it('spaces slow renders while changes keep coming, and renders a change after a quiet spell at once', async () => {
    let stamp = 0;
    let renders = 0;
    const renderMs = 300;
    const stream = createEventStream(
      {
        stamp: async () => `s${stamp}`,
        async render() {
          renders += 1;
          await new Promise((resolve) => setTimeout(resolve, renderMs));
          return { feed: `<p>${stamp}</p>` };
        },
      },
      logger,
      OPTIONS,
    );
    const sent: number[] = [];
    const client = stream.connect(() => sent.push(Date.now()), noop)!;
    // A change on every tick for 3 s: each 300 ms render is followed by 750 ms without one (3 × 300, at
    // most 750), so about 3 renders rather than the 6 that back-to-back ticks would make.
    for (let t = 0; t < 3000; t += OPTIONS.tickMs) {
      stamp += 1;
      await vi.advanceTimersByTimeAsync(OPTIONS.tickMs);
    }
    expect(renders).toBeGreaterThanOrEqual(2);
    expect(renders).toBeLessThanOrEqual(3);
    // Quiet for a while, then one change: rendered on the next tick, within tick + render time.
    await vi.advanceTimersByTimeAsync(5000);
    const before = renders;
    stamp += 1;
    const changedAt = Date.now();
    await vi.advanceTimersByTimeAsync(OPTIONS.tickMs + renderMs);
    expect(renders).toBe(before + 1);
    expect(sent.at(-1)! - changedAt).toBeLessThanOrEqual(OPTIONS.tickMs + renderMs);
    client.close();
  });

  it('sends a heartbeat comment while connected', async () => {
    const stream = createEventStream(fakeSource(), logger, OPTIONS);
    const a = recorder();
    const client = stream.connect(a.write, noop)!;
    const start = a.comments();
    await vi.advanceTimersByTimeAsync(OPTIONS.heartbeatMs * 2);
    expect(a.comments() - start).toBe(2);
    client.close();
  });

  it('refuses a client over the cap, and takes one again once a place is free', () => {
    const stream = createEventStream(fakeSource(), logger, OPTIONS);
    const first = stream.connect(noop, noop);
    const second = stream.connect(noop, noop);
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(stream.connect(noop, noop)).toBeNull();
    first!.close();
    expect(stream.clients).toBe(1);
    const third = stream.connect(noop, noop);
    expect(third).not.toBeNull();
    second!.close();
    third!.close();
  });

  it('stops reading the stamp when the last client leaves, and starts afresh for the next', async () => {
    const source = fakeSource();
    const stream = createEventStream(source, logger, OPTIONS);
    const client = stream.connect(noop, noop)!;
    await vi.advanceTimersByTimeAsync(OPTIONS.tickMs * 3);
    client.close();
    const stamps = source.stamps;
    await vi.advanceTimersByTimeAsync(OPTIONS.heartbeatMs * 3);
    expect(source.stamps).toBe(stamps);
    expect(vi.getTimerCount()).toBe(0);
    const a = recorder();
    const again = stream.connect(a.write, noop)!;
    await vi.advanceTimersByTimeAsync(0);
    expect(a.events()).toEqual(['feed', 'library']);
    again.close();
  });

  it('logs a failed render and tries again on the next tick', async () => {
    const source = fakeSource();
    source.failRender = true;
    const stream = createEventStream(source, logger, OPTIONS);
    const a = recorder();
    const client = stream.connect(a.write, noop)!;
    await vi.advanceTimersByTimeAsync(0);
    expect(warnings).toHaveLength(1);
    expect(a.events()).toEqual([]);
    source.failRender = false;
    await vi.advanceTimersByTimeAsync(OPTIONS.tickMs);
    expect(a.events()).toEqual(['feed', 'library']);
    client.close();
  });

  it('lets its clients go after failed updates in a row (they reconnect), logging once', async () => {
    const source = fakeSource();
    source.failRender = true;
    const stream = createEventStream(source, logger, OPTIONS);
    const ended: string[] = [];
    for (const name of ['a', 'b']) {
      const client: LiveClient = stream.connect(noop, () => {
        ended.push(name);
        client.close();
      })!;
    }
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(OPTIONS.tickMs);
    expect(ended).toEqual([]);
    await vi.advanceTimersByTimeAsync(OPTIONS.tickMs);
    expect(ended).toEqual(['a', 'b']);
    expect(stream.clients).toBe(0);
    expect(warnings).toHaveLength(1);
  });
});
