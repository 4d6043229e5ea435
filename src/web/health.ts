// GET /api/health: liveness (no auth) and whether Plex answers. The Plex probe is cached briefly
// so a container health check every few seconds does not become load on the server.
import { Router } from '@koa/router';

export interface PlexReachability {
  configured: boolean;
  reachable: boolean | null;
  error?: string;
}

export type PlexProbe = () => Promise<PlexReachability>;

export function healthRoutes(version: string, probePlex: PlexProbe, cacheMs = 15_000): Router {
  const router = new Router();
  const started = Date.now();
  let cached: { at: number; value: PlexReachability } | null = null;
  router.get('/api/health', async (ctx) => {
    if (!cached || Date.now() - cached.at > cacheMs) {
      cached = { at: Date.now(), value: await probePlex() };
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok', version, uptimeSeconds: Math.round((Date.now() - started) / 1000), plex: cached.value };
  });
  return router;
}
