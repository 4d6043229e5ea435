// Inbox size after a stream of ratings: `npx tsx bench/inbox-size.ts [--ratings N] [--tracks N] [--concurrency N]`
// (or `npm run bench inbox-size -- --ratings 7000`). A person rates N items (the simulator's control API,
// which sends a real multipart media.rate webhook to the running receiver); the worker applies them
// and Sagewire's writes come back as echoes, as they do from a real Plex. Reports the webhook_events
// rows by kind, the payload bytes still stored (and per stored payload), the pages the inbox tables take
// (dbstat: allocated and in use, in all and per row), the free pages and the database file, and one stored
// payload read back; then the same after the payload retention (INBOX_RETENTION_DAYS, default 30) and the
// row retention (3×, 90 days) have passed. Goal: inbox bytes < 5 MB after 7,000 ratings with echoes.
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { InboxRetention, inboxRetentionPolicy } from '../src/db/inbox-retention-repo.js';
import { inboxCounts } from '../src/webhooks/inbox.js';
import { readStoredPayload } from '../src/webhooks/stored-payload.js';
import { control, spawnSim, startSagewire } from './live-support/harness.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    ratings: { type: 'string', default: '7000' },
    tracks: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '8' },
  },
});
const ratings = Number(args.ratings);
const concurrency = Number(args.concurrency);
const DAY = 86_400_000;
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const sim = await spawnSim(Number(args.tracks));
const bench = await startSagewire(sim);
try {
  const { sqlite, db } = bench.app.database;
  const tracks = sqlite.prepare('select rating_key from tracks order by rating_key').pluck().all() as string[];
  const albums = sqlite.prepare('select rating_key from albums order by rating_key').pluck().all() as string[];
  const quiet = async () => {
    for (let calm = 0; calm < 3; ) {
      await control(sim, '/__sim/webhooks/flush');
      const busy = sqlite.prepare("select count(*) from webhook_events where status in ('pending', 'processing')").pluck().get() as number;
      calm = busy === 0 && !bench.app.live!.status().engine!.fullPassDue ? calm + 1 : 0;
      await sleep(50);
    }
  };

  // A person's ratings: whole points, mostly tracks, one in ten an album; deterministic.
  const started = performance.now();
  let next = 0;
  const rateOne = async () => {
    for (let i = next++; i < ratings; i = next++) {
      const key = i % 10 === 9 ? albums[(i * 7919) % albums.length] : tracks[(i * 104_729) % tracks.length];
      await control(sim, `/__sim/user-rate?key=${key}&rating=${(i % 10) + 1}`);
      if (i > 0 && i % 1000 === 0) process.stderr.write(`bench: ${i} ratings sent\n`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, rateOne));
  await quiet();
  const seconds = (performance.now() - started) / 1000;

  const hasDbstat = (() => {
    try {
      sqlite.prepare('select 1 from dbstat limit 1').get();
      return true;
    } catch {
      return false;
    }
  })();
  const measure = () => {
    const rows = sqlite
      .prepare(
        `select count(*) as rows, sum(outcome like '%"echo":true%') as echoes, sum(status = 'ignored') as ignored, ` +
          `sum(payload != '') as withPayload,
        coalesce(sum(length(payload)), 0) as payloadBytes from webhook_events`,
      )
      .get() as { rows: number; echoes: number; ignored: number; withPayload: number; payloadBytes: number };
    const pages = hasDbstat
      ? (sqlite
          .prepare(`select coalesce(sum(pgsize), 0) as allocated, coalesce(sum(pgsize - unused), 0) as used from dbstat
            where name in ('webhook_events', 'webhook_events_status', 'webhook_events_received', 'webhook_event_totals')
               or name like 'sqlite_autoindex_webhook_event_totals%'`)
          .get() as { allocated: number; used: number })
      : null;
    const file = statSync(bench.app.config.dbPath).size;
    let wal = 0;
    try {
      wal = statSync(`${bench.app.config.dbPath}-wal`).size;
    } catch {
      // no WAL file
    }
    const freePages =
      (sqlite.pragma('freelist_count', { simple: true }) as number) * (sqlite.pragma('page_size', { simple: true }) as number);
    return {
      rows: rows.rows,
      echoes: rows.echoes ?? 0,
      ignored: rows.ignored ?? 0,
      rowsWithPayload: rows.withPayload ?? 0,
      payloadMB: +(rows.payloadBytes / MB).toFixed(2),
      payloadBytesPerStoredPayload: rows.withPayload ? Math.round(rows.payloadBytes / rows.withPayload) : 0,
      inboxTablesMB: pages ? +(pages.allocated / MB).toFixed(2) : null,
      inboxTablesUsedMB: pages ? +(pages.used / MB).toFixed(2) : null,
      inboxBytesPerRow:
        pages && rows.rows ? { allocated: Math.round(pages.allocated / rows.rows), used: Math.round(pages.used / rows.rows) } : null,
      databaseFileMB: +((file + wal) / MB).toFixed(2),
      freelistMB: +(freePages / MB).toFixed(2),
    };
  };

  const afterRatings = measure();
  // What a person's event keeps: the newest applied event's stored payload, read back.
  const newestApplied = sqlite
    .prepare(`select payload from webhook_events where status = 'done' and payload != '' and event = 'media.rate' order by id desc limit 1`)
    .pluck()
    .get() as Buffer | string | undefined;
  const storedSample = newestApplied === undefined ? null : readStoredPayload(newestApplied);
  const counts = await inboxCounts(db);
  // The retention the worker applies in its idle time, run here with the clock moved on.
  const policy = inboxRetentionPolicy(bench.app.config.inboxRetentionDays);
  const prune = async (at: number) => {
    const retention = new InboxRetention(db, policy);
    for (let step = await retention.step(at); step.more; step = await retention.step(at)) await sleep(0);
  };
  await prune(Date.now() + (policy.payloadDays + 1) * DAY);
  const afterPayloadRetention = measure();
  await prune(Date.now() + (policy.rowDays + 1) * DAY);
  const afterRowRetention = measure();
  const countsAfter = await inboxCounts(db);

  const result = {
    ratings,
    tracks: tracks.length,
    seconds: +seconds.toFixed(1),
    dbstat: hasDbstat,
    afterRatings,
    [`after ${policy.payloadDays + 1} days (payloads of processed events dropped)`]: afterPayloadRetention,
    [`after ${policy.rowDays + 1} days (processed rows deleted)`]: afterRowRetention,
    storedSample,
    countsKept:
      JSON.stringify([counts.done, counts.ignored, counts.dead]) ===
      JSON.stringify([countsAfter.done, countsAfter.ignored, countsAfter.dead]),
    inbox: { done: counts.done, ignored: counts.ignored, dead: counts.dead },
    goal: { inboxMB: '< 5 (payload bytes and inbox tables, after the ratings)' },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await bench.close();
  sim.child.kill();
}
