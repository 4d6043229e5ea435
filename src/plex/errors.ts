// Errors of the Plex client. Every message names the server (without credentials or query string)
// and says what to do; none ever contains the token, which travels only in a request header.

export class PlexError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** 401: the token is wrong, expired, or belongs to an account without access to this server. */
export class PlexAuthError extends PlexError {
  readonly status = 401;
  constructor(
    readonly serverUrl: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`plex: Plex rejected PLEX_TOKEN at ${serverUrl} (401 Unauthorized on ${method} ${path}); check the token`);
  }
}

/** No HTTP answer at all: refused, unknown host, reset, TLS failure. */
export class PlexUnreachableError extends PlexError {
  constructor(
    readonly serverUrl: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`plex: cannot reach Plex at ${serverUrl}: ${reason}; check PLEX_URL and that the server is running`, options);
  }
}

export class PlexTimeoutError extends PlexError {
  constructor(
    readonly serverUrl: string,
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`plex: Plex at ${serverUrl} did not answer ${method} ${path} within ${timeoutMs} ms`);
  }
}

/** Any other non-2xx answer; `status` and the request line, never the token. */
export class PlexHttpError extends PlexError {
  /** The server's Retry-After (429/503), honoured by the retry loop instead of the computed backoff. */
  retryAfterMs: number | null = null;
  constructor(
    readonly serverUrl: string,
    readonly status: number,
    readonly method: string,
    readonly path: string,
    detail = '',
  ) {
    super(`plex: Plex at ${serverUrl} answered ${status} to ${method} ${path}${detail ? `: ${detail}` : ''}`);
  }
}

/** 404: the item, playlist or section does not exist (any more). */
export class PlexNotFoundError extends PlexHttpError {
  constructor(serverUrl: string, method: string, path: string, detail = '') {
    super(serverUrl, 404, method, path, detail || 'not found');
  }
}

/** A 2xx answer whose body is not the JSON Plex sends (a proxy's login page, a truncated body). */
export class PlexResponseError extends PlexError {
  constructor(
    readonly serverUrl: string,
    readonly method: string,
    readonly path: string,
    detail: string,
  ) {
    super(`plex: Plex at ${serverUrl} sent an unreadable answer to ${method} ${path}: ${detail}`);
  }
}

/** A call that must not be sent as asked, e.g. an edit without ids (Plex would apply it to every item). */
export class PlexUsageError extends PlexError {}
