// "Sign in with Plex" on the Setup page, one sign-in per admin session, kept in memory on the server: the
// PIN, then the account's servers with their tokens. Pages only ever get a view of it — the auth page's URL
// (which carries the PIN's code, not a token), server names and connection URIs — and a choice is made by
// its id, so no token reaches HTML, a URL or a log. A restart forgets sign-ins in progress; starting again
// is one click.
import { type PlexTv, PlexTvError, type PlexServerResource } from '../../plex/plextv.js';

/** Sign-ins kept at most (oldest dropped first); each is one admin session's. */
const MAX_SIGN_INS = 100;

export type ConnectionKind = 'local' | 'remote' | 'relay';

export interface ConnectionChoice {
  /** `<server>-<connection>`, the value the form sends back. */
  id: string;
  kind: ConnectionKind;
  uri: string;
}

export interface ServerChoice {
  name: string;
  owned: boolean;
  online: boolean;
  connections: ConnectionChoice[];
}

export type SignInView =
  | { state: 'idle' }
  | { state: 'waiting'; authUrl: string; expiresAt: number }
  | { state: 'expired' }
  | { state: 'failed'; message: string }
  | { state: 'servers'; servers: ServerChoice[] };

/** A chosen connection with the server's own token, for the Setup handler to test and save. */
export interface ChosenConnection {
  serverName: string;
  uri: string;
  token: string;
}

/** A server as offered: its connections in the order shown, each possibly with a plain-http twin. */
interface OfferedServer {
  name: string;
  owned: boolean;
  online: boolean;
  token: string;
  offers: { kind: ConnectionKind; uri: string }[];
}

interface SignIn {
  client: PlexTv;
  pinId: number;
  authUrl: string;
  expiresAt: number;
  servers: OfferedServer[] | null;
  failed: string | null;
  expired: boolean;
}

export interface PlexSignInOptions {
  /** The plex.tv client for a new sign-in (its URL and client id are read when the sign-in starts). */
  plexTv: () => Promise<PlexTv>;
  now?: () => number;
}

function kindOf(connection: { local: boolean; relay: boolean }): ConnectionKind {
  return connection.relay ? 'relay' : connection.local ? 'local' : 'remote';
}

const KIND_ORDER: Record<ConnectionKind, number> = { local: 0, remote: 1, relay: 2 };

export class PlexSignIns {
  private readonly byKey = new Map<string, SignIn>();
  private readonly now: () => number;

  constructor(private readonly options: PlexSignInOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts a new sign-in for this session (replacing any other): a PIN at plex.tv. */
  async start(key: string): Promise<SignInView> {
    this.byKey.delete(key);
    try {
      const client = await this.options.plexTv();
      const pin = await client.createPin();
      this.keep(key, {
        client,
        pinId: pin.id,
        authUrl: client.authUrl(pin.code),
        expiresAt: this.now() + pin.expiresIn * 1000,
        servers: null,
        failed: null,
        expired: false,
      });
    } catch (err) {
      return { state: 'failed', message: messageOf(err) };
    }
    return this.view(key);
  }

  /** Asks plex.tv whether the PIN was approved; once it was, lists the account's servers. */
  async poll(key: string): Promise<SignInView> {
    const signIn = this.byKey.get(key);
    if (!signIn || signIn.servers || signIn.failed || signIn.expired) return this.view(key);
    if (this.now() >= signIn.expiresAt) {
      signIn.expired = true;
      return this.view(key);
    }
    try {
      const pin = await signIn.client.checkPin(signIn.pinId);
      if (pin.authToken) signIn.servers = (await signIn.client.servers(pin.authToken)).map(offered);
    } catch (err) {
      if (err instanceof PlexTvError && err.problem === 'expired') signIn.expired = true;
      // plex.tv not answering this once is not the end of the sign-in: the next poll asks again.
      else if (err instanceof PlexTvError && (err.problem === 'unreachable' || err.problem === 'timeout')) return this.view(key);
      else signIn.failed = messageOf(err);
    }
    return this.view(key);
  }

  /** What the page shows, without asking plex.tv. */
  view(key: string): SignInView {
    const signIn = this.byKey.get(key);
    if (!signIn) return { state: 'idle' };
    if (signIn.failed) return { state: 'failed', message: signIn.failed };
    if (signIn.servers) return { state: 'servers', servers: signIn.servers.map(serverChoice) };
    if (signIn.expired || this.now() >= signIn.expiresAt) return { state: 'expired' };
    return { state: 'waiting', authUrl: signIn.authUrl, expiresAt: signIn.expiresAt };
  }

  /** The connection a choice id names, with its server's token; null when it names none. */
  chosen(key: string, id: string): ChosenConnection | null {
    const servers = this.byKey.get(key)?.servers;
    const match = /^(\d{1,3})-(\d{1,3})$/.exec(id);
    if (!servers || !match) return null;
    const server = servers[Number(match[1])];
    const offer = server?.offers[Number(match[2])];
    if (!server || !offer) return null;
    return { serverName: server.name, uri: offer.uri, token: server.token };
  }

  /** Forgets this session's sign-in (done, or abandoned). */
  clear(key: string): void {
    this.byKey.delete(key);
  }

  private keep(key: string, signIn: SignIn): void {
    this.byKey.set(key, signIn);
    if (this.byKey.size > MAX_SIGN_INS) this.byKey.delete(this.byKey.keys().next().value as string);
  }
}

/**
 * What a server's connections offer, local first. Plex lists a local connection of a server with secure
 * connections as `https://<address-with-dashes>.<hash>.plex.direct:32400`, which needs the plex.direct name to
 * resolve (routers with DNS rebinding protection refuse it); the same server also answers plain http at its
 * address, as python-plexapi's `httpuri` uses, so that is offered beside it.
 */
function offered(server: PlexServerResource): OfferedServer {
  const offers: { kind: ConnectionKind; uri: string }[] = [];
  for (const c of server.connections) {
    const kind = kindOf(c);
    offers.push({ kind, uri: c.uri });
    if (kind !== 'local') continue;
    const host = c.address.includes(':') ? `[${c.address}]` : c.address;
    const plain = `http://${host}:${c.port}`;
    if (c.address && plain !== c.uri.replace(/\/+$/, '') && !offers.some((o) => o.uri === plain)) offers.push({ kind, uri: plain });
  }
  offers.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  return { name: server.name, owned: server.owned, online: server.presence, token: server.accessToken, offers };
}

function serverChoice(server: OfferedServer, index: number): ServerChoice {
  const connections = server.offers.map((o, i) => ({ id: `${index}-${i}`, kind: o.kind, uri: o.uri }));
  return { name: server.name, owned: server.owned, online: server.online, connections };
}

function messageOf(err: unknown): string {
  if (err instanceof PlexTvError) return err.message;
  return 'Signing in with Plex failed unexpectedly; try again, or enter the URL and token below.';
}
