// A server that stands for "some other URL": it records every request (method, URL, headers) and answers
// what the test tells it to, by default an error page with a recognisable body. Tests assert it never
// receives a saved secret and that its body never comes back through Sagewire's pages.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A body no page may ever show: if it appears, a foreign answer was reflected. */
export const FOREIGN_MARKER = 'FOREIGN-BODY-7f3a <b>internal admin console</b>';

export interface CapturedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface CaptureServer {
  url: string;
  seen: CapturedRequest[];
  /** Replaces how it answers (default: 500 with FOREIGN_MARKER as an HTML page). */
  answer(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** Every header value and URL it received, as one string, to search for a secret. */
  everything(): string;
  close(): Promise<void>;
}

export const foreignPage = (status: number) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'text/html' }).end(`<html><body><h1>${FOREIGN_MARKER}</h1></body></html>`);
};

export async function startCaptureServer(): Promise<CaptureServer> {
  const seen: CapturedRequest[] = [];
  let handler = foreignPage(500);
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    answer(next) {
      handler = next;
    },
    everything: () => seen.map((r) => `${r.method} ${r.url} ${JSON.stringify(r.headers)}`).join('\n'),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
