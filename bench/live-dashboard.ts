// Webhook accepted → live dashboard updated: `npm run bench live-dashboard [-- --tracks N] [--ratings N] [--inbox-rows N]`.
// A person rates (the simulator's control API sends a real multipart media.rate webhook) while a signed-in
// client holds GET /dashboard/events open through the front door. Measured per rating, from the receiver
// accepting the webhook (the inbox row's received_at) to the row being in the inbox (the receiver's spool
// moved in: the part before the dashboard), to the stream's first `feed` event holding the row, and to the
// first one showing it applied (also from the engine's processed_at: the dashboard's own share). Also the
// cost of one read of the dashboard stamp and of one feed render, with the inbox padded to --inbox-rows rows.
// Goal: the row within 1 s (p95), the applied row within 1 s of the engine applying it.
import { parseArgs } from 'node:util';
import { dashboardStamp, readDashboardStamp } from '../src/db/dashboard-stamp.js';
import { control, percentile, spawnSim, startSagewire } from './live-support/harness.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    tracks: { type: 'string', default: '2000' },
    ratings: { type: 'string', default: '50' },
    'inbox-rows': { type: 'string', default: '50000' },
  },
});

interface Pushed {
  name: string;
  data: string;
  at: number;
}

/** Signs in as a browser would and returns the session cookie. */
async function signIn(url: string): Promise<string> {
  const page = await fetch(`${url}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]);
  const res = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ _csrf: csrf, password: 'bench-password', next: '/' }),
  });
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** Reads the event stream in the background; `waitFor` resolves with the first event (from `from` on) that matches. */
async function subscribe(url: string, cookie: string) {
  const abort = new AbortController();
  const res = await fetch(`${url}/dashboard/events`, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
  if (res.status !== 200 || !res.body) throw new Error(`dashboard/events answered ${res.status}`);
  const events: Pushed[] = [];
  let ended = false;
  let wake = () => {};
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    let name = '';
    let data: string[] = [];
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 1);
          if (line === '' && data.length > 0) {
            events.push({ name, data: data.join('\n'), at: Date.now() });
            data = [];
          } else if (line.startsWith('event: ')) name = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        wake();
      }
    } catch {
      // closed at the end
    }
    ended = true;
    wake();
  })();
  return {
    get count() {
      return events.length;
    },
    async waitFor(match: (e: Pushed) => boolean, from: number): Promise<Pushed> {
      for (;;) {
        const found = events.slice(from).find(match);
        if (found) return found;
        if (ended) throw new Error('the dashboard stream ended before the awaited event');
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
    close: () => abort.abort(),
  };
}

const sim = await spawnSim(Number(args.tracks));
const bench = await startSagewire(sim);
try {
  const { sqlite, db } = bench.app.database;
  const stampCost = async (read: () => Promise<string>) => {
    const started = performance.now();
    for (let i = 0; i < 200; i++) await read();
    return +((performance.now() - started) / 200).toFixed(3);
  };
  const gated = dashboardStamp(db);
  const stampMsEmpty = await stampCost(() => readDashboardStamp(db));
  // An inbox as a busy month leaves it (retention keeps 30 days): processed rows without their payload.
  const pad = sqlite.prepare(
    "insert into webhook_events (received_at, event, status, item_type, payload, attempts, processed_at, outcome) values (?, 'media.rate', 'done', 'track', '', 1, ?, '{\"echo\":true}')",
  );
  const padRows = Number(args['inbox-rows']);
  sqlite.transaction(() => {
    for (let i = 0; i < padRows; i++) pad.run(Date.now() - 86_400_000, Date.now() - 86_400_000);
  })();
  const stampMsPadded = await stampCost(() => readDashboardStamp(db));
  const tickMsIdle = await stampCost(gated);

  const cookie = await signIn(bench.url);
  // What one render of the feed costs (the same read as a push of the `feed` part), with the padded inbox.
  const renderStarted = performance.now();
  for (let i = 0; i < 20; i++) await (await fetch(`${bench.url}/dashboard/activity`, { headers: { cookie } })).text();
  const feedRenderMs = +((performance.now() - renderStarted) / 20).toFixed(1);
  const stream = await subscribe(bench.url, cookie);
  await stream.waitFor((e) => e.name === 'feed', 0);
  const quiet = async () => {
    for (;;) {
      await control(sim, '/__sim/webhooks/flush');
      bench.app.moveReceived();
      const busy = sqlite.prepare("select count(*) from webhook_events where status in ('pending', 'processing')").pluck().get() as number;
      if (busy === 0 && !bench.app.live!.status().engine!.fullPassDue) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const candidates = sqlite
    .prepare(`select t.rating_key from tracks t join rating_state s on s.item_key = t.rating_key
      where s.written_value is not null group by t.album_key order by t.album_key`)
    .all() as Array<{ rating_key: string }>;
  const count = Math.min(Number(args.ratings), candidates.length);
  const toInbox: number[] = [];
  const toRow: number[] = [];
  const toApplied: number[] = [];
  const appliedToShown: number[] = [];
  for (let i = 0; i < count; i++) {
    await quiet();
    const key = candidates[Math.floor((i * candidates.length) / count)].rating_key;
    // Near μ, so the engine applies one event and does not start a full pass; never the value the track
    // holds, which Plex would send like an echo of Sagewire's own write (and the feed folds echoes).
    const near = Math.round((bench.app.live!.status().engine as { mu: number }).mu);
    const held = sqlite.prepare('select user_rating from tracks where rating_key = ?').pluck().get(key) as number | null;
    const rating = held !== null && Math.round(held) === near ? (near < 10 ? near + 1 : near - 1) : near;
    const from = stream.count;
    const last = sqlite.prepare('select coalesce(max(id), 0) from webhook_events').pluck().get() as number;
    await control(sim, `/__sim/user-rate?key=${key}&rating=${rating}`);
    let row: { id: number; received_at: number } | undefined;
    while (!row) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      row = sqlite
        .prepare("select id, received_at from webhook_events where id > ? and item_key = ? and event = 'media.rate'")
        .get(last, key) as typeof row;
    }
    toInbox.push(Date.now() - row.received_at);
    const id = row.id;
    const shown = await stream.waitFor((e) => e.name === 'feed' && e.data.includes(`data-event="${id}"`), from);
    const applied = await stream.waitFor(
      (e) => e.name === 'feed' && /badge-(done|ignored)/.test(new RegExp(`<tr data-event="${id}">[\\s\\S]*?</tr>`).exec(e.data)?.[0] ?? ''),
      from,
    );
    const processedAt = sqlite.prepare('select processed_at from webhook_events where id = ?').pluck().get(id) as number;
    toRow.push(shown.at - row.received_at);
    toApplied.push(applied.at - row.received_at);
    appliedToShown.push(applied.at - processedAt);
  }
  stream.close();
  const summary = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) });
  const result = {
    tracks: Number(args.tracks),
    ratings: count,
    acceptedToInboxMs: summary(toInbox),
    acceptedToRowMs: summary(toRow),
    acceptedToAppliedRowMs: summary(toApplied),
    appliedToShownMs: summary(appliedToShown),
    stampReadMs: { emptyInbox: stampMsEmpty, [`inbox${padRows}Rows`]: stampMsPadded, idleTickThroughCommitCounter: tickMsIdle },
    feedRenderMs,
    goals: { acceptedToRowP95Ms: '< 1000', appliedToShownP95Ms: '< 1000' },
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await bench.close();
  sim.child.kill();
}
