// Verify and --fix, recover from each source, CSV export/import round trip and validation.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkImportCsv, exportRatingsCsv, importRatingsCsv } from '../../../src/engine/tools/csv-ratings.js';
import { runFullPass } from '../../../src/engine/pass/full-pass.js';
import { recoverState } from '../../../src/engine/tools/recover.js';
import { verifyState } from '../../../src/engine/tools/verify.js';
import { fakePlexFor, generateLibrary, seedCache, syncCacheFrom } from './support/library.js';
import { openTestEngine, type TestEngine } from './support/engine.js';

const engines: TestEngine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function setup(seed: number) {
  const lib = generateLibrary(seed, 300);
  const plex = fakePlexFor(lib, { roundRatings: true });
  const engine = await openTestEngine(plex);
  engines.push(engine);
  seedCache(engine.handle.sqlite, lib);
  return { lib, plex, engine };
}

const inferredKeys = (engine: TestEngine, kind = 'track') =>
  [...engine.deps.store.state.loadAll()].filter(([, c]) => c.kind === kind && c.writtenValue !== null).map(([k]) => k);

describe('verify', () => {
  it('reports each kind of drift and --fix resolves it', async () => {
    const { plex, engine } = await setup(51);
    await runFullPass(engine.deps);
    expect((await verifyState(engine.deps)).problems).toHaveLength(0);
    const [takenOver, cleared, deleted, untagged] = inferredKeys(engine);
    const manual = [...plex.items].find(([k, v]) => v.rating !== null && !engine.deps.store.state.get(k))![0];
    plex.userRate(takenOver, 3);
    plex.userRate(cleared, null);
    plex.items.delete(deleted);
    plex.items.get(untagged)!.moods = [];
    plex.items.get(manual)!.moods.push('Rating_Inferred');
    syncCacheFrom(engine.handle.sqlite, plex); // stray tags are found through the cache (the CLI syncs first)
    const report = await verifyState(engine.deps);
    const finding = (key: string) => report.problems.find((p) => p.key === key)?.finding;
    expect(finding(takenOver)).toBe('taken_over');
    expect(finding(cleared)).toBe('cleared');
    expect(finding(deleted)).toBe('deleted');
    expect(finding(untagged)).toBe('tag_missing');
    expect(finding(manual)).toBe('tag_stray');
    expect(report.counts.in_sync).toBe(report.checked - 5);

    const writes = plex.writeLog.length;
    const fixed = await verifyState(engine.deps, { fix: true });
    expect(fixed.fixRunId).not.toBeNull();
    expect(plex.writeLog.length).toBe(writes); // fixing writes no rating
    expect(engine.deps.store.state.get(takenOver)).toBeNull();
    expect(engine.deps.store.state.get(cleared)).toMatchObject({ optedOut: true });
    expect(engine.deps.store.state.get(deleted)).toBeNull();
    expect(plex.items.get(untagged)!.moods).toContain('Rating_Inferred');
    expect(plex.items.get(manual)!.moods).not.toContain('Rating_Inferred');
    expect(plex.items.get(takenOver)!.moods).not.toContain('Rating_Inferred');
    const after = await verifyState(engine.deps);
    expect(after.problems).toHaveLength(0);
  });

  it('reports inferred items whose target moved by ε or more', async () => {
    const { lib, plex, engine } = await setup(52);
    await runFullPass(engine.deps);
    const album = lib.items.find((i) => i.kind === 'album' && i.rating === null)!;
    for (const t of lib.items.filter((i) => i.kind === 'track' && i.albumKey === album.key)) {
      if (engine.deps.store.state.get(t.key)) {
        plex.userRate(t.key, 10);
        break;
      }
    }
    syncCacheFrom(engine.handle.sqlite, plex);
    const report = await verifyState(engine.deps);
    expect(report.counts.target_moved).toBeGreaterThan(0);
  });
});

