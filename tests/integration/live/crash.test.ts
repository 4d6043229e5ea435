// `sagewire serve` as a real child process, killed with SIGKILL in the middle of a burst of ratings. After a
// restart (the journal reconciled, interrupted events revived, missed deliveries found by catch-up) the state
// is correct and complete: what a full pass over the person's final ratings writes.
import SQLite from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli, type CliProcess } from '../../support/spawn-cli.js';
import { waitUntil } from '../../support/wait.js';
import { API_TOKEN, SECRET, startLive, type LiveHarness } from './support/live-harness.js';
import { disagreements, overwrittenManualRatings, subtreeKeys } from './support/full-pass-check.js';

describe('crash safety', () => {
  let h: LiveHarness | null = null;
  let child: CliProcess | null = null;
  afterAll(async () => {
    child?.child.kill('SIGKILL');
    await h?.sim.close();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  async function startServe(env: Record<string, string>): Promise<{ cli: CliProcess; url: string }> {
    const cli = spawnCli(['serve'], env);
    const listening = await cli.waitForLog('serve: listening', 30_000);
    await cli.waitForLog('engine: live propagation running', 30_000);
    return { cli, url: String(listening.url) };
  }

  it('SIGKILL in the middle of a burst: after a restart the state is correct and complete', async () => {
    // Prepared in-process: the cache, the first full pass; then the same data folder is served by a child.
    h = await startLive({ tracks: 600, seed: 21, dir: `${process.env.TMPDIR ?? '/tmp'}/sagewire-crash-${process.pid}` });
    await h.app.close();
    h.sim.webhooks.remove(h.webhookUrl);
    h.sim.config.latencyMs = 3; // widen the window in which the kill lands between journal and send
    const env = {
      DATA_DIR: h.dir,
      PORT: '0',
      HOST: '127.0.0.1',
      PLEX_URL: h.sim.url,
      PLEX_TOKEN: h.sim.token,
      WEBHOOK_SECRET: SECRET,
      API_TOKEN,
      ADMIN_PASSWORD: 'live-test-password',
      LOG_LEVEL: 'info',
      RECONCILE_MINUTES: '60',
    };
    let serve = await startServe(env);
    child = serve.cli;
    let hook = `${serve.url}/webhooks/plex/${SECRET}`;
    h.sim.webhooks.add(hook);

    const artists = h.sim.state.artists.filter((a) => !/various artists/i.test(a.title)).slice(0, 8);
    const keys = artists.flatMap((a) =>
      h!.sim.state
        .tracksOfArtist(a.ratingKey)
        .filter((t) => !h!.person.has(t.ratingKey))
        .slice(0, 8)
        .map((t) => t.ratingKey),
    );
    let killedAt = -1;
    for (const [i, key] of keys.entries()) {
      await h.rate(key, (i % 9) + 1);
      if (i === Math.floor(keys.length / 3)) {
        // Killed while the worker is in its writes: once a run of an event has journaled a write.
        await waitUntil(() => {
          const db = new SQLite(join(h!.dir, 'sagewire.db'), { readonly: true });
          try {
            return db
              .prepare("select count(*) from write_journal j join engine_runs r on r.id = j.run_id where r.kind = 'event'")
              .pluck()
              .get() as number;
          } finally {
            db.close();
          }
        }, 'the worker to start writing');
        child.child.kill('SIGKILL');
        await child.exited;
        killedAt = i;
        h.sim.webhooks.remove(hook); // later ratings are missed deliveries
      }
    }
    expect(killedAt).toBeGreaterThan(0);

    serve = await startServe(env);
    child = serve.cli;
    hook = `${serve.url}/webhooks/plex/${SECRET}`;
    h.sim.webhooks.add(hook);
    const db = new SQLite(join(h.dir, 'sagewire.db'), { readonly: true });
    try {
      // The child applies what the simulator delivers and what its catch-up poll at start found. Quiet is
      // one look, made twice around the child's status: nothing the simulator queued is unanswered, the
      // spool is moved, no event waits, no full pass is due and the first poll is done; and the simulator
      // queued no webhook (nothing was written, for writes happen while an event is `processing`) since.
      const spool = new SQLite(`${join(h.dir, 'sagewire.db')}-spool`, { readonly: true });
      try {
        const look = () => {
          const { queued, delivered, failed } = h!.sim.stats.webhooks;
          const spooled = spool.prepare('select count(*) from spooled_events').pluck().get() as number;
          const busy = db.prepare("select count(*) from webhook_events where status in ('pending', 'processing')").pluck().get() as number;
          return delivered + failed === queued && spooled === 0 && busy === 0 ? queued : null;
        };
        await waitUntil(
          async () => {
            const before = look();
            if (before === null) return false;
            const status = (await (
              await fetch(`${serve.url}/api/status`, { headers: { Authorization: `Bearer ${API_TOKEN}` } })
            ).json()) as any;
            const settled = status.live?.engine?.fullPassDue === false && status.live?.catchUp?.lastPollAt !== null;
            return settled && look() === before;
          },
          `the restarted serve to be quiet: ${child.stderr().slice(-2000)}`,
          60_000,
        );
      } finally {
        spool.close();
      }
      const strict = new Set<string>();
      for (const a of artists) for (const k of subtreeKeys(h.sim, a.ratingKey)) strict.add(k);
      expect(disagreements(h.sim, h.person, h.optedOut, { db, strict, slack: 0.1 }).slice(0, 5)).toEqual([]);
      expect(db.prepare("select count(*) from write_journal where status = 'pending'").pluck().get()).toBe(0);
      expect(db.prepare("select count(*) from webhook_events where status = 'dead'").pluck().get()).toBe(0);
      expect(overwrittenManualRatings(db)).toBe(0);
    } finally {
      db.close();
    }
    child.child.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
  }, 240_000);
});
