// POST /webhooks/plex/:secret — Plex's multipart delivery. Order matters: the secret is checked
// (in constant time) before any body is read; then the content type; then multer parses with hard
// limits (payload ≤ 256 KiB, thumb ≤ 1 MiB and discarded as it streams, nothing else). The event is
// committed to the inbox before the 200 (group commit: events arriving together share a transaction);
// a failure to store is a 503, never a 200, and so is a database another program holds for over a second.
import multer from '@koa/multer';
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type SQLite from 'better-sqlite3';
import { DATABASE_BUSY_MESSAGE, isDatabaseBusy } from '../db/connection.js';
import type { Logger } from '../log.js';
import { sameSecret } from '../secrets/tokens.js';
import { inboxRecorder } from './inbox.js';
import { classify, parsePayload, type ClassifyContext } from './payload.js';

export const PAYLOAD_LIMIT = 256 * 1024;
export const THUMB_LIMIT = 1024 * 1024;

export interface WebhookRouteOptions {
  /** The raw connection: the inbox insert is a prepared statement on the request path. */
  sqlite: SQLite.Database;
  logger: Logger;
  secret: () => string;
  context: () => ClassifyContext;
  /** Called after an event is committed as pending, to wake the worker. */
  onAccepted?: (id: number) => void;
  /** Called after any event is committed (pending or ignored): the spool's rows are then moved into the inbox. */
  onStored?: (id: number) => void;
  /** How long an event waits for a database another connection holds before a 503 (default 1 s). */
  busyWaitMs?: number;
  /** Where events are committed: the inbox itself, or the receiver thread's spool (see db/inbox-spool). */
  table?: 'webhook_events' | 'spooled_events';
}

/** Multer storage that reads the thumb to its end (so limits apply) and keeps none of it. */
const discardStorage = {
  _handleFile(_req: unknown, file: { stream: NodeJS.ReadableStream }, cb: (err: Error | null, info?: { size: number }) => void) {
    let size = 0;
    file.stream.on('data', (chunk: Buffer) => (size += chunk.length));
    file.stream.on('error', (err: Error) => cb(err));
    file.stream.on('end', () => cb(null, { size }));
    file.stream.resume();
  },
  _removeFile(_req: unknown, _file: unknown, cb: (err: Error | null) => void) {
    cb(null);
  },
};

const upload = multer({
  storage: discardStorage as unknown as multer.StorageEngine,
  limits: { fieldSize: PAYLOAD_LIMIT, fileSize: THUMB_LIMIT, fields: 1, files: 1, parts: 2, fieldNameSize: 64 },
});

const MULTER_STATUS: Record<string, [number, string]> = {
  LIMIT_FIELD_VALUE: [413, 'payload part is larger than 256 KiB'],
  LIMIT_FILE_SIZE: [413, 'thumb part is larger than 1 MiB'],
  LIMIT_PART_COUNT: [400, 'too many parts: only payload and thumb are accepted'],
  LIMIT_FIELD_COUNT: [400, 'too many fields: only payload is accepted'],
  LIMIT_FILE_COUNT: [400, 'too many files: only one thumb is accepted'],
  LIMIT_UNEXPECTED_FILE: [400, 'unexpected file part: only thumb is accepted'],
  LIMIT_FIELD_KEY: [400, 'field name too long'],
};

export function webhookRoutes(options: WebhookRouteOptions): Router {
  const router = new Router();
  const parseMultipart = upload.fields([{ name: 'thumb', maxCount: 1 }]);
  const record = inboxRecorder(options.sqlite, {
    busyWaitMs: options.busyWaitMs,
    table: options.table,
    onBusy: (waiting, attempt) => {
      if (attempt === 1) options.logger.debug({ waiting }, 'webhooks: database busy; events wait');
    },
  });

  router.post('/webhooks/plex/:secret', async (ctx: Context) => {
    if (!sameSecret(String(ctx.params.secret ?? ''), options.secret())) ctx.throw(404, 'Not Found');
    if (!ctx.is('multipart/form-data')) ctx.throw(415, 'expected multipart/form-data with a payload part');
    try {
      await parseMultipart(ctx, async () => {});
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const mapped = MULTER_STATUS[code];
      if (mapped) ctx.throw(mapped[0], mapped[1]);
      ctx.throw(400, `malformed multipart body: ${(err as Error).message}`);
    }
    const body = (ctx.request as unknown as { body?: Record<string, unknown> }).body ?? {};
    const extra = Object.keys(body).filter((k) => k !== 'payload');
    if (extra.length > 0) ctx.throw(400, `unexpected part ${extra[0]}: only payload and thumb are accepted`);
    if (typeof body.payload !== 'string') ctx.throw(400, 'no payload part');
    const parsed = parsePayload(body.payload);
    if (!parsed.ok) ctx.throw(400, parsed.reason);

    const classified = classify(parsed.payload, options.context());
    let id: number;
    try {
      id = await record(parsed.payload.event, classified, body.payload);
    } catch (err) {
      if (isDatabaseBusy(err)) {
        options.logger.warn('webhooks: database busy for over a second (another program holds it); event refused with 503');
        ctx.throw(503, `${DATABASE_BUSY_MESSAGE}; the event is not stored, reconciliation will catch up`, {
          expose: true,
          headers: { 'Retry-After': '1' },
        });
      }
      options.logger.error({ err }, 'webhooks: could not store event');
      ctx.throw(503, 'could not store the event; Plex will not retry, reconciliation will catch up');
    }
    options.logger.debug(
      { id, event: parsed.payload.event, status: classified.status, reason: classified.ignoreReason },
      'webhooks: received',
    );
    if (classified.status === 'pending') options.onAccepted?.(id);
    options.onStored?.(id);
    ctx.status = 200;
    ctx.body = { id, status: classified.status, ...(classified.ignoreReason ? { reason: classified.ignoreReason } : {}) };
  });
  return router;
}
