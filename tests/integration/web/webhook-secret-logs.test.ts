// The webhook secret never reaches a log line: a 5xx on the webhook route (logged with its path), 4xx
// answers, and any other line that carries the webhook path (a request log, a debug message, an error's
// message) — all captured from the real pino logger while the real receiver answers over HTTP.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { createLogger, redactWebhookPaths, type Logger } from '../../../src/log.js';
import { createWebApp } from '../../../src/web/app.js';
import { webhookRoutes } from '../../../src/webhooks/route.js';

const SECRET = 'hook-SECRET-value_0123456789';
const SAMPLES = new URL('../../fixtures/plex-samples/', import.meta.url);
const payload = () => ({
  ...(JSON.parse(readFileSync(new URL('webhook-media.play-track-with-mood-captured-2021.json', SAMPLES), 'utf8')) as Record<
    string,
    unknown
  >),
  event: 'media.rate',
  rating: 8,
});

describe('the webhook secret in logs', () => {
  let dir: string;
  let database: DatabaseHandle;
  let server: Server;
  let url: string;
  let logger: Logger;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-secret-logs-'));
    database = await openDatabase(join(dir, 'sagewire.db'));
    logger = createLogger(
      'trace',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          done();
        },
      }),
    );
    const app = createWebApp({
      logger,
      routers: [
        webhookRoutes({
          sqlite: database.sqlite,
          logger,
          secret: () => SECRET,
          // Classification fails: the route answers 500 and the error handler logs the request's path.
          context: () => {
            throw new Error('classification exploded');
          },
        }),
      ],
    });
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body?: BodyInit) => fetch(`${url}${path}`, { method: 'POST', body });
  const form = () => {
    const f = new FormData();
    f.append('payload', JSON.stringify(payload()));
    return f;
  };

  it('is redacted from the 5xx error line, which still names the route', async () => {
    const before = lines.length;
    expect((await post(`/webhooks/plex/${SECRET}`, form())).status).toBe(500);
    expect((await post(`/WEBHOOKS/Plex/${SECRET}`, form())).status).toBe(500);
    const logged = lines.slice(before);
    expect(logged.filter((l) => l.includes('web: request failed'))).toHaveLength(2);
    expect(logged.join('\n')).not.toContain(SECRET);
    expect(logged.join('\n')).toContain('/webhooks/plex/[redacted]');
  });

  it('is redacted from 4xx answers and from any line that carries the path', async () => {
    expect((await post(`/webhooks/plex/${SECRET}`, 'not multipart')).status).toBe(415);
    const broken = await fetch(`${url}/webhooks/plex/${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nbroken',
    });
    expect(broken.status).toBe(400);
    expect((await post(`/webhooks/plex/${SECRET}x`, form())).status).toBe(404);
    // A request log, a debug line and an error whose message and stack carry the path.
    logger.info(
      { method: 'POST', url: `http://sagewire.local:8765/webhooks/plex/${SECRET}?x=1`, path: `/webhooks/plex/${SECRET}` },
      `request POST /webhooks/plex/${SECRET}`,
    );
    logger.debug({ path: `/webhooks//plex/${encodeURIComponent(SECRET)}` }, 'debug');
    logger.error({ err: new Error(`could not handle /webhooks/plex/${SECRET}`) }, 'failed');
    const all = lines.join('\n');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain('hook-SECRET');
    expect(all.match(/\/webhooks\/+plex\/\[redacted\]/g)!.length).toBeGreaterThanOrEqual(6);
  });

  it.each([
    ['{"path":"/webhooks/plex/abc"}', '{"path":"/webhooks/plex/[redacted]"}'],
    ['{"msg":"POST /Webhooks/PLEX/a\\"b?x=1"}', '{"msg":"POST /Webhooks/PLEX/[redacted]?x=1"}'],
    ['{"u":"/webhooks/plex%2Fabc/more"}', '{"u":"/webhooks/plex%2F[redacted]/more"}'],
    ['{"p":"/webhooks/plex/"}', '{"p":"/webhooks/plex/"}'],
    ['{"p":"/api/status"}', '{"p":"/api/status"}'],
  ])('redacts %s as %s', (line, redacted) => {
    expect(redactWebhookPaths(line)).toBe(redacted);
  });
});