describe('recover', () => {
  async function lostState(seed: number) {
    const ctx = await setup(seed);
    await runFullPass(ctx.engine.deps);
    const before = ctx.engine.deps.store.state.loadAll();
    ctx.engine.handle.sqlite.prepare('delete from rating_state').run();
    syncCacheFrom(ctx.engine.handle.sqlite, ctx.plex);
    return { ...ctx, before };
  }

  it('from tags: claims every tagged item whose value matches, never a manual one', async () => {
    const { plex, engine, before } = await lostState(61);
    const [changed] = inferredKeys({ deps: { store: { state: { loadAll: () => before } } } } as unknown as TestEngine);
    plex.userRate(changed, 8); // taken over while the state was lost; the tag still says inferred
    const manual = [...plex.items].filter(([k, v]) => v.rating !== null && !before.has(k)).map(([k]) => k);
    const report = await recoverState(engine.deps, { fromTags: true });
    const claimed = new Set(report.claimed.map((c) => c.key));
    expect(claimed.size).toBe(before.size - 1);
    expect(claimed.has(changed)).toBe(false);
    for (const key of manual) expect(claimed.has(key)).toBe(false);
    expect(report.skipped['value-differs'] + report.skipped['whole-point']).toBe(1);
    // A pass after recovery writes nothing.
    syncCacheFrom(engine.handle.sqlite, plex);
    const again = await runFullPass(engine.deps);
    expect(again.plan.writes.filter((w) => w.reason === 'new')).toHaveLength(0);
  });

  it('from fractional values: claims the non-whole ratings only', async () => {
    const { plex, engine, before } = await lostState(62);
    for (const item of plex.items.values()) item.moods = [];
    syncCacheFrom(engine.handle.sqlite, plex);
    const report = await recoverState(engine.deps, { fromFractional: true });
    expect(report.claimed.length).toBe(before.size);
    for (const c of report.claimed) expect(Number.isInteger(c.value)).toBe(false);
    // And it tagged them again.
    expect(report.tagsAdded).toBe(before.size);
  });

  it('from plex_state.json: takes an entry only where Plex holds that value within 0.05', async () => {
    const { plex, engine, before } = await lostState(63);
    const keys = [...before.keys()].slice(0, 10);
    const ratings: Record<string, { r: number; t: number }> = {};
    for (const [i, k] of keys.entries())
      ratings[k] = { r: i === 0 ? plex.items.get(k)!.rating! + 0.3 : plex.items.get(k)!.rating! + 0.01, t: 0 };
    ratings['999999'] = { r: 5.5, t: 0 };
    const file = join(engine.dir, 'plex_state.json');
    writeFileSync(file, JSON.stringify({ version: '1.4.0', library_uuid: null, ratings }));
    const report = await recoverState(engine.deps, { stateFile: file });
    expect(report.claimed.map((c) => c.key).sort()).toEqual(keys.slice(1).sort());
    expect(report.skipped['value-differs']).toBe(1);
    expect(report.skipped.unknown).toBe(1); // not in the library cache: skipped without asking Plex
    writeFileSync(file, '{"nope": 1}');
    await expect(recoverState(engine.deps, { stateFile: file })).rejects.toThrow(/not a plex_state.json/);
  });
});

describe('CSV', () => {
  it('export → import round trip applies nothing; edits apply as the person / as Sagewire', async () => {
    const { plex, engine } = await setup(71);
    await runFullPass(engine.deps);
    const csv = exportRatingsCsv(engine.deps, 'tracks');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('ratingKey,artist,album,title,year,rating,ownership');
    expect(lines.length - 1).toBe([...plex.items.values()].filter((i) => i.kind === 'track').length);
    const writes = plex.writeLog.length;
    const same = await importRatingsCsv(engine.deps, csv);
    expect(same.problems).toHaveLength(0);
    expect(same.written).toBe(0);
    expect(plex.writeLog.length).toBe(writes);

    const [inferred, other] = inferredKeys(engine);
    const manualKey = [...plex.items].find(([k, v]) => v.kind === 'track' && v.rating !== null && !engine.deps.store.state.get(k))![0];
    const edited = ['ratingKey,rating,ownership', `${inferred},4,manual`, `${other},,unrated`, `${manualKey},2.5,inferred`].join('\n');
    const result = await importRatingsCsv(engine.deps, edited);
    expect(result.written).toBe(2);
    expect(plex.items.get(inferred)!.rating).toBe(8); // the person's own whole point
    expect(engine.deps.store.state.get(inferred)).toBeNull();
    expect(plex.items.get(inferred)!.moods).not.toContain('Rating_Inferred');
    expect(plex.items.get(other)!.rating).toBeNull();
    expect(result.skipped.map((s) => s.ratingKey)).toEqual([manualKey]); // never over a manual rating
  });

  it('reports bad header, unknown keys and out-of-range values row by row and applies nothing', async () => {
    const { plex, engine } = await setup(72);
    expect(checkImportCsv(engine.deps, 'key,stars\n1,2\n').problems[0].message).toMatch(/bad header/);
    const [a] = [...plex.items].filter(([, v]) => v.kind === 'track').map(([k]) => k);
    const text = ['ratingKey,artist,rating,ownership', `${a},X,3,manual`, 'nope,X,3,manual', `${a},X,7,manual`, `${a},X,,maybe`].join('\n');
    const writes = plex.writeLog.length;
    const result = await importRatingsCsv(engine.deps, text);
    expect(result.applied).toBe(false);
    expect(result.problems.map((p) => p.line)).toEqual([3, 4, 5]);
    expect(result.problems[0].message).toMatch(/unknown ratingKey/);
    expect(plex.writeLog.length).toBe(writes);
    const valid = await importRatingsCsv(engine.deps, text, { applyValid: true });
    expect(valid.applied).toBe(true);
    expect(plex.items.get(a)!.rating).toBe(6);
  });
});
