// `sagewire explain` and `sagewire report` read the library cache and Sagewire's state only: after a sync and
// a full pass they show an item as the Explorer does (owner, the value Sagewire would write, how it is
// computed, the journal) and the Reports page's numbers; before any sync they say to run one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExplain } from '../../../src/cli/explain.js';
import { runInfer } from '../../../src/cli/infer.js';
import { runReport } from '../../../src/cli/report.js';
import { loadConfig, type Config } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

describe('sagewire explain and report', () => {
  let sim: RunningSimulator;
  let dir: string;
  let config: Config;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, tracks: 400, seed: 17 });
    dir = mkdtempSync(join(tmpdir(), 'sagewire-cli-explain-'));
    config = loadConfig({ DATA_DIR: dir, PLEX_URL: sim.url, PLEX_TOKEN: sim.token, LOG_LEVEL: 'silent' });
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says to sync first while the library cache is empty, and changes nothing', async () => {
    await expect(runExplain(['1'], config, collector().stream)).rejects.toThrow(/library cache is empty; run sagewire sync first/);
    await expect(runReport([], config, collector().stream)).rejects.toThrow(/library cache is empty; run sagewire sync first/);
    expect(sim.stats.ratingWrites).toBe(0);
  });

  it('explains a track Sagewire rated, with the formula and the run that wrote it', async () => {
    expect(await runInfer(['--json'], config, createLogger('silent'))).toBe(0);
    const written = sim.state.lists.track.map((t) => t.item).find((t) => t.userRating !== undefined && !Number.isInteger(t.userRating));
    expect(written, 'the full pass rated some tracks').toBeDefined();
    const out = collector();
    expect(await runExplain([written!.ratingKey], config, out.stream)).toBe(0);
    const text = out.text();
    expect(text).toContain(`track "${written!.title}" [${written!.ratingKey}]`);
    expect(text).toContain("Sagewire's inferred rating");
    expect(text).toMatch(/Sagewire would write: \d(\.\d+)?★/);
    expect(text).toMatch(/How: track \d(\.\d+)?★ = /);
    expect(text).toMatch(/run \d+ \(full\) {2}rate {2}unrated → \d(\.\d+)?★ {2}applied/);
    expect(text).toMatch(/run \d+ \(full\) {2}tag_add {2}applied/);

    const json = collector();
    expect(await runExplain([written!.ratingKey, '--json'], config, json.stream)).toBe(0);
    const view = JSON.parse(json.text()) as { item: { key: string; ownership: string }; history: unknown[] };
    expect(view.item).toMatchObject({ key: written!.ratingKey, ownership: 'inferred' });
    expect(view.history.length).toBeGreaterThan(0);
  });

  it('finds an item by its exact title, and says so when no item has that key or title', async () => {
    const titles = new Map<string, number>();
    for (const { item } of sim.state.lists.artist) titles.set(item.title.toLowerCase(), (titles.get(item.title.toLowerCase()) ?? 0) + 1);
    for (const { item } of [...sim.state.lists.album, ...sim.state.lists.track])
      titles.set(item.title.toLowerCase(), (titles.get(item.title.toLowerCase()) ?? 0) + 1);
    const artist = sim.state.lists.artist.map((a) => a.item).find((a) => titles.get(a.title.toLowerCase()) === 1);
    expect(artist, 'an artist with a title no other item has').toBeDefined();
    const out = collector();
    expect(await runExplain([artist!.title.toUpperCase()], config, out.stream)).toBe(0);
    expect(out.text()).toContain(`artist "${artist!.title}" [${artist!.ratingKey}]`);

    await expect(runExplain(['no such item anywhere'], config, collector().stream)).rejects.toThrow(
      /no artist, album or track has the rating key or title "no such item anywhere"/,
    );
  });

  it('reports coverage that adds up to the library, μ and the ranked lists', async () => {
    const json = collector();
    expect(await runReport(['--json'], config, json.stream)).toBe(0);
    const reports = JSON.parse(json.text()) as {
      coverage: Array<{ kind: string; total: number; counts: Record<string, number> }>;
      mu: number;
      model: { chosen: string; reason: string; candidates: unknown[] };
    };
    const tracks = reports.coverage.find((row) => row.kind === 'track')!;
    expect(tracks.total).toBe(sim.state.lists.track.length);
    expect(Object.values(tracks.counts).reduce((a, b) => a + b, 0)).toBe(tracks.total);
    expect(tracks.counts.inferred).toBeGreaterThan(0);
    expect(reports.mu).toBeGreaterThan(0);
    // The model of the full pass above (a small library: too few ratings to learn from, so classic).
    expect(reports.model.chosen).toBe('classic');
    expect(reports.model.reason).toMatch(/manual track ratings \(50 needed to learn from\)/);

    const text = collector();
    expect(await runReport([], config, text.stream)).toBe(0);
    expect(text.text()).toMatch(/tracks\s+400 {2}\d+% rated: \d+ by you, \d+ inferred, \d+ unrated/);
    expect(text.text()).toMatch(/Library mean μ: \d(\.\d+)?★/);
    expect(text.text()).toMatch(/Model in use: classic \(C = 3\) — only \d+ manual track ratings/);
    expect(text.text()).toContain('Best rated albums:');
  });
});
