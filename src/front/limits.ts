// Limits of the public HTTP server: a client that is slow to send its request is cut off, idle
// keep-alive connections are closed, and the number of connections is capped, so no client can hold
// the server's sockets (or the webhook receiver's attention) for long.
import type { Server, ServerOptions } from 'node:http';

export interface ServerLimits {
  /** Time to receive a whole request, headers and body (a slow-body client is cut off after this). */
  requestTimeoutMs: number;
  /** Time to receive the request's headers (at most requestTimeoutMs). */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** A socket with no traffic either way for this long is closed (0: never). */
  idleTimeoutMs: number;
  /** Connections open at once; more are refused until some close. */
  maxConnections: number;
  /**
   * Connections open at once from one address: one client (a flood of sign-ins, a misbehaving script) cannot
   * take every socket and keep the admin or Plex out. Plex delivers webhooks one at a time.
   */
  maxConnectionsPerAddress: number;
  /** How often the server looks for requests past their timeouts. */
  checkIntervalMs: number;
  /** On stop: how long requests in flight may take before their connections are closed. */
  closeGraceMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 5 * 60_000,
  maxConnections: 256,
  maxConnectionsPerAddress: 64,
  checkIntervalMs: 1_000,
  closeGraceMs: 5_000,
};

/** The options node:http takes at creation (the checking interval can only be set there). */
export function serverOptions(limits: ServerLimits): ServerOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
  };
}

/** The limits that are properties of a created server. */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
  server.timeout = limits.idleTimeoutMs;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.maxConnectionsPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
