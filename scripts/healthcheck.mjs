// The image's health check: GET /api/health where `sagewire serve` listens, read from HOST and PORT as
// src/config.ts reads them (an empty value means the default). A wildcard HOST (0.0.0.0, ::) accepts
// connections on loopback, so that is probed; a specific address or name is probed as given, because a
// server bound to 192.168.1.5 does not answer on 127.0.0.1. Exit 0 when healthy, 1 otherwise.
const host = (process.env.HOST ?? '').trim() || '0.0.0.0';
const port = (process.env.PORT ?? '').trim() || '8765';
const wildcards = new Set(['0.0.0.0', '::', '[::]', '::0']);
const target = wildcards.has(host) ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
// Shorter than the HEALTHCHECK timeout, so a stuck server is reported by this script and not by Docker's kill.
const timeoutMs = 4000;

try {
  const res = await fetch(`http://${target}:${port}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
  const body = res.ok ? await res.json() : null;
  if (body?.status === 'ok') process.exit(0);
  console.error(`healthcheck: http://${target}:${port}/api/health answered ${res.status}`);
} catch (err) {
  // fetch reports "fetch failed"; the cause says why (ECONNREFUSED, a timeout…).
  const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  console.error(`healthcheck: http://${target}:${port}/api/health: ${reason}`);
}
process.exit(1);
