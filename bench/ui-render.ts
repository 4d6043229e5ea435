// Admin UI render benchmark: `npx tsx bench/ui-render.ts [--tracks 300000] [--runs 15]`.
//
// A simulated library in a CHILD process (bench/live-support), a real `serve` in this process synced from it
// with a first full pass written (bulk), then a dry run so the plan pages have data. Then, signed in like a
// browser, every page is fetched `--runs` times after a warm-up and the server time is reported per page
// (median and max of the whole request on loopback: routing, session, data, template), with its size.
// Goal: every page ≤ 100 ms at 300,000 tracks. Also times the explorer's typo search alone (in-process).
import { parseArgs } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type Sagewire } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { control, spawnSim } from './live-support/harness.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    tracks: { type: 'string', default: '300000' },
    runs: { type: 'string', default: '15' },
    json: { type: 'boolean', default: false },
  },
});
const TRACKS = Number(args.tracks);
const RUNS = Math.max(3, Number(args.runs));
const GOAL_MS = 100;
const log = (line: string) => process.stderr.write(`${line}\n`);

/** A browser-like client: keeps cookies, reads the CSRF token of the page's meta tag. */
class Session {
  private readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; text: string; bytes: number }> {
    const h: Record<string, string> = { accept: 'text/html', ...headers };
    if (this.cookies.size > 0) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (form) {
      body = new URLSearchParams(form).toString();
      h['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.base + path, { method, headers: h, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const buf = Buffer.from(await res.arrayBuffer());
    return { status: res.status, text: buf.toString('utf8'), bytes: buf.length };
  }

  async signIn(password: string): Promise<string> {
    const login = await this.request('GET', '/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(login.text)![1];
    const res = await this.request('POST', '/login', { _csrf: token, password, next: '/' });
    if (res.status !== 302) throw new Error(`sign-in failed: ${res.status}`);
    return /<meta name="csrf-token" content="([^"]+)"/.exec((await this.request('GET', '/settings')).text)![1];
  }
}

