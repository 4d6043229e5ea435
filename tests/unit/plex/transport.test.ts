import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PlexAuthError,
  PlexClient,
  PlexError,
  PlexHttpError,
  PlexNotFoundError,
  PlexResponseError,
  PlexTimeoutError,
  PlexUnreachableError,
  PlexUsageError,
  type PlexRequestEvent,
} from '../../../src/plex/index.js';
import { PlexTransport } from '../../../src/plex/transport.js';
import { waitUntil } from '../../support/wait.js';
import { html, json, startLocalServer, type LocalServer } from './local-server.js';

const TOKEN = 'secret-token-abc123';
const SAMPLE_401 = readFileSync(new URL('../../fixtures/plex-samples/pms-error-401-unauthorized.html', import.meta.url), 'utf8');
const SAMPLE_404 = readFileSync(new URL('../../fixtures/plex-samples/pms-error-404-not-found.html', import.meta.url), 'utf8');

describe('Plex transport', () => {
  let server: LocalServer;
  let events: PlexRequestEvent[];
  const client = (extra: Partial<ConstructorParameters<typeof PlexClient>[0]> = {}) =>
    new PlexClient({
      url: server.url,
      token: TOKEN,
      clientIdentifier: 'test-install',
      version: '9.9.9',
      retryBaseMs: 1,
      retryMaxMs: 5,
      onRequest: (e) => events.push(e),
      ...extra,
    });

  beforeEach(async () => {
    server = await startLocalServer();
    events = [];
  });
  afterEach(() => server.close());

  it('sends JSON Accept and the X-Plex identification headers, with the token in a header only', async () => {
    server.handle((_req, res) => json(res, { MediaContainer: { machineIdentifier: 'abc', version: '1.2' } }));
    expect(await client().identity()).toEqual({ machineIdentifier: 'abc', version: '1.2', claimed: undefined });
    const [req] = server.seen;
    expect(req.headers.accept).toBe('application/json');
    expect(req.headers['x-plex-token']).toBe(TOKEN);
    expect(req.headers['x-plex-client-identifier']).toBe('test-install');
    expect(req.headers['x-plex-product']).toBe('Sagewire');
    expect(req.headers['x-plex-version']).toBe('9.9.9');
    expect(req.url).not.toContain(TOKEN);
  });

  it('turns a 401 into PlexAuthError naming the server, not the token', async () => {
    server.handle((_req, res) => html(res, 401, SAMPLE_401));
    const err = await client()
      .sections()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlexAuthError);
    expect(err).toBeInstanceOf(PlexError);
    expect((err as Error).message).toBe(
      `plex: Plex rejected PLEX_TOKEN at ${server.url} (401 Unauthorized on GET /library/sections); check the token`,
    );
    expect(server.seen).toHaveLength(1); // never retried
  });

  it('turns a 404 page into PlexNotFoundError without retrying', async () => {
    server.handle((_req, res) => html(res, 404, SAMPLE_404));
    const err = await client()
      .children(5)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlexNotFoundError);
    expect((err as PlexNotFoundError).status).toBe(404);
    expect((err as Error).message).toContain('GET /library/metadata/5/children');
    expect(server.seen).toHaveLength(1);
  });

  it('retries GETs on 5xx and 429 with backoff, then succeeds', async () => {
    server.handle((_req, res, n) => {
      if (n === 1) return html(res, 500, '<h1>boom</h1>');
      if (n === 2) return html(res, 429, 'slow down');
      json(res, { MediaContainer: { Directory: [] } });
    });
    expect(await client().sections()).toEqual([]);
    expect(server.seen).toHaveLength(3);
    expect(events.map((e) => [e.status, e.willRetry])).toEqual([
      [500, true],
      [429, true],
      [200, false],
    ]);
  });

  it('gives up after the configured retries with PlexHttpError (status, method, path)', async () => {
    server.handle((_req, res) => html(res, 503, 'unavailable'));
    const err = await client({ retries: 2 })
      .sections()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlexHttpError);
    expect((err as PlexHttpError).status).toBe(503);
    expect((err as Error).message).toBe(`plex: Plex at ${server.url} answered 503 to GET /library/sections: Service Unavailable`);
    expect(server.seen).toHaveLength(3);
  });

  it('honours Retry-After on 429', async () => {
    server.handle((_req, res, n) => {
      if (n === 1) {
        res.writeHead(429, { 'retry-after': '0' });
        return res.end();
      }
      json(res, { MediaContainer: { Directory: [] } });
    });
    await client({ retryBaseMs: 10_000, retryMaxMs: 10_000 }).sections();
    expect(server.seen).toHaveLength(2);
  });

  it('does not retry non-idempotent writes (playlist create and append)', async () => {
    server.handle((req, res) => {
      if (req.path === '/identity') return json(res, { MediaContainer: { machineIdentifier: 'mid' } });
      html(res, 500, 'oops');
    });
    const plex = client();
    await expect(plex.createPlaylist('Mix', ['1', '2'])).rejects.toBeInstanceOf(PlexHttpError);
    await expect(plex.appendToPlaylist(7, ['3'])).rejects.toBeInstanceOf(PlexHttpError);
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(server.seen.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('retries idempotent writes (rate) and treats a 404 on a retried DELETE as done', async () => {
    server.handle((req, res, n) => {
      if (n === 1 || n === 3) return html(res, 502, 'bad gateway');
      if (req.method === 'DELETE') return html(res, 404, SAMPLE_404);
      res.writeHead(200).end();
    });
    const plex = client();
    await plex.rate(12, 7.5);
    expect(server.seen.map((r) => r.method)).toEqual(['PUT', 'PUT']);
    expect(server.seen[1].query.get('rating')).toBe('7.5');
    await plex.deletePlaylist(9); // 502, then 404: the first attempt had deleted it
    expect(server.seen).toHaveLength(4);
    // A 404 on the first attempt is a real "no such playlist".
    await expect(plex.deletePlaylist(9)).rejects.toBeInstanceOf(PlexNotFoundError);
  });

  it('raises PlexTimeoutError when Plex holds the request past the timeout', async () => {
    server.handle(() => undefined); // never answers
    const err = await client({ timeoutMs: 100, retries: 1 })
      .identity()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlexTimeoutError);
    expect((err as Error).message).toBe(`plex: Plex at ${server.url} did not answer GET /identity within 100 ms`);
    expect(server.seen).toHaveLength(2);
  });

  it('times out a body that stalls after the headers', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"MediaContainer":');
    });
    await expect(client({ timeoutMs: 100, retries: 0 }).identity()).rejects.toBeInstanceOf(PlexTimeoutError);
  });

  it('reports a closed port as "cannot reach Plex at …: connection refused"', async () => {
    const port = await freePort();
    const err = await new PlexClient({ url: `http://127.0.0.1:${port}/`, token: TOKEN, retries: 0 }).identity().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlexUnreachableError);
    expect((err as Error).message).toBe(
      `plex: cannot reach Plex at http://127.0.0.1:${port}: connection refused; check PLEX_URL and that the server is running`,
    );
  });

  it('retries a dropped connection', async () => {
    server.handle((_req, res, n) => {
      if (n === 1) return res.socket?.destroy();
      json(res, { MediaContainer: { machineIdentifier: 'm' } });
    });
    expect((await client().identity()).machineIdentifier).toBe('m');
  });

  it('rejects an answer that is not JSON with PlexResponseError', async () => {
    server.handle((_req, res) => html(res, 200, '<html>login</html>'));
    const err = await client({ retries: 0 })
      .identity()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlexResponseError);
    expect((err as Error).message).toContain('expected JSON, got text/html');
  });

  it('never puts the answer in an error message (the token it may echo, or anything else): the status and a fixed reason', async () => {
    server.handle((_req, res) => html(res, 400, `bad request for token ${TOKEN} <b>internal details</b>`));
    const err = (await client()
      .sections()
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(PlexHttpError);
    expect(err.message).toBe(`plex: Plex at ${server.url} answered 400 to GET /library/sections: Bad Request`);
  });

  it('does not follow a redirect: the token would go with it', async () => {
    const elsewhere = await startLocalServer();
    try {
      elsewhere.handle((_req, res) => json(res, { MediaContainer: { machineIdentifier: 'other' } }));
      server.handle((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/identity` }).end());
      const err = (await client()
        .identity()
        .catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(PlexHttpError);
      expect(err.message).toContain('answered 302 to GET /identity: a redirect, which Sagewire does not follow');
      expect(elsewhere.seen).toHaveLength(0);
      expect(server.seen).toHaveLength(1);
    } finally {
      await elsewhere.close();
    }
  });

  it('stops at once when the caller aborts', async () => {
    server.handle(() => undefined);
    const controller = new AbortController();
    const pending = client().identity(controller.signal);
    // Aborted once the request is at the server, which never answers it.
    await waitUntil(() => server.seen.length === 1, 'the request at the server');
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(server.seen).toHaveLength(1);
  });

  describe('per-request headers', () => {
    const transport = () =>
      new PlexTransport({ url: server.url, token: TOKEN, clientIdentifier: 'test-install', product: 'Sagewire', version: '9.9.9' });

    it('sends them beside the identifying headers, for that request only', async () => {
      server.handle((_req, res) => json(res, {}));
      const t = transport();
      await t.request('GET', '/player/playback/play', { idempotent: false, headers: { 'X-Plex-Target-Client-Identifier': 'k1' } });
      await t.request('GET', '/player/playback/play', { idempotent: false });
      const [first, second] = server.seen;
      expect(first.headers['x-plex-target-client-identifier']).toBe('k1');
      expect(first.headers['x-plex-token']).toBe(TOKEN);
      expect(first.headers['x-plex-client-identifier']).toBe('test-install');
      expect(first.query.has('X-Plex-Target-Client-Identifier')).toBe(false);
      expect(second.headers['x-plex-target-client-identifier']).toBeUndefined();
    });

    it.each([['X-Plex-Token'], ['x-plex-token'], ['ACCEPT'], ['X-Plex-Client-Identifier']])(
      'refuses to replace %s, sending nothing',
      async (name) => {
        server.handle((_req, res) => json(res, {}));
        const t = transport();
        const err = await t.request('GET', '/clients', { idempotent: true, headers: { [name]: 'other' } }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(PlexUsageError);
        expect((err as Error).message).toContain(name);
        expect(server.seen).toHaveLength(0);
        expect(t.counters.requests).toBe(0);
      },
    );
  });

  it('counts requests and reads the server clock from the Date header', async () => {
    server.handle((_req, res) => json(res, { MediaContainer: { machineIdentifier: 'm' } }));
    const plex = client();
    await plex.identity();
    await plex.identity();
    expect(plex.counters.requests).toBe(2);
    expect(Math.abs(plex.lastServerTime! - Date.now() / 1000)).toBeLessThan(5);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
