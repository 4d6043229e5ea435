// One HTTP exchange with Plex, done carefully: identifying headers, a per-request timeout, retries
// with exponential backoff and full jitter for requests the caller marks idempotent, and every
// failure turned into a PlexError a person can act on. The token goes in a header only, so no URL,
// path or message built here can contain it. Redirects are never followed (the header would go with
// them), and an error says the status and a fixed reason, never what the server answered: the URL may
// be any server, and its answer must not come back through Sagewire's pages or logs.
import { STATUS_CODES } from 'node:http';
import {
  PlexAuthError,
  type PlexError,
  PlexHttpError,
  PlexNotFoundError,
  PlexResponseError,
  PlexTimeoutError,
  PlexUnreachableError,
  PlexUsageError,
} from './errors.js';
import { backoffDelay, retryAfterMs, sleep } from './backoff.js';

export type QueryParams = ReadonlyArray<readonly [string, string | number]>;

export interface PlexRequestEvent {
  method: string;
  /** Path without query string. */
  path: string;
  attempt: number;
  /** HTTP status, or null when no answer arrived. */
  status: number | null;
  ms: number;
  /** Error class name when the attempt failed. */
  error?: string;
  willRetry: boolean;
}

export interface PlexTransportOptions {
  /** Base URL, e.g. `http://192.168.1.10:32400` (a path prefix behind a proxy is kept). */
  url: string;
  token: string;
  /** Stable id of this installation; Plex lists devices by it. */
  clientIdentifier: string;
  product: string;
  version: string;
  /** Per attempt, covering headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Extra attempts for idempotent requests. Default 3. */
  retries?: number;
  /** First backoff ceiling; doubles per attempt up to `retryMaxMs`. Defaults 250 ms / 5 s. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  onRequest?: (event: PlexRequestEvent) => void;
}

export interface RequestOptions {
  query?: QueryParams;
  /** Safe to send twice (GET, set-to-value edits). Only these are retried. */
  idempotent: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** For DELETEs: a 404 on a retry means an earlier attempt already did it. */
  notFoundOnRetryIsDone?: boolean;
  /**
   * Headers of this request alone (e.g. `X-Plex-Target-Client-Identifier` of a playback command), sent
   * beside the identifying ones, which they may not replace.
   */
  headers?: Readonly<Record<string, string>>;
}

export interface RequestCounters {
  /** Attempts sent, retries included. */
  requests: number;
  retries: number;
}

