// Structured logs (JSON lines on stderr). Secrets are redacted by key wherever they appear, and
// URLs are logged without their query strings (Plex tokens travel there).
import pino, { type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'token', 'plexToken', 'password', 'adminPassword', 'secret', 'webhookSecret', 'apiToken', 'apiKey', 'authorization',
  '*.token', '*.plexToken', '*.password', '*.secret', '*.apiToken', '*.apiKey', '*.authorization',
  'headers.authorization', 'headers["x-plex-token"]',
];

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined }, destination as pino.DestinationStream);
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
