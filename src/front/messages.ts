// What the front door's thread and the main thread say to each other (structured-cloned messages).
import type { PlexReachability } from '../web/health.js';
import type { ServerLimits } from './limits.js';
import type { ProxyTarget } from './proxy.js';

/** Everything the thread needs, handed over when it starts (workerData). */
export interface FrontData {
  host: string;
  port: number;
  /** The main thread's web app, on an internal address. */
  target: ProxyTarget;
  /** Per-process token that lets the main app believe the client address the front names. */
  token: string;
  version: string;
  logLevel: string;
  trustProxy: boolean;
  /**
   * The receiver; null where a test runs the front without one. While not `enabled` (WEBHOOKS=off), webhook
   * requests go to the main app, which has no such route (404).
   */
  webhooks: { enabled: boolean; dbPath: string; secret: string; accounts: number[]; busyWaitMs: number } | null;
  limits: ServerLimits;
  healthCacheMs: number;
  /** How long /api/health waits for the first Plex probe from the main thread. */
  probeWaitMs: number;
}

export type FromFront =
  | { type: 'listening'; port: number }
  | { type: 'listen-failed'; message: string; code?: string }
  /** An event was committed to the spool (pending or ignored): move it into the inbox, wake the worker. */
  | { type: 'accepted'; id: number }
  /** One JSON log line of the thread's logger, logged again by the main thread's logger. */
  | { type: 'log'; line: string }
  | { type: 'probe' }
  | { type: 'stopped' };

export type ToFront =
  | { type: 'probe-result'; value: PlexReachability }
  /** WEBHOOKS changed on the Settings page: the receiver answers (or stops answering) from now on. */
  | { type: 'webhooks'; enabled: boolean }
  | { type: 'stop' };