/** Waits until the Ratings page's background job has finished; throws unless it ended done. */
async function jobDone(session: Session, what: string): Promise<void> {
  for (;;) {
    const panel = (await session.request('GET', '/ratings/job')).text;
    const state = /data-job-state="(\w+)"/.exec(panel)?.[1];
    if (state && state !== 'running') {
      if (state !== 'done') throw new Error(`${what} ended ${state}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const started = performance.now();
log(`ui-render: simulator with ${TRACKS.toLocaleString('en-US')} tracks in a child process…`);
const sim = await spawnSim(TRACKS);
let app: Sagewire | null = null;
let cleanup = () => {};
try {
  // Sagewire on a fresh data folder (sync at start), then a dry run (so the plan pages show a whole library's
  // plan), then the first full pass, written in bulk (so history, journal and ownership are real).
  log('ui-render: serve + sync…');
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-ui-bench-'));
  cleanup = () => rmSync(dir, { recursive: true, force: true });
  const config = loadConfig({
    PLEX_URL: sim.url,
    PLEX_TOKEN: sim.token,
    DATA_DIR: dir,
    PORT: '0',
    HOST: '127.0.0.1',
    WEBHOOK_SECRET: 'bench-webhook-secret-0123456789',
    ADMIN_PASSWORD: 'bench-password',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    RECONCILE_MINUTES: '600',
  });
  app = await buildApp(config, createLogger(config.logLevel), { live: { worker: { idlePollMs: 200 } } });
  const url = await app.listen();
  await app.live!.ready;
  const sqlite = app.database.sqlite;
  const session = new Session(url);
  const csrf = await session.signIn('bench-password');

  log('ui-render: dry run (the plan pages need it)…');
  let t0 = performance.now();
  const dry = await session.request('POST', '/ratings/dry-run', { _csrf: csrf });
  if (dry.status !== 302) throw new Error(`dry run refused: ${dry.status} ${dry.text.slice(0, 200)}`);
  await jobDone(session, 'dry run');
  log(`ui-render: dry run done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  log('ui-render: first full pass (write, bulk)…');
  t0 = performance.now();
  await control(sim, '/__sim/config?echoWebhooks=0');
  const pass = await app.live!.requestFullPass();
  log(`ui-render: full pass wrote ${pass.outcome?.written ?? 0} ratings in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Items worth rendering: the album with the most tracks, the artist with the most albums, a rated track.
  const album = sqlite.prepare('select album_key as key, count(*) as n from tracks group by album_key order by n desc limit 1').get() as {
    key: string;
    n: number;
  };
  const artist = sqlite
    .prepare('select artist_key as key, count(*) as n from albums group by artist_key order by n desc limit 1')
    .get() as { key: string; n: number };
  const track = sqlite
    .prepare('select rating_key as key, title from tracks where user_rating is not null order by rating_key limit 1')
    .get() as { key: string; title: string };
  const word = (sqlite.prepare('select title from albums where length(title) >= 9 order by rating_key limit 1').pluck().get() as string)
    .split(/[^\p{L}]+/u)
    .sort((a, b) => b.length - a.length)[0];
  const typo = word.slice(0, 2) + word[3] + word[2] + word.slice(4);

  const pages: Array<[string, string]> = [
    ['dashboard', '/'],
    ['dashboard activity (htmx poll)', '/dashboard/activity'],
    ['ratings', '/ratings'],
    ['plan table', '/ratings/plan'],
    ['plan sorted by change', '/ratings/plan?sort=change&dir=desc'],
    ['plan filtered (text)', `/ratings/plan?q=${encodeURIComponent(word.slice(0, 4).toLowerCase())}`],
    ['tools', '/ratings/tools'],
    ['attention', '/ratings/attention'],
    ['explorer (empty)', '/explorer'],
    [`explorer search "${typo}"`, `/explorer?q=${encodeURIComponent(typo)}`],
    [`item: album (${album.n} tracks)`, `/explorer/item/${encodeURIComponent(album.key)}`],
    [`item: artist (${artist.n} albums)`, `/explorer/item/${encodeURIComponent(artist.key)}`],
    ['item: track', `/explorer/item/${encodeURIComponent(track.key)}`],
    ['reports (tracks)', '/reports'],
    ['reports (albums)', '/reports?kind=album'],
    ['reports (artists)', '/reports?kind=artist'],
    ['settings', '/settings'],
    ['setup', '/setup'],
  ];

  // Warm-up: the first views after the pass (the reports are computed again; the search index was built at start).
  const warm = performance.now();
  await session.request('GET', '/reports');
  const modelMs = performance.now() - warm;
  const warmSearch = performance.now();
  await session.request('GET', `/explorer?q=${encodeURIComponent(typo)}`);
  const indexMs = performance.now() - warmSearch;
  log(`ui-render: first view after the pass: reports ${modelMs.toFixed(0)} ms, search ${indexMs.toFixed(0)} ms`);

  // Background work the pass started (the reports' recomputation) finishes before pages are timed.
  while ((await session.request('GET', '/reports')).text.includes('data-reports-stale')) await new Promise((r) => setTimeout(r, 50));

  const rows: Array<{ page: string; path: string; status: number; medianMs: number; maxMs: number; bytes: number }> = [];
  for (const [name, path] of pages) {
    const first = await session.request('GET', path);
    if (first.status !== 200) throw new Error(`${path}: ${first.status} ${first.text.slice(0, 200)}`);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await session.request('GET', path);
      times.push(performance.now() - t);
    }
    rows.push({ page: name, path, status: first.status, medianMs: median(times), maxMs: Math.max(...times), bytes: first.bytes });
  }

  // The typo search as the page uses it while typing: the htmx fragment of the results (index cached).
  const queries = [typo, word.slice(0, 3).toLowerCase(), `${typo} ${track.title.split(' ')[0]}`, 'midnigth rivr', 'the'];
  const searchRows: Array<{ query: string; medianMs: number; maxMs: number; hits: number }> = [];
  for (const q of queries) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const res = await session.request('GET', `/explorer?q=${encodeURIComponent(q)}`, undefined, {
        'HX-Request': 'true',
        'HX-Target': 'search-results',
      });
      times.push(performance.now() - t);
      hits = (res.text.match(/<li>/g) ?? []).length;
    }
    searchRows.push({ query: q, medianMs: median(times), maxMs: Math.max(...times), hits });
  }

  // Right after a person rates (a real webhook, applied by the live engine): the first view of each page,
  // which is when anything derived from the model is computed again (the reports), then cached.
  await control(sim, `/__sim/webhooks?url=${encodeURIComponent(`${url}/webhooks/plex/bench-webhook-secret-0123456789`)}`);
  const afterRating: Array<{ page: string; firstMs: number; thenMs: number; freshMs: number }> = [];
  for (let round = 0; round < 3; round++) {
    const target = sqlite
      .prepare("select item_key from rating_state where kind = 'track' and written_value is not null order by item_key limit 1 offset ?")
      .pluck()
      .get(round * 97) as string;
    const eventsBefore = sqlite.prepare('select count(*) from webhook_events').pluck().get() as number;
    await control(sim, `/__sim/user-rate?key=${target}&rating=${2 + round * 3}`);
    for (let waited = 0; ; waited += 20) {
      const arrived = (sqlite.prepare('select count(*) from webhook_events').pluck().get() as number) > eventsBefore;
      const busy = sqlite.prepare("select count(*) from webhook_events where status in ('pending', 'processing')").pluck().get() as number;
      if (arrived && busy === 0) break;
      if (waited > 30_000) throw new Error('the rating event was not applied within 30 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    const albumKey = sqlite.prepare('select album_key from tracks where rating_key = ?').pluck().get(target) as string;
    for (const [name, path] of [
      ['dashboard', '/'],
      ['reports (tracks)', '/reports'],
      ['item: its album', `/explorer/item/${encodeURIComponent(albumKey)}`],
      ['explorer search', `/explorer?q=${encodeURIComponent(typo)}`],
    ] as const) {
      let t = performance.now();
      let page = await session.request('GET', path);
      const firstMs = performance.now() - t;
      // The reports answer at once with the previous numbers while the new ones are computed: until when?
      while (page.text.includes('data-reports-stale')) {
        await new Promise((r) => setTimeout(r, 20));
        page = await session.request('GET', path);
      }
      const freshMs = performance.now() - t;
      t = performance.now();
      await session.request('GET', path);
      afterRating.push({ page: name, firstMs, thenMs: performance.now() - t, freshMs });
    }
  }

  // Undo of the last rating's run from the Ratings page: the live model catches up with that run (item by
  // item from the journal) on the first view after it.
  const eventRun = sqlite.prepare("select id from engine_runs where kind = 'event' order by id desc limit 1").pluck().get() as number;
  const undo = await session.request('POST', `/ratings/runs/${eventRun}/undo`, { _csrf: csrf });
  if (undo.status !== 302) throw new Error(`undo refused: ${undo.status} ${undo.text.slice(0, 200)}`);
  await jobDone(session, 'undo');
  const afterUndo: Array<{ page: string; ms: number }> = [];
  for (const [name, path] of [
    ['dashboard', '/'],
    ['explorer search', `/explorer?q=${encodeURIComponent(typo)}`],
    ['reports (tracks)', '/reports'],
  ] as const) {
    const t = performance.now();
    await session.request('GET', path);
    afterUndo.push({ page: name, ms: performance.now() - t });
  }

  const counts = {
    tracks: sqlite.prepare('select count(*) from tracks').pluck().get() as number,
    albums: sqlite.prepare('select count(*) from albums').pluck().get() as number,
    artists: sqlite.prepare('select count(*) from artists').pluck().get() as number,
    written: sqlite.prepare("select count(*) from write_journal where status = 'applied'").pluck().get() as number,
  };
  const pad = (s: string, n: number) => s.padEnd(n);
  const out: string[] = [];
  out.push(
    `\nui-render @ ${counts.tracks.toLocaleString('en-US')} tracks, ${counts.albums.toLocaleString('en-US')} albums, ` +
      `${counts.artists.toLocaleString('en-US')} artists; ` +
      `${counts.written.toLocaleString('en-US')} journal entries applied by the first pass; ${RUNS} runs per page after a warm-up`,
  );
  out.push(`${pad('page', 40)} ${'median ms'.padStart(10)} ${'max ms'.padStart(8)} ${'bytes'.padStart(10)}`);
  for (const r of rows)
    out.push(
      `${pad(r.page, 40)} ${r.medianMs.toFixed(1).padStart(10)} ${r.maxMs.toFixed(1).padStart(8)} ` +
        `${r.bytes.toLocaleString('en-US').padStart(10)}${r.medianMs > GOAL_MS ? '  ✗ over goal' : ''}`,
    );
  const slowest = rows.reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  const slowestMax = rows.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
  const heaviest = rows.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  out.push(
    `slowest page (median): ${slowest.page} ${slowest.medianMs.toFixed(1)} ms (goal ≤ ${GOAL_MS} ms) — ` +
      `worst single request: ${slowestMax.page} ${slowestMax.maxMs.toFixed(1)} ms`,
  );
  out.push(`heaviest page: ${heaviest.page} ${heaviest.bytes.toLocaleString('en-US')} bytes (${(heaviest.bytes / 1024).toFixed(1)} KiB)`);
  out.push(`explorer typo search (htmx fragment, whole request):`);
  for (const s of searchRows) out.push(`  "${s.query}": median ${s.medianMs.toFixed(1)} ms, max ${s.maxMs.toFixed(1)} ms, ${s.hits} hits`);
  out.push(
    `first view after the full pass: reports ${modelMs.toFixed(0)} ms, explorer search ${indexMs.toFixed(0)} ms ` +
      `(the index is built in the background at start)`,
  );
  out.push('right after a person rates a track (webhook applied by the live engine), first view → next view, 3 ratings:');
  for (const name of [...new Set(afterRating.map((r) => r.page))]) {
    const rows = afterRating.filter((r) => r.page === name);
    const fresh = name.startsWith('reports') ? ` (new numbers after ${rows.map((r) => r.freshMs.toFixed(0)).join(' / ')} ms)` : '';
    out.push(
      `  ${pad(name, 20)} first ${rows.map((r) => r.firstMs.toFixed(0)).join(' / ')} ms → ` +
        `then ${rows.map((r) => r.thenMs.toFixed(0)).join(' / ')} ms${fresh}`,
    );
  }
  out.push(
    `right after an undo of that run from the Ratings page (the model catches up from the journal): ` +
      `${afterUndo.map((r) => `${r.page} ${r.ms.toFixed(0)} ms`).join(', ')}`,
  );
  out.push(`total bench time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (args.json) process.stdout.write(`${JSON.stringify({ counts, rows, searchRows, modelMs, indexMs, afterRating })}\n`);
  const over = rows.filter((r) => r.medianMs > GOAL_MS);
  process.exitCode = over.length > 0 ? 1 : 0;
} finally {
  await app?.close();
  cleanup();
  sim.child.kill();
}
