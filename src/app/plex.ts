// The Plex clients app.ts hands out: one per connection (the environment's, or what the Setup page saved),
// and the reachability probe /api/health reports.
import type { PlexConnection } from '../engine/live/live-engine.js';
import { PlexClient, type PlexClientOptions } from '../plex/client.js';
import { VERSION } from '../version.js';
import type { PlexReachability } from '../web/health.js';

export type PlexClientFor = (connection: Omit<PlexConnection, 'musicLibrary'>, tuning?: Partial<PlexClientOptions>) => PlexClient;

/** A client for a connection, sending Sagewire's version; `tuning` for retries (tests) and the Setup check. */
export const plexClientFor: PlexClientFor = (connection, tuning = {}) =>
  new PlexClient({ url: connection.url, token: connection.token, timeoutMs: connection.timeoutMs, version: VERSION, ...tuning });

/** Whether the connection in effect now answers with its token accepted. */
export async function probePlex(connection: PlexConnection | null): Promise<PlexReachability> {
  if (!connection) return { configured: false, reachable: null };
  try {
    // An endpoint that needs the token: /identity answers anyone, so it cannot tell a rejected token.
    const res = await fetch(`${connection.url}/library/sections`, {
      headers: { Accept: 'application/json', 'X-Plex-Token': connection.token },
      // Never followed: the token header would go with a redirect to another host.
      redirect: 'manual',
      signal: AbortSignal.timeout(3000),
    });
    if (res.status === 401) return { configured: true, reachable: false, error: 'Plex rejected PLEX_TOKEN' };
    return res.ok ? { configured: true, reachable: true } : { configured: true, reachable: false, error: `Plex answered ${res.status}` };
  } catch (err) {
    return { configured: true, reachable: false, error: `cannot reach Plex: ${(err as Error).message}` };
  }
}
