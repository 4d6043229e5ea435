// A stand-in for the plex.tv endpoints of "Sign in with Plex" (Plex's PIN flow), served by the simulator so a
// client can be pointed at it instead of https://plex.tv:
//   POST /api/v2/pins?strong=true   a PIN for the client named by X-Plex-Client-Identifier → {id, code, authToken: null, …}
//   GET  /api/v2/pins/{id}          the same PIN, `authToken` filled once the person approved it
//   GET  /auth#?clientID=…&code=…   the page the person approves the PIN on (app.plex.tv/auth in real life)
//   GET  /api/v2/resources          the account's devices (X-Plex-Token = the account token), the simulated
//                                   server among them with its own accessToken and its connections
// As on plex.tv, a PIN belongs to the client identifier that created it (another one gets 404), an unknown or
// expired PIN is 404, and errors are `{errors: [{code, message, status}]}`. Answers are JSON when the request
// accepts it and XML otherwise (`<pin …/>`, `<resources><resource …><connections><connection …/>`), which is
// what python-plexapi reads. None of this needs the server's token, so app.ts mounts it before the token
// check; the control routes (`/__sim/plextv/approve|expire?code=`) do need it, like every `/__sim` route.
import { randomBytes } from 'node:crypto';
import type { Router, RouterContext } from '@koa/router';
import type { SimDeps } from './deps.js';
import { plexParam, wantsJson } from '../render/respond.js';
import { escapeXml, toXml } from '../render/xml.js';

/** plex.tv's lifetimes: a strong PIN (the OAuth-style flow) lasts 30 minutes, a 4-character one 15. */
const STRONG_PIN_SECONDS = 1800;
const SHORT_PIN_SECONDS = 900;
/** The plex.tv account that approves PINs in the simulator (the server's owner). */
const SIM_ACCOUNT = { id: 1, username: 'sim-owner' };
const MAX_PINS = 1000;

interface SimPin {
  id: number;
  code: string;
  clientIdentifier: string;
  product: string;
  createdAt: number;
  expiresAt: number;
  authToken: string | null;
}

export class PlexTvStore {
  private readonly pins = new Map<number, SimPin>();
  private readonly accountTokens = new Set<string>();
  private nextId = 1_000_001;
  private readonly now = Date.now;

  create(clientIdentifier: string, product: string, strong: boolean): SimPin {
    const now = this.now();
    const code = strong ? randomBytes(16).toString('hex').slice(0, 25) : randomBytes(2).toString('hex').toUpperCase();
    const pin: SimPin = {
      id: this.nextId++,
      code,
      clientIdentifier,
      product,
      createdAt: now,
      expiresAt: now + (strong ? STRONG_PIN_SECONDS : SHORT_PIN_SECONDS) * 1000,
      authToken: null,
    };
    this.pins.set(pin.id, pin);
    // Oldest first: a long-running simulator keeps a bounded number of PINs.
    if (this.pins.size > MAX_PINS) this.pins.delete(this.pins.keys().next().value as number);
    return pin;
  }

  /** The live PIN with this id for this client, or undefined (unknown, another client's, or expired). */
  get(id: number, clientIdentifier: string): SimPin | undefined {
    const pin = this.pins.get(id);
    if (!pin || pin.clientIdentifier !== clientIdentifier || pin.expiresAt <= this.now()) return undefined;
    return pin;
  }

  byCode(code: string): SimPin | undefined {
    for (const pin of this.pins.values()) if (pin.code === code && pin.expiresAt > this.now()) return pin;
    return undefined;
  }

  /** The person signs in and approves: the PIN gets an account token. */
  approve(pin: SimPin): string {
    if (!pin.authToken) {
      pin.authToken = `plextv-${randomBytes(12).toString('hex')}`;
      this.accountTokens.add(pin.authToken);
    }
    return pin.authToken;
  }

  expire(pin: SimPin): void {
    pin.expiresAt = this.now();
  }

  isAccountToken(token: string | undefined): boolean {
    return token !== undefined && this.accountTokens.has(token);
  }
}

/** JSON when asked for, else XML: `root` names the XML document's element, `items` the children of a list. */
function send(
  ctx: RouterContext,
  status: number,
  body: Record<string, unknown> | Record<string, unknown>[],
  root: string,
  item = '',
): void {
  ctx.status = status;
  if (wantsJson(ctx)) {
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(body);
    return;
  }
  ctx.type = 'application/xml; charset=utf-8';
  ctx.body = toXml(root, Array.isArray(body) ? { size: body.length, [item]: body } : body);
}

