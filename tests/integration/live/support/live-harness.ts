// A real `serve` (buildApp + listen on port 0) wired to the Plex simulator, which sends real multipart
// webhooks to it. Tracks the person's ratings (the simulator's initial manual ratings plus every rating the
// test makes) so the outcome can be checked against a full pass computed from scratch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type BuildOptions, type Sagewire } from '../../../../src/app.js';
import { loadConfig } from '../../../../src/config.js';
import { createLogger } from '../../../../src/log.js';
import { waitUntil } from '../../../support/wait.js';
import { OWNER_ACCOUNT_ID, startSimulator, type RunningSimulator, type SimOptions } from '../../../../src/sim/index.js';

export const SECRET = 'live-test-secret-0123456789';
export const API_TOKEN = 'live-test-api-token-0123456789';

export interface LiveHarness {
  sim: RunningSimulator;
  app: Sagewire;
  url: string;
  dir: string;
  /** The person's ratings (manual), by key, as Plex stores them. */
  person: Map<string, number>;
  /** Items whose inferred rating the person cleared. */
  optedOut: Set<string>;
  webhookUrl: string;
  /** A person rates in a Plex client (null clears); the harness keeps `person`/`optedOut` in step. */
  rate(key: string, rating: number | null, options?: { notify?: boolean; account?: number }): Promise<void>;
  /** Waits until deliveries are done, the inbox is drained and no full pass is due. */
  quiet(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  tracks?: number;
  seed?: number;
  sim?: SimOptions;
  env?: Record<string, string>;
  live?: BuildOptions['live'];
  /** Run the first full pass before registering the webhook (default true). */
  fullPass?: boolean;
  dir?: string;
}

export async function simControl(sim: RunningSimulator, path: string, method = 'POST'): Promise<Record<string, unknown>> {
  const res = await fetch(`${sim.url}${path}`, { method, headers: { 'X-Plex-Token': sim.token, Accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

export function ownerRatings(sim: RunningSimulator): Map<string, number> {
  const person = new Map<string, number>();
  for (const list of [sim.state.artists, sim.state.albums, sim.state.tracks]) {
    for (const item of list) if (item.userRating !== undefined) person.set(item.ratingKey, item.userRating);
  }
  return person;
}

export async function startLive(options: HarnessOptions = {}): Promise<LiveHarness> {
  const sim = await startSimulator({ port: 0, tracks: options.tracks ?? 600, seed: options.seed ?? 3, log: () => {}, ...options.sim });
  const person = ownerRatings(sim);
  const optedOut = new Set<string>();
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'sagewire-live-'));
  const config = loadConfig({
    PLEX_URL: sim.url,
    PLEX_TOKEN: sim.token,
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_SECRET: SECRET,
    API_TOKEN,
    ADMIN_PASSWORD: 'live-test-password',
    LOG_LEVEL: 'silent',
    RECONCILE_MINUTES: '60',
    ...options.env,
  });
  const app = await buildApp(config, createLogger(config.logLevel), {
    live: {
      worker: { backoffBaseMs: 50, backoffMaxMs: 400, idlePollMs: 100 },
      catchUpIntervalMs: 3_600_000,
      plexRetries: { retryBaseMs: 5 },
      bootRetryMs: 200,
      ...options.live,
    },
  });
  const url = await app.listen();
  await app.live!.ready;
  // The catch-up poll made at start is over before the test acts (one made now is the same look again).
  await app.live!.poller!.pollNow().catch(() => undefined);
  if (options.fullPass !== false) {
    const echo = sim.config.echoWebhooks;
    sim.config.echoWebhooks = false; // the first pass writes the whole library; its echoes would only slow the test
    await app.live!.requestFullPass();
    sim.config.echoWebhooks = echo;
  }
  const webhookUrl = `${url}/webhooks/plex/${SECRET}`;
  if (config.webhooks === 'on') sim.webhooks.add(webhookUrl);

  const harness: LiveHarness = {
    sim,
    app,
    url,
    dir,
    person,
    optedOut,
    webhookUrl,
    async rate(key, rating, opts = {}) {
      const account = opts.account ?? OWNER_ACCOUNT_ID;
      const before = sim.state.getRating(key);
      const query =
        `key=${key}&rating=${rating ?? -1}${opts.notify === false ? '&notify=0' : ''}` +
        `${account !== OWNER_ACCOUNT_ID ? `&account=${account}` : ''}`;
      await simControl(sim, `/__sim/user-rate?${query}`);
      if (account !== OWNER_ACCOUNT_ID) return;
      if (rating === null) {
        if (person.has(key)) person.delete(key);
        else if (before !== undefined) optedOut.add(key);
      } else {
        person.set(key, Math.round(rating * 10) / 10);
        optedOut.delete(key);
      }
    },
    async quiet(timeoutMs = 60_000) {
      // One synchronous look at the whole loop (the simulator runs in this process): every webhook the
      // simulator queued has been answered (the receiver commits to its spool before answering), the spool
      // is moved into the inbox, no event waits or is being applied (its writes, and the echoes they
      // queue, happen while it is `processing`), and no full pass is due.
      const waiting = () =>
        app.database.sqlite
          .prepare(
            'select id, event, item_key, status, attempts, next_attempt_at, last_error from webhook_events ' +
              "where status in ('pending', 'processing') order by id limit 20",
          )
          .all();
      await waitUntil(
        () => {
          const { webhooks } = sim.stats;
          if (webhooks.delivered + webhooks.failed < webhooks.queued) return false;
          app.moveReceived();
          return waiting().length === 0 && !app.live?.status().engine?.fullPassDue;
        },
        'quiet',
        timeoutMs,
      ).catch((err: Error) => {
        const state = { webhooks: sim.stats.webhooks, inbox: waiting(), live: app.live?.status() };
        throw new Error(`${err.message}: ${JSON.stringify(state)}`);
      });
    },
    async close() {
      await app.close();
      await sim.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Sends a hand-made multipart webhook (what another server or a movie library would send). */
export async function postWebhook(url: string, payload: unknown, extra?: Record<string, Blob | string>): Promise<Response> {
  const form = new FormData();
  form.set('payload', typeof payload === 'string' ? payload : JSON.stringify(payload));
  for (const [name, value] of Object.entries(extra ?? {})) form.set(name, value);
  return fetch(url, { method: 'POST', body: form });
}