/** Encodes like Plex clients do: percent-encoding (space as %20, never '+'), keys included. */
export function encodeQuery(query: QueryParams): string {
  return query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

export class PlexTransport {
  readonly serverUrl: string;
  readonly counters: RequestCounters = { requests: 0, retries: 0 };
  /** Server clock (epoch s) from the `Date` header of the latest answer; null before any. */
  lastServerTime: number | null = null;
  private readonly base: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;

  constructor(private readonly options: PlexTransportOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new PlexUsageError(`plex: "${options.url}" is not a URL; PLEX_URL looks like http://192.168.1.10:32400`);
    }
    if (!/^https?:$/.test(parsed.protocol)) throw new PlexUsageError(`plex: PLEX_URL must start with http:// or https://`);
    this.base = `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
    this.serverUrl = this.base;
    this.headers = {
      Accept: 'application/json',
      'X-Plex-Token': options.token,
      'X-Plex-Client-Identifier': options.clientIdentifier,
      'X-Plex-Product': options.product,
      'X-Plex-Version': options.version,
    };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 250;
    this.retryMaxMs = options.retryMaxMs ?? 5_000;
  }

  /** Sends the request; resolves with the parsed JSON body, or undefined for an empty body. */
  async request<T>(method: string, path: string, opts: RequestOptions): Promise<T | undefined> {
    const maxAttempts = opts.idempotent ? this.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const result = await this.once<T>(method, path, opts);
        this.report({ method, path, attempt, status: result.status, ms: performance.now() - started, willRetry: false });
        return result.body;
      } catch (err) {
        if (err instanceof PlexNotFoundError && attempt > 1 && opts.notFoundOnRetryIsDone) return undefined;
        const retryable = isRetryable(err) && attempt < maxAttempts && !opts.signal?.aborted;
        this.report({
          method,
          path,
          attempt,
          status: err instanceof PlexHttpError ? err.status : null,
          ms: performance.now() - started,
          error: err instanceof Error ? err.name : 'Error',
          willRetry: retryable,
        });
        if (!retryable) throw err;
        this.counters.retries++;
        const hinted = err instanceof PlexHttpError ? err.retryAfterMs : null;
        await sleep(hinted ?? backoffDelay(attempt, this.retryBaseMs, this.retryMaxMs), opts.signal);
      }
    }
  }

  private async once<T>(method: string, path: string, opts: RequestOptions): Promise<{ status: number; body: T | undefined }> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const query = opts.query && opts.query.length > 0 ? `?${encodeQuery(opts.query)}` : '';
    const headers = this.headersFor(opts);
    this.counters.requests++;
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.base}${path}${query}`, { method, headers, signal, redirect: 'manual' });
      text = await res.text();
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? err;
      if (timeout.aborted) throw new PlexTimeoutError(this.serverUrl, method, path, timeoutMs);
      throw new PlexUnreachableError(this.serverUrl, describeNetworkError(err), { cause: err });
    }
    const date = res.headers.get('date');
    if (date) {
      const ms = Date.parse(date);
      if (Number.isFinite(ms)) this.lastServerTime = Math.floor(ms / 1000);
    }
    if (!res.ok) throw this.statusError(res, method, path);
    if (text.trim() === '') return { status: res.status, body: undefined };
    try {
      return { status: res.status, body: JSON.parse(text) as T };
    } catch {
      throw new PlexResponseError(
        this.serverUrl,
        method,
        path,
        `expected JSON, got ${mediaType(res.headers.get('content-type'))} (${text.length} bytes)`,
      );
    }
  }

  private headersFor(opts: RequestOptions): Record<string, string> {
    if (!opts.headers) return this.headers;
    const fixed = new Set(Object.keys(this.headers).map((name) => name.toLowerCase()));
    for (const name of Object.keys(opts.headers))
      if (fixed.has(name.toLowerCase())) throw new PlexUsageError(`plex: a request may not replace the ${name} header`);
    return { ...opts.headers, ...this.headers };
  }

  private statusError(res: Response, method: string, path: string): PlexError {
    if (res.status === 401) return new PlexAuthError(this.serverUrl, method, path);
    if (res.status === 404) return new PlexNotFoundError(this.serverUrl, method, path);
    const error = new PlexHttpError(this.serverUrl, res.status, method, path, statusReason(res.status));
    if (res.status === 429 || res.status === 503) error.retryAfterMs = retryAfterMs(res.headers.get('retry-after'), this.retryMaxMs);
    return error;
  }

  private report(event: PlexRequestEvent): void {
    this.options.onRequest?.(event);
  }
}

function isRetryable(err: unknown): boolean {
  if (err instanceof PlexUnreachableError || err instanceof PlexTimeoutError || err instanceof PlexResponseError) return true;
  return err instanceof PlexHttpError && (err.status === 429 || err.status >= 500);
}

/** A fixed reason for a status: the standard phrase, or what a redirect means here. */
export function statusReason(status: number): string {
  if (status >= 300 && status < 400)
    return 'a redirect, which Sagewire does not follow (the token would go with it); set PLEX_URL to the address it points to';
  return STATUS_CODES[status] ?? 'unexpected status';
}

/** The media type of a Content-Type header when it looks like one; never the header's free text. */
function mediaType(header: string | null): string {
  const type = (header ?? '').split(';')[0].trim().toLowerCase();
  if (!type) return 'no content type';
  return /^[a-z]+\/[a-z0-9.+-]{1,60}$/.test(type) ? type : 'another content type';
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};

export function describeNetworkError(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return NETWORK_REASONS[code] ?? code.toLowerCase().replace(/_/g, ' ');
    current = (current as { cause?: unknown }).cause;
  }
  return err instanceof Error && err.message !== 'fetch failed' ? err.message : 'no answer';
}
