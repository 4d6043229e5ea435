// Recovery hint benchmark: `npx tsx bench/recovery-hint.ts [--tracks 300000]` (or `npm run bench recovery-hint`).
//
// The Dashboard's check for a library an earlier install rated (web/read-models/recovery-hint.ts), on a
// library cache of N tracks in a temporary database: with an empty journal and no fractional rating (the whole
// table is read), with an empty journal and half the tracks fractional (the counts stop at their cap), and
// with a journal holding an applied write (the usual case: the journal is looked at, nothing else). Median of
// 21 runs each; the Dashboard also keeps the answer until a sync or a rating change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/db/connection.js';
import { recoveryHint } from '../src/web/read-models/recovery-hint.js';

const { values: args } = parseArgs({ args: process.argv.slice(2), options: { tracks: { type: 'string', default: '300000' } } });
const tracks = Number(args.tracks);
const dir = mkdtempSync(join(tmpdir(), 'sagewire-bench-recovery-hint-'));
const handle = await openDatabase(join(dir, 'bench.db'));
const { sqlite } = handle;
try {
  const insert = sqlite.prepare(
    "insert into tracks (rating_key, album_key, artist_key, title, album_title, artist_title, user_rating) values (?, 'a', 'r', 't', 'al', 'ar', ?)",
  );
  sqlite.transaction(() => {
    for (let i = 0; i < tracks; i++) insert.run(String(i), i % 10 === 0 ? 6 : null); // a tenth rated by hand, whole points
  })();

  const median = (label: string) => {
    const runs: number[] = [];
    let hint: ReturnType<typeof recoveryHint> = null;
    for (let i = 0; i < 21; i++) {
      const started = performance.now();
      hint = recoveryHint(sqlite, 'Rating_Inferred');
      runs.push(performance.now() - started);
    }
    runs.sort((a, b) => a - b);
    console.log(`${label}: ${runs[10].toFixed(2)} ms (hint: ${hint ? `${hint.fractional} fractional, ${hint.tagged} tagged` : 'none'})`);
  };

  console.log(`recovery hint over ${tracks.toLocaleString('en')} tracks`);
  median('empty journal, no fractional rating (the whole table read)');
  sqlite.prepare('update tracks set user_rating = 6.3 where rowid % 2 = 0').run();
  median('empty journal, half the tracks fractional (counts capped)');
  sqlite.prepare("insert into engine_runs (kind, status, started_at) values ('full', 'done', 0)").run();
  sqlite
    .prepare(
      "insert into write_journal (run_id, item_key, kind, operation, status, created_at) values (1, '1', 'track', 'rate', 'applied', 0)",
    )
    .run();
  median('a journal with an applied write (nothing else read)');
} finally {
  await handle.close();
  rmSync(dir, { recursive: true, force: true });
}
