// Reads a server-sent event stream as a browser's EventSource would, and lets a test wait for the first
// event (past or future) that matches. Each event records when it was parsed (ms since the epoch).
export interface SseEvent {
  name: string;
  data: string;
  at: number;
}

export interface SseClient {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** Comment lines (`: …`) seen so far (the heartbeat). */
  comments: number;
  /** The first event after `from` (an index into `events`) that matches. */
  next(match: (e: SseEvent) => boolean, from?: number): Promise<SseEvent>;
  /** Resolves when a comment line arrives after the ones seen so far. */
  nextComment(): Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal, redirect: 'manual' });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let comments = 0;
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  const client: SseClient = {
    status: res.status,
    headers: res.headers,
    events,
    get comments() {
      return comments;
    },
    next(match, from = 0) {
      return new Promise((resolve) => {
        const look = () => {
          const found = events.slice(from).find(match);
          if (!found) return;
          waiters.delete(look);
          resolve(found);
        };
        waiters.add(look);
        look();
      });
    },
    nextComment() {
      const seen = comments;
      return new Promise((resolve) => {
        const look = () => {
          if (comments === seen) return;
          waiters.delete(look);
          resolve();
        };
        waiters.add(look);
      });
    },
    close: () => abort.abort(),
  };
  if (res.status !== 200 || !res.body) return client;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    let name = 'message';
    let data: string[] = [];
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 1);
          if (line === '') {
            if (data.length > 0) events.push({ name, data: data.join('\n'), at: Date.now() });
            name = 'message';
            data = [];
          } else if (line.startsWith(':')) comments += 1;
          else if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
          else if (line.startsWith('data:')) data.push(line.slice(5));
        }
        wake();
      }
    } catch {
      // Closed by the test (abort) or by the server.
    }
  })();
  return client;
}
