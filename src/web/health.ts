// GET /api/health: liveness (no auth) and whether Plex answers. The Plex probe is cached briefly
// so a container health check every few seconds does not become load on the server; once there is
// a result, a stale one is answered at once while a fresh probe runs in the background, so the
// health check never waits on Plex (nor on anything the probe waits on) after the first time.
import { Router } from '@koa/router';

export interface PlexReachability {
  /** null when the answer is not known (the engine did not answer in time). */
  configured: boolean | null;
  reachable: boolean | null;
  error?: string;
}

export type PlexProbe = () => Promise<PlexReachability>;

export interface HealthReport {
  status: 'ok';
  version: string;
  uptimeSeconds: number;
  plex: PlexReachability;
}

/** The health report, with the probe cached for `cacheMs` and refreshed in the background. */
export function healthCheck(version: string, probePlex: PlexProbe, cacheMs = 15_000): () => Promise<HealthReport> {
  const started = Date.now();
  let cached: { at: number; value: PlexReachability } | null = null;
  let probing: Promise<PlexReachability> | null = null;
  const probe = () =>
    (probing ??= probePlex()
      .catch((err: unknown): PlexReachability => ({ configured: null, reachable: null, error: `probe failed: ${(err as Error).message}` }))
      .then((value) => {
        cached = { at: Date.now(), value };
        return value;
      })
      .finally(() => (probing = null)));
  return async () => {
    let plex: PlexReachability;
    if (!cached) plex = await probe();
    else {
      if (Date.now() - cached.at > cacheMs) void probe();
      plex = cached.value;
    }
    return { status: 'ok', version, uptimeSeconds: Math.round((Date.now() - started) / 1000), plex };
  };
}

export function healthRoutes(version: string, probePlex: PlexProbe, cacheMs = 15_000): Router {
  const router = new Router();
  const report = healthCheck(version, probePlex, cacheMs);
  router.get('/api/health', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await report();
  });
  return router;
}
