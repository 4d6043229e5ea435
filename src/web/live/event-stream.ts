// One server-sent event stream shared by every open copy of a page. A single ticker per process (not one
// per client) reads a cheap stamp of what the page shows; only when the stamp moved does it render the
// page's parts once and push the parts whose HTML changed to every client, as named events (`event: feed`),
// which htmx's SSE extension swaps into the elements with the matching `sse-swap`. A client that has just
// connected gets every part on the next tick, so nothing that changed between its page load and its
// connection is lost. The ticker and the heartbeat run only while a client is connected.
import type { Logger } from '../../log.js';

export interface LiveSource {
  /** Changes whenever a part may have changed, whoever changed it (read from the database, not from memory). */
  stamp(): Promise<string>;
  /** Each part's HTML by event name. */
  render(): Promise<Record<string, string>>;
}

export interface LiveOptions {
  /** How often the stamp is read (the bound on how late an update shows). */
  tickMs: number;
  /** A comment line this often keeps proxies and idle timeouts from closing a quiet stream. */
  heartbeatMs: number;
  /** Parts are rendered again this often even when the stamp is still: "just now" becomes "1 min ago". */
  refreshMs: number;
  /** Streams open at once; one more is refused (each holds a socket and a share of every render). */
  maxClients: number;
}

/**
 * A tick without a commit since the last one is one read of SQLite's commit counter (about 0.1 ms), so the
 * stamp is looked at ten times a second: of the second an update may take, the wait for a tick is the least.
 */
export const DEFAULT_LIVE_OPTIONS: LiveOptions = { tickMs: 100, heartbeatMs: 15_000, refreshMs: 10_000, maxClients: 20 };

export interface LiveClient {
  /** Takes the client out (its connection closed). */
  close(): void;
}

export interface EventStream {
  /**
   * Adds a client that receives text through `write`; null when `maxClients` are already connected. `end`
   * closes its response (the browser then connects again, to the handlers in effect by then).
   */
  connect(write: (text: string) => void, end: () => void): LiveClient | null;
  readonly clients: number;
}

/** One named event in the wire format: every line of the data gets its own `data:` field. */
export function sseEvent(name: string, data: string): string {
  return `event: ${name}\n${data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}\n`)
    .join('')}\n`;
}

/** Renders are at least this many times their own duration apart… */
const RENDER_SPACING = 3;
/** …up to this. */
const MAX_GAP_MS = 750;

/** Failed updates in a row after which the clients are let go, to reconnect (to a rebuilt database handle). */
const FAILURES_BEFORE_RECONNECT = 3;

interface Client {
  write(text: string): void;
  end(): void;
  fresh: boolean;
}

export function createEventStream(source: LiveSource, logger: Logger, options: LiveOptions = DEFAULT_LIVE_OPTIONS): EventStream {
  const clients = new Set<Client>();
  let ticker: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let ticking = false;
  let lastStamp: string | null = null;
  let lastRenderAt = 0;
  let lastRenderMs = 0;
  let lastParts: Record<string, string> = {};
  let failures = 0;

  const send = (client: Client, text: string) => {
    try {
      client.write(text);
    } catch {
      clients.delete(client);
    }
  };

  async function tick(): Promise<void> {
    ticker = null;
    ticking = true;
    try {
      const stamp = await source.stamp();
      const fresh = [...clients].filter((c) => c.fresh);
      const since = Date.now() - lastRenderAt;
      // Rendering reads counts over whole tables: while changes keep coming (a full pass), slow renders are
      // spaced so that they take at most about a quarter of the time, yet never more than MAX_GAP_MS apart,
      // which keeps "within a second" on a slow machine. A change after a quiet spell renders at once.
      const spaced = since >= Math.min(MAX_GAP_MS, RENDER_SPACING * lastRenderMs);
      if (spaced && (stamp !== lastStamp || fresh.length > 0 || since >= options.refreshMs)) {
        // The stamp is read before rendering: a change committed meanwhile moves it again for the next tick.
        const started = Date.now();
        const parts = await source.render();
        lastStamp = stamp;
        lastRenderAt = Date.now();
        lastRenderMs = lastRenderAt - started;
        const changed = Object.keys(parts).filter((name) => parts[name] !== lastParts[name]);
        lastParts = parts;
        const all = Object.keys(parts)
          .map((name) => sseEvent(name, parts[name]))
          .join('');
        const delta = changed.map((name) => sseEvent(name, parts[name])).join('');
        for (const client of clients) {
          if (client.fresh) {
            client.fresh = false;
            send(client, all);
          } else if (delta) send(client, delta);
        }
      }
      failures = 0;
    } catch (err) {
      failures += 1;
      if (failures === 1) logger.warn({ err: (err as Error).message }, 'live page: update failed; trying again');
      if (failures >= FAILURES_BEFORE_RECONNECT) {
        for (const client of [...clients]) client.end();
      }
    } finally {
      ticking = false;
      schedule(options.tickMs);
    }
  }

  function schedule(ms: number): void {
    if (clients.size === 0 || ticking) return;
    if (ticker) clearTimeout(ticker);
    ticker = setTimeout(() => void tick(), ms).unref();
  }

  function stopWhenAlone(): void {
    if (clients.size > 0) return;
    if (ticker) clearTimeout(ticker);
    if (heartbeat) clearInterval(heartbeat);
    ticker = null;
    heartbeat = null;
    // A later first client starts from nothing: it gets every part, and the stamp is read afresh.
    lastStamp = null;
    lastParts = {};
  }

  return {
    connect(write, end) {
      if (clients.size >= options.maxClients) return null;
      const client: Client = { write, end, fresh: true };
      clients.add(client);
      // The browser waits this long before reconnecting after a drop.
      send(client, 'retry: 2000\n\n');
      heartbeat ??= setInterval(() => {
        for (const c of clients) send(c, ': keep-alive\n\n');
      }, options.heartbeatMs).unref();
      schedule(0);
      return {
        close() {
          clients.delete(client);
          stopWhenAlone();
        },
      };
    },
    get clients() {
      return clients.size;
    },
  };
}