function plexTvError(ctx: RouterContext, status: number, code: number, message: string): void {
  // JSON lists the errors in an array; XML as <errors><error …/></errors>.
  const errors = [{ code, message, status }];
  send(ctx, status, wantsJson(ctx) ? { errors } : { error: errors }, 'errors');
}

function pinJson(pin: SimPin, now: number): Record<string, unknown> {
  return {
    id: pin.id,
    code: pin.code,
    product: pin.product,
    trusted: false,
    qr: `https://plex.tv/api/v2/pins/qr/${pin.code}`,
    clientIdentifier: pin.clientIdentifier,
    location: { code: 'US', european_union_member: false, continent_code: 'NA', country: 'United States', subdivisions: 'Sim' },
    expiresIn: Math.max(0, Math.round((pin.expiresAt - now) / 1000)),
    createdAt: new Date(pin.createdAt).toISOString().replace(/\.\d+Z$/, 'Z'),
    expiresAt: new Date(pin.expiresAt).toISOString().replace(/\.\d+Z$/, 'Z'),
    authToken: pin.authToken,
    newRegistration: null,
  };
}

function single(ctx: RouterContext, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The approval page. The code travels in the URL's fragment (`/auth#?code=…`), which only the page's script sees. */
function authPage(code: string | undefined): string {
  const action = code ? `/auth/approve?code=${encodeURIComponent(code)}` : '/auth/approve';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plex (simulator) · Sign in</title></head>
<body>
<h1>Sign in to Plex</h1>
<p id="asking">An app wants to use the Plex account <strong>${SIM_ACCOUNT.username}</strong>.</p>
<p>Code: <code id="code">${code ? escapeXml(code) : ''}</code></p>
<form method="post" id="approve" action="${escapeXml(action)}"><button type="submit">Approve</button></form>
<script>
  const params = new URLSearchParams(location.hash.replace(/^#!?\\??/, ''));
  const code = params.get('code');
  const product = params.get('context[device][product]');
  if (code) {
    document.getElementById('code').textContent = code;
    document.getElementById('approve').action = '/auth/approve?code=' + encodeURIComponent(code);
  }
  if (product) document.getElementById('asking').firstChild.textContent = product + ' wants to use the Plex account ';
</script>
</body></html>`;
}

function resourcesJson(ctx: RouterContext, deps: SimDeps): Record<string, unknown>[] {
  const { state, token } = deps;
  // The simulator is reached where this request arrived: that is its local connection.
  const local = new URL(`${ctx.protocol}://${ctx.host}`);
  const port = Number(local.port || (local.protocol === 'https:' ? 443 : 80));
  const dashed = '203-0-113-7';
  const plexDirect = `${dashed}.${state.machineIdentifier}.plex.direct`;
  const seen = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return [
    {
      name: state.library.friendlyName,
      product: 'Plex Media Server',
      productVersion: '1.41.6.9685-d301f511a',
      platform: 'Linux',
      platformVersion: '6.1',
      device: 'PC',
      clientIdentifier: state.machineIdentifier,
      createdAt: '2024-01-02T03:04:05Z',
      lastSeenAt: seen,
      provides: 'server',
      ownerId: null,
      sourceTitle: null,
      publicAddress: '203.0.113.7',
      accessToken: token,
      owned: true,
      home: false,
      synced: false,
      relay: true,
      presence: true,
      httpsRequired: false,
      publicAddressMatches: true,
      dnsRebindingProtection: false,
      natLoopbackSupported: false,
      connections: [
        {
          protocol: local.protocol.replace(':', ''),
          address: local.hostname,
          port,
          uri: `${local.protocol}//${local.host}`,
          local: true,
          relay: false,
          IPv6: false,
        },
        {
          protocol: 'https',
          address: '203.0.113.7',
          port: 32400,
          uri: `https://${plexDirect}:32400`,
          local: false,
          relay: false,
          IPv6: false,
        },
        {
          protocol: 'https',
          address: '198.51.100.20',
          port: 8443,
          uri: `https://198-51-100-20.${state.machineIdentifier}.plex.direct:8443`,
          local: false,
          relay: true,
          IPv6: false,
        },
      ],
    },
    {
      // A player on the same account: not a server, so a sign-in must not offer it.
      name: 'Living Room',
      product: 'Plexamp',
      productVersion: '4.12.0',
      platform: 'Linux',
      platformVersion: '6.1',
      device: 'Raspberry Pi',
      clientIdentifier: 'sim-plexamp-living-room',
      createdAt: '2024-01-02T03:04:05Z',
      lastSeenAt: seen,
      provides: 'client,player,pubsub-player',
      ownerId: null,
      sourceTitle: null,
      publicAddress: '203.0.113.7',
      accessToken: null,
      owned: true,
      home: false,
      synced: false,
      relay: true,
      presence: true,
      httpsRequired: false,
      publicAddressMatches: true,
      dnsRebindingProtection: false,
      natLoopbackSupported: false,
      connections: [],
    },
  ];
}

/** The plex.tv endpoints, on a router app.ts mounts before the server's token check. */
export function plexTvRoutes(router: Router, deps: SimDeps, store: PlexTvStore): void {
  const clientOf = (ctx: RouterContext): string | undefined => plexParam(ctx, 'X-Plex-Client-Identifier') || undefined;

  router.post('/api/v2/pins', (ctx) => {
    const client = clientOf(ctx);
    if (!client) return plexTvError(ctx, 400, 1000, 'X-Plex-Client-Identifier is missing');
    // python-plexapi sends `strong=True` (Python's spelling of true).
    const strong = ['true', '1'].includes((single(ctx, 'strong') ?? '').toLowerCase());
    const pin = store.create(client, plexParam(ctx, 'X-Plex-Product') ?? '', strong);
    send(ctx, 201, pinJson(pin, Date.now()), 'pin');
  });

  router.get('/api/v2/pins/:id', (ctx) => {
    const client = clientOf(ctx);
    if (!client) return plexTvError(ctx, 400, 1000, 'X-Plex-Client-Identifier is missing');
    const pin = /^\d+$/.test(ctx.params.id) ? store.get(Number(ctx.params.id), client) : undefined;
    if (!pin) return plexTvError(ctx, 404, 1020, 'Code not found or expired');
    send(ctx, 200, pinJson(pin, Date.now()), 'pin');
  });

  router.get('/api/v2/resources', (ctx) => {
    if (!store.isAccountToken(plexParam(ctx, 'X-Plex-Token'))) return plexTvError(ctx, 401, 1001, 'User could not be authenticated');
    const devices = resourcesJson(ctx, deps);
    if (wantsJson(ctx)) return send(ctx, 200, devices, 'resources');
    // In XML the connections are wrapped: <resource …><connections><connection …/></connections></resource>.
    send(
      ctx,
      200,
      devices.map((d) => ({ ...d, connections: { connection: d.connections } })),
      'resources',
      'resource',
    );
  });

  router.get('/auth', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = authPage(single(ctx, 'code'));
  });

  router.post('/auth/approve', (ctx) => {
    const pin = store.byCode(single(ctx, 'code') ?? '');
    ctx.type = 'text/html; charset=utf-8';
    if (!pin) {
      ctx.status = 404;
      ctx.body = '<!doctype html><title>Plex (simulator)</title><h1>That code is not valid or has expired.</h1>';
      return;
    }
    store.approve(pin);
    ctx.body = `<!doctype html><title>Plex (simulator) · Signed in</title><h1>Signed in</h1><p>${escapeXml(pin.product || 'The app')} can now use your Plex account. You can close this tab.</p>`;
  });
}

/** `/__sim/plextv/approve?code=` and `/__sim/plextv/expire?code=`: what the person (or the clock) does, for tests. */
export function plexTvControlRoutes(router: Router, store: PlexTvStore): void {
  const pinOf = (ctx: RouterContext): SimPin | undefined => store.byCode(single(ctx, 'code') ?? '');
  router.post('/__sim/plextv/approve', (ctx) => {
    const pin = pinOf(ctx);
    if (!pin) return plexTvError(ctx, 404, 1020, 'Code not found or expired');
    store.approve(pin);
    ctx.body = { id: pin.id, approved: true };
  });
  router.post('/__sim/plextv/expire', (ctx) => {
    const pin = pinOf(ctx);
    if (!pin) return plexTvError(ctx, 404, 1020, 'Code not found or expired');
    store.expire(pin);
    ctx.body = { id: pin.id, expired: true };
  });
}
