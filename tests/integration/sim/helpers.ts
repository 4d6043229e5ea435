// Shared helpers for the simulator's integration tests: real HTTP against 127.0.0.1, XML parsed with
// fast-xml-parser, and a local webhook receiver that parses multipart bodies itself.
import { waitUntil } from '../../support/wait.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { startSimulator, type RunningSimulator, type SimOptions } from '../../../src/sim/index.js';

export async function startSim(opts: SimOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ tracks: 1500, seed: 42, log: () => {}, ...opts });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: () => any;
  xml: () => any;
}

export async function call(
  sim: RunningSimulator,
  method: string,
  path: string,
  opts: { json?: boolean; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.json !== false) headers.Accept = 'application/json';
  if (opts.token !== null) headers['X-Plex-Token'] = opts.token ?? sim.token;
  const res = await fetch(sim.url + path, { method, headers });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text),
    xml: () =>
      new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        parseAttributeValue: false,
        isArray: (name, _jpath, _leaf, isAttribute) => !isAttribute && name !== 'MediaContainer',
      }).parse(text),
  };
}

export async function getJson(sim: RunningSimulator, path: string): Promise<any> {
  const answer = await call(sim, 'GET', path);
  if (answer.status !== 200) throw new Error(`GET ${path} → ${answer.status}: ${answer.text.slice(0, 200)}`);
  return answer.json().MediaContainer;
}

export interface Delivery {
  headers: http.IncomingHttpHeaders;
  parts: Map<string, { filename?: string; contentType?: string; data: Buffer }>;
  payload: any;
  rawPayload: string;
}

/** Minimal multipart/form-data parser: enough to check exactly what the simulator sends. */
export function parseMultipart(body: Buffer, contentType: string): Delivery['parts'] {
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const parts: Delivery['parts'] = new Map();
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(delimiter, headerEnd);
    const headerText = body.subarray(start + 2, headerEnd).toString();
    const data = body.subarray(headerEnd + 4, next - 2);
    const name = /name="([^"]+)"/.exec(headerText)?.[1] ?? '';
    parts.set(name, {
      filename: /filename="([^"]+)"/.exec(headerText)?.[1],
      contentType: /Content-Type: (.+)/i.exec(headerText)?.[1]?.trim(),
      data,
    });
    pos = next;
  }
  return parts;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  status: number;
  close(): Promise<void>;
  waitFor(n: number, ms?: number): Promise<Delivery[]>;
}

export async function startReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const receiver = { status: 200 } as Receiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parts = parseMultipart(Buffer.concat(chunks), req.headers['content-type'] ?? '');
      const rawPayload = parts.get('payload')?.data.toString('utf8') ?? '';
      deliveries.push({ headers: req.headers, parts, payload: JSON.parse(rawPayload), rawPayload });
      res.statusCode = receiver.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/secret`;
  receiver.deliveries = deliveries;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  receiver.waitFor = async (n, ms = 5000) => {
    await waitUntil(() => deliveries.length >= n, `${n} deliveries`, ms);
    return deliveries;
  };
  return receiver;
}
