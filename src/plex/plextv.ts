// The plex.tv side of "Sign in with Plex" (Plex's PIN flow, as python-plexapi's MyPlexPinLogin and
// MyPlexResource use it): create a PIN, let the person approve it at the auth page, ask for the PIN until it
// carries the account's token, then list the account's servers with their own access tokens and connections.
// Every answer is size-capped and checked against a schema; every failure is a PlexTvError whose message says
// what to do. Tokens travel in headers only and never appear in a message.
import { z } from 'zod';
import { describeNetworkError } from './transport.js';

export const DEFAULT_PLEX_TV_URL = 'https://plex.tv';
/** Where real Plex asks the person to approve a PIN (app.plex.tv, not plex.tv). */
const REAL_AUTH_PAGE = 'https://app.plex.tv/auth';
const PIN_BYTES = 64 * 1024;
/** An account with many shared servers and players lists a lot; this is far beyond any real answer. */
const RESOURCES_BYTES = 4 * 1024 * 1024;

export type PlexTvProblem = 'unreachable' | 'timeout' | 'expired' | 'rejected' | 'answer' | 'no-servers';

export class PlexTvError extends Error {
  constructor(
    readonly problem: PlexTvProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PlexTvError';
  }
}

export interface PlexTvOptions {
  /** plex.tv's base URL (PLEX_TV_URL); another one (the simulator) also serves the auth page. */
  url: string;
  /** The stable id of this installation: a PIN can only be read by the client that created it. */
  clientIdentifier: string;
  product: string;
  version: string;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
}

export interface PlexPin {
  id: number;
  code: string;
  /** The account's token once the person approved the PIN; null before. */
  authToken: string | null;
  /** Seconds left, as plex.tv counted when it answered. */
  expiresIn: number;
}

export interface PlexConnection {
  protocol: string;
  address: string;
  port: number;
  uri: string;
  local: boolean;
  relay: boolean;
}

export interface PlexServerResource {
  name: string;
  clientIdentifier: string;
  /** The token for this server (for a shared server, not the account's own token). */
  accessToken: string;
  owned: boolean;
  presence: boolean;
  connections: PlexConnection[];
}

const pinSchema = z.object({
  id: z.number().int().positive(),
  code: z.string().min(1).max(200),
  authToken: z.string().min(1).max(512).nullish(),
  expiresIn: z.number().nullish(),
});

const connectionSchema = z.object({
  protocol: z.string().max(16),
  address: z.string().max(300),
  port: z.number().int().min(0).max(65535),
  uri: z.string().min(1).max(500),
  local: z.boolean(),
  relay: z.boolean().nullish(),
});

/** Each device is read loosely (players carry other fields); servers then strictly. */
const deviceSchema = z.object({ provides: z.string().nullish() }).loose();
const serverSchema = z.object({
  name: z.string().max(300),
  clientIdentifier: z.string().min(1).max(200),
  accessToken: z.string().min(1).max(512),
  owned: z.boolean().nullish(),
  presence: z.boolean().nullish(),
  connections: z.array(connectionSchema).max(100).nullish(),
});

