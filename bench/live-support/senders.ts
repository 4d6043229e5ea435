// The benchmark's webhook senders, in their own process (as Plex is): N concurrent keep-alive connections
// POST pre-encoded multipart bodies, shaped like Plex's, to the URL. Input: a JSON file
// {url, payloads: string[], senders, rate?}; output: one JSON line {latencies, fromSend, sentAt, doneAt,
// statuses: {code: n}, seconds}, where latencies[i], fromSend[i], sentAt[i] and doneAt[i] (ms since the start)
// are those of payloads[i]; fromSend counts from the moment the request was actually written, so it leaves
// out this process's own lateness (its timers fire late when the CPU is busy).
// Without `rate` each sender posts as soon as its previous post is answered (saturation). With `rate`
// (events/s over all senders) posts follow a fixed schedule and latency counts from the scheduled time,
// so a slow answer that delays the next post is not hidden (no coordinated omission).
import { readFileSync } from 'node:fs';
import http from 'node:http';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { url: string; payloads: string[]; senders: number; rate?: number };
const agent = new http.Agent({ keepAlive: true, maxSockets: input.senders });
const boundary = '--------------------------sagewirebench';
const target = new URL(input.url);

function body(payload: string): Buffer {
  return Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="payload"\r\n\r\n${payload}\r\n--${boundary}--\r\n`);
}

function post(data: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Content-Length': data.length,
          'User-Agent': 'PlexMediaServer/1.41.0',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const bodies = input.payloads.map(body);
const latencies: number[] = new Array(bodies.length);
const fromSend: number[] = new Array(bodies.length);
const sentAt: number[] = new Array(bodies.length);
const doneAt: number[] = new Array(bodies.length);
const statuses: Record<string, number> = {};
let next = 0;
const started = performance.now();
const interval = input.rate ? 1000 / input.rate : 0;
await Promise.all(
  Array.from({ length: input.senders }, async () => {
    while (next < bodies.length) {
      const index = next++;
      const data = bodies[index];
      let t0 = performance.now();
      if (interval > 0) {
        const due = started + index * interval;
        if (due > t0) await new Promise((resolve) => setTimeout(resolve, due - t0));
        t0 = Math.min(due, performance.now());
      }
      const written = performance.now();
      const status = await post(data).catch(() => 0);
      const now = performance.now();
      latencies[index] = now - t0;
      fromSend[index] = now - written;
      sentAt[index] = t0 - started;
      doneAt[index] = now - started;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
process.stdout.write(
  `${JSON.stringify({ latencies, fromSend, sentAt, doneAt, statuses, seconds: (performance.now() - started) / 1000 })}\n`,
);
agent.destroy();
