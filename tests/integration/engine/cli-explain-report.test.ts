// `sagewire explain` and `sagewire report` read the library cache and Sagewire's state only: after a sync and
// a full pass they show an item as the Explorer does (owner, the value Sagewire would write, how it is
// computed, the journal) and the Reports page's numbers; before any sync they say to run one. Each prints
// what its page shows: the pages are rendered from the same read models and their numbers compared.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRatingReadModels } from '../../../src/app/read-models.js';
import { runExplain } from '../../../src/cli/explain.js';
import { runInfer } from '../../../src/cli/infer.js';
import { runReport } from '../../../src/cli/report.js';
import { loadConfig, type Config } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { fmt } from '../../../src/web/format.js';
import { BINS, DISSENT } from '../../../src/web/read-models/reports.js';
import { fitView } from '../../../src/web/services/model-settings.js';

// A page alone, in a bare layout (the frame around it is the layout's business), and its text.
const views = new Eta({ views: fileURLToPath(new URL('../../../src/views/', import.meta.url)), autoEscape: true });
views.readFile = (path: string) => (path.endsWith('/layout.eta') ? '<%~ it.body %>' : readFileSync(path, 'utf8'));
const htmlText = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const all = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((m) => htmlText(m[1]).trim());
const one = (html: string, pattern: RegExp) => {
  const found = all(html, pattern);
  expect(found, String(pattern)).toHaveLength(1);
  return found[0];
};

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
    expect(text).toMatch(/How the value is computed: track \d(\.\d+)?★ = /);
    expect(text).toMatch(/run \d+ \(full\) {2}rate( \([^)]*\))? {2}— → \d(\.\d+)?★ {2}applied/);
    expect(text).toMatch(/run \d+ \(full\) {2}tag add( \([^)]*\))? {2}applied/);

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
    expect(text.text()).toMatch(/ {2}tracks +\d+ +\d+ +\d+ +\d+ +400 {2}\d+% rated/);
    expect(text.text()).toMatch(/^Reports · μ \d(\.\d+)?★$/m);
    expect(text.text()).toMatch(/In use: Classic \(C = 3\)\. Only \d+ manual track ratings/);
    expect(text.text()).toContain('Top albums:');
    await expect(runReport(['--kind', 'song'], config, collector().stream)).rejects.toThrow(/--kind must be track, album or artist/);
  });

  it('explain prints what the item page shows, with the same numbers', async () => {
    const models = await openRatingReadModels(config);
    try {
      const album = sim.state.lists.album.map((a) => a.item).find((a) => models.explain(a.ratingKey)!.childCount > 3)!;
      const track = models.explain(album.ratingKey)!.children[0];
      for (const key of [album.ratingKey, track.key]) {
        const view = models.explain(key)!;
        const html = views.render('pages/item', { fmt, csrfToken: 't', page: { view, now: Date.now() } });
        const out = collector();
        expect(await runExplain([key], config, out.stream)).toBe(0);
        const text = out.text();
        const rating = one(html, /data-stat="rating">([^<]*)</g);
        const ownership = one(html, /data-stat="ownership">([^<]*)</g);
        const target = one(html, /data-stat="target">([^<]*)</g);
        expect(text).toContain(`Rating in Plex: ${rating} · Owned by: ${ownership} (`);
        expect(text).toContain(`Sagewire would write: ${target}\n`);
        expect(text).toContain(`How the value is computed: ${one(html, /data-explain>([^<]*)</g)}\n`);
        for (const step of all(html, /<li>([^<]*)<\/li>/g)) expect(text).toContain(`  · ${step}\n`);
        expect(text).toContain(`${one(html, /<p class="small muted">(μ [^<]*)<\/p>/g)}\n`);
        // Each album or track row: in Plex, owned by, the model's value.
        const rows = [
          ...html.matchAll(
            /<tr><td><a href="\/explorer\/item\/([^"]+)">[^<]*<\/a><\/td><td class="num">([^<]*)<\/td><td><span class="badge [^"]*">([^<]*)<\/span><\/td><td class="num">([^<]*)<\/td><\/tr>/g,
          ),
        ];
        expect(rows.length).toBe(Math.min(view.childCount, 200));
        for (const [, childKey, inPlex, owner, model] of rows.slice(0, 20))
          expect(text).toMatch(new RegExp(`^  ${inPlex} +${owner} +${model} +\\w+ ".*" \\[${childKey}\\]$`, 'm'));
        // The history: as many rows, the same operations and values.
        const history = [
          ...html.matchAll(
            /<td>(rate|tag add|claim|clear)[^<]*(?:<span[^>]*>[^<]*<\/span>)?<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td>/g,
          ),
        ];
        expect(history.length).toBe(view.history.length);
        for (const [, operation, before, after] of history)
          expect(text).toMatch(
            new RegExp(
              `run \\d+ \\(\\w+\\) {2}${operation}( \\([^)]*\\))?${operation === 'tag add' ? '' : ` {2}${before} → ${after}`} {2}applied`,
            ),
          );
      }
    } finally {
      await models.close();
    }
  });

  it('report prints what the Reports page shows, with the same numbers', async () => {
    const models = await openRatingReadModels(config);
    const reports = await models.reports();
    const fit = fitView(models.model.fit);
    await models.close();
    for (const kind of ['track', 'album'] as const) {
      const html = views.render('pages/reports', {
        fmt,
        csrfToken: 't',
        page: { reports, fit, at: Date.now(), now: Date.now(), stale: false, self: '/reports', kind, bins: BINS, dissent: DISSENT },
      });
      const out = collector();
      expect(await runReport(kind === 'track' ? [] : ['--kind', kind], config, out.stream)).toBe(0);
      const text = out.text();
      expect(text).toContain(`Reports · μ ${one(html, /departs from it\. μ ([^<]*?)\.<\/p>/g)}\n`);
      expect(text).toContain(`In use: ${fit.chosenLabel}. ${fit.reason}`);
      // Coverage: every count of every kind.
      for (const row of html.matchAll(/<tr data-kind="(\w+)">([\s\S]*?)<\/tr>/g)) {
        const cells = all(row[2], /<td class="num"[^>]*>([^<]*)<\/td>/g);
        expect(cells).toHaveLength(5);
        expect(text).toMatch(new RegExp(`^  ${row[1]}s +${cells.join(' +')} `, 'm'));
      }
      // The histogram of the kind shown: every bin.
      const bins = [...html.matchAll(/<tr><td>([\d.]+–[\d.]+)<\/td><td class="num">(\d+)<\/td><td class="num">(\d+)<\/td><\/tr>/g)];
      expect(bins).toHaveLength(BINS);
      expect(text).toContain(`Rating histogram: ${kind}s`);
      for (const [, range, manual, inferred] of bins) expect(text).toMatch(new RegExp(`^  ${range} +${manual} +${inferred}$`, 'm'));
      // Twins, dissenters, the ranked lists.
      expect(text).toContain(
        `Clusters: ${one(html, /data-stat="twin-clusters">([^<]*)</g)} · Tracks in clusters: ${one(html, /data-stat="twin-tracks">([^<]*)</g)}`,
      );
      for (const title of all(html, /<li><strong>([^<]*)<\/strong> ×/g)) expect(text).toContain(`    ${title} ×`);
      expect(text).toContain(`Dissenters: ${one(html, /<h2 id="dissent-title">Dissenters <span class="badge">([^<]*)</g)} tracks`);
      const ranked = [
        ...html.matchAll(
          /<li><a href="\/explorer\/item\/([^"]+)">[^<]*<\/a>(?: <span class="muted small">[^<]*<\/span>)? <span class="result-rating">([^<]*) </g,
        ),
      ];
      expect(ranked.length).toBeGreaterThan(0);
      for (const [, key, rating] of ranked) expect(text).toMatch(new RegExp(`^  ${rating} +.*\\[${key}\\]`, 'm'));
    }
  });
});
