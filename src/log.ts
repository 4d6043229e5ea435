// Structured logs (JSON lines on stderr). Secrets are redacted by key wherever they appear, the
// webhook secret is cut out of every webhook path in every line (whatever logged it: an error, a
// request, a debug message), and URLs are logged without their query strings (Plex tokens travel there).
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'token',
  'plexToken',
  'password',
  'adminPassword',
  'secret',
  'webhookSecret',
  'apiToken',
  'apiKey',
  'authorization',
  '*.token',
  '*.plexToken',
  '*.password',
  '*.secret',
  '*.apiToken',
  '*.apiKey',
  '*.authorization',
  'headers.authorization',
  'headers["x-plex-token"]',
];

/**
 * The secret part of a webhook path (`/webhooks/plex/<secret>`), matched as the router matches it (any
 * case, repeated or encoded slashes) inside a JSON string: escaped characters are part of the secret,
 * the closing quote, a slash, `?`, `#` or whitespace ends it.
 */
const WEBHOOK_PATH_SECRET = /(\/webhooks(?:\/|%2f)+plex(?:\/|%2f)+)(?:\\.|[^/?#"\s\\])+/gi;

/** A log line with every webhook secret replaced; the one place this happens, for every logger. */
export function redactWebhookPaths(line: string): string {
  return line.replace(WEBHOOK_PATH_SECRET, '$1[redacted]');
}

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined, hooks: { streamWrite: redactWebhookPaths } },
    destination as pino.DestinationStream,
  );
}

/** A URL safe to log: the query string (which may carry X-Plex-Token) and any credentials removed. */
export function safeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return raw.replace(/\?.*$/, '');
  }
}