export class PlexTv {
  readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: PlexTvOptions) {
    const parsed = new URL(options.url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('plex.tv URL must start with http:// or https://');
    this.base = `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** A new strong PIN (the kind the auth page approves). */
  async createPin(): Promise<PlexPin> {
    return this.readPin(await this.request('POST', '/api/v2/pins?strong=true', null, PIN_BYTES));
  }

  /** The PIN as plex.tv has it now; `authToken` is set once approved. A 404 means expired (or never created). */
  async checkPin(id: number): Promise<PlexPin> {
    return this.readPin(await this.request('GET', `/api/v2/pins/${encodeURIComponent(String(id))}`, null, PIN_BYTES));
  }

  /** The page the person approves the PIN on (in a new tab). */
  authUrl(code: string): string {
    const params = new URLSearchParams({
      clientID: this.options.clientIdentifier,
      code,
      'context[device][product]': this.options.product,
    });
    const page = this.base === DEFAULT_PLEX_TV_URL ? REAL_AUTH_PAGE : `${this.base}/auth`;
    return `${page}#?${params.toString()}`;
  }

  /** The account's Plex Media Servers (owned first), each with its own token and connections. */
  async servers(accountToken: string): Promise<PlexServerResource[]> {
    const body = await this.request('GET', '/api/v2/resources?includeHttps=1&includeRelay=1', accountToken, RESOURCES_BYTES);
    const devices = z.array(deviceSchema).max(10_000).safeParse(body);
    if (!devices.success) throw this.unreadable('/api/v2/resources');
    const servers: PlexServerResource[] = [];
    for (const device of devices.data) {
      const provides = (device.provides ?? '').split(',').map((p) => p.trim());
      if (!provides.includes('server')) continue;
      const parsed = serverSchema.safeParse(device);
      // A server without its own token (or with an answer we cannot read) cannot be used; the others can.
      if (!parsed.success) continue;
      const s = parsed.data;
      servers.push({
        name: s.name,
        clientIdentifier: s.clientIdentifier,
        accessToken: s.accessToken,
        owned: s.owned ?? false,
        presence: s.presence ?? true,
        connections: (s.connections ?? []).map((c) => ({ ...c, relay: c.relay ?? false })),
      });
    }
    if (servers.length === 0) {
      throw new PlexTvError(
        'no-servers',
        'This Plex account has no Plex Media Server Sagewire can use. Sign in with the account that owns the server, or enter the URL and token below.',
      );
    }
    return servers.sort((a, b) => Number(b.owned) - Number(a.owned));
  }

  private readPin(body: unknown): PlexPin {
    const parsed = pinSchema.safeParse(body);
    if (!parsed.success) throw this.unreadable('/api/v2/pins');
    const { id, code, authToken, expiresIn } = parsed.data;
    return { id, code, authToken: authToken ?? null, expiresIn: expiresIn ?? 0 };
  }

  private unreadable(path: string): PlexTvError {
    return new PlexTvError('answer', `plex.tv at ${this.base} sent an answer to ${path} that Sagewire cannot read; try again later.`);
  }

  private async request(method: string, pathAndQuery: string, token: string | null, maxBytes: number): Promise<unknown> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'X-Plex-Product': this.options.product,
      'X-Plex-Version': this.options.version,
      'X-Plex-Client-Identifier': this.options.clientIdentifier,
    };
    if (token) headers['X-Plex-Token'] = token;
    const path = pathAndQuery.replace(/\?.*$/, '');
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    let text: string;
    try {
      // Redirects are not followed: the token header would go along to wherever they point.
      res = await fetch(`${this.base}${pathAndQuery}`, { method, headers, signal: timeout, redirect: 'manual' });
      text = await readCapped(res, maxBytes);
    } catch (err) {
      if (err instanceof PlexTvError) throw err;
      if (timeout.aborted) {
        throw new PlexTvError('timeout', `plex.tv at ${this.base} did not answer within ${this.timeoutMs / 1000} s; try again.`);
      }
      throw new PlexTvError(
        'unreachable',
        `Sagewire cannot reach plex.tv at ${this.base} (${describeNetworkError(err)}). Check that Sagewire can reach the internet, or enter the URL and token below.`,
        { cause: err },
      );
    }
    if (res.status === 404 && method === 'GET' && path.startsWith('/api/v2/pins/')) {
      throw new PlexTvError('expired', 'The sign-in code expired before it was approved. Start “Sign in with Plex” again.');
    }
    if (res.status === 401 || res.status === 403) {
      throw new PlexTvError('rejected', 'plex.tv did not accept the sign-in (it may have been revoked). Start “Sign in with Plex” again.');
    }
    if (!res.ok) throw new PlexTvError('answer', `plex.tv at ${this.base} answered ${res.status} to ${method} ${path}; try again later.`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw this.unreadable(path);
    }
  }
}

/** The body as text, refusing (and cancelling) one larger than `maxBytes`. */
async function readCapped(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new PlexTvError('answer', `plex.tv sent a larger answer than Sagewire accepts (${declared} bytes).`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new PlexTvError('answer', `plex.tv sent a larger answer than Sagewire accepts (over ${maxBytes} bytes).`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
