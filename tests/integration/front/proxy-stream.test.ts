// The front door's proxy passes a server-sent event stream through as it is written: each event reaches
// the client while the response is still open (nothing buffered until the end), and a stream that stays
// quiet for longer than the request timeout is not cut off (the timeout is for receiving the request).
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { applyServerLimits, DEFAULT_SERVER_LIMITS, serverOptions, type ServerLimits } from '../../../src/front/limits.js';
import { createProxy, type Proxy as FrontProxy } from '../../../src/front/proxy.js';
import { openSse } from '../../support/sse-client.js';

const LIMITS: ServerLimits = {
  ...DEFAULT_SERVER_LIMITS,
  requestTimeoutMs: 200,
  headersTimeoutMs: 200,
  checkIntervalMs: 20,
  idleTimeoutMs: 5_000,
};
/** How long the upstream stays quiet before its second event: several request timeouts. */
const QUIET_MS = LIMITS.requestTimeoutMs * 4;

const servers: Server[] = [];
let proxy: FrontProxy | null = null;
afterEach(async () => {
  proxy?.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

it('streams each event through at once, and keeps a stream open past the request timeout', async () => {
  let sendSecond: () => void = () => {};
  const upstream = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.write('event: first\ndata: 1\n\n');
    sendSecond = () => res.write('event: second\ndata: 2\n\n');
  });
  const target = { host: '127.0.0.1', port: await listen(upstream) };
  proxy = createProxy(target, 'token', () => {});
  const front = http.createServer(serverOptions(LIMITS), (req, res) => proxy!.handle(req, res));
  applyServerLimits(front, LIMITS);
  const port = await listen(front);

  const sse = await openSse(`http://127.0.0.1:${port}/events`);
  expect(sse.status).toBe(200);
  expect(sse.headers.get('content-type')).toBe('text/event-stream');
  // The first event arrives while the upstream response is still open: the proxy did not buffer it.
  const first = await sse.next((e) => e.name === 'first');
  // The upstream then says nothing for several request timeouts (a quiet stream is the case under test).
  setTimeout(() => sendSecond(), QUIET_MS);
  const second = await sse.next((e) => e.name === 'second');
  expect(second.at - first.at).toBeGreaterThanOrEqual(QUIET_MS - 5);
  expect(second.data).toBe('2');
  sse.close();
});
