// The front door's reverse proxy to the main thread's web app: the request and the response stream
// through as they come (bodies are never buffered), with status and headers kept, except the hop-by-hop
// headers of each connection. The front adds who the client is (FRONT_PEER_HEADER, signed with the
// per-process token) and removes any such header a client sent.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { CONTENT_SECURITY_POLICY } from '../web/security-headers.js';
import { FRONT_PEER_HEADER, FRONT_TOKEN_HEADER } from './headers.js';

/** Headers that belong to one connection (RFC 9110 §7.6.1), plus the front's own. */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  FRONT_TOKEN_HEADER,
  FRONT_PEER_HEADER,
]);

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface Proxy {
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): void;
}

function forwardable(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  // A header named in Connection is hop-by-hop too.
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !NOT_FORWARDED.has(name) && !named.has(name)) out[name] = value;
  }
  return out;
}

export function createProxy(target: ProxyTarget, token: string, onError: (err: Error) => void): Proxy {
  // Idle connections are dropped (timeout) well before the app's keep-alive timeout closes them, so a
  // request is never sent on a connection the app is closing at that moment.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64, scheduling: 'lifo', timeout: 30_000 });
  return {
    handle(req, res) {
      const headers = forwardable(req.headers);
      headers[FRONT_TOKEN_HEADER] = token;
      headers[FRONT_PEER_HEADER] = req.socket.remoteAddress ?? '';
      const upstream = http.request({ host: target.host, port: target.port, method: req.method, path: req.url, headers, agent });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, forwardable(answer.headers));
        pipeline(answer, res, () => {});
      });
      upstream.on('error', (err) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        onError(err);
        const body = JSON.stringify({ error: 'Sagewire is starting or stopping; try again' });
        res.writeHead(502, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
          'X-Frame-Options': 'DENY',
        });
        res.end(body);
      });
      // A client that goes away takes its request to the main app with it.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      // pipe, not pipeline: a failed upstream must not destroy the client's socket before the 502 is sent.
      req.on('error', () => upstream.destroy());
      req.pipe(upstream);
    },
    close() {
      agent.destroy();
    },
  };
}
