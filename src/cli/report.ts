// `sagewire report [--kind track|album|artist] [--json]`: the Reports page in a terminal, section by section
// with the page's numbers (the same read model, the same formatting): the learned model (how well each
// candidate predicts your ratings, what the one in use learned), coverage by kind and owner, the rating
// histogram of one kind (tracks unless --kind says otherwise, as on the page), the twins inventory with its
// largest clusters, tracks far from their album, and the best and worst rated artists and albums. Reads the
// library cache and Sagewire's state only (the library as of the last sync); Plex is not asked.
import { parseArgs } from 'node:util';
import { openRatingReadModels } from '../app/read-models.js';
import type { Config } from '../config.js';
import type { ItemKind, ModelFit } from '../domain/rating/index.js';
import { fmt } from '../web/format.js';
import { BINS, DISSENT, type RankedItem, type Reports } from '../web/read-models/reports.js';
import { fitView } from '../web/services/model-settings.js';
import { userError } from './progress.js';

const KINDS: readonly ItemKind[] = ['track', 'album', 'artist'];

export async function runReport(args: string[], config: Config, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, kind: { type: 'string', default: 'track' } } });
  const kind = values.kind as ItemKind;
  if (!KINDS.includes(kind)) throw userError(`report: --kind must be track, album or artist, not "${values.kind}"`);
  const models = await openRatingReadModels(config);
  try {
    if (models.model.index.snapshot.tracks.length === 0) throw userError('report: the library cache is empty; run sagewire sync first');
    const reports = await models.reports();
    const { fit } = models.model;
    out.write(values.json ? `${JSON.stringify({ ...reports, model: fit })}\n` : formatReports(reports, fit, kind));
    return 0;
  } finally {
    await models.close();
  }
}

const share = (part: number, total: number): string => (total === 0 ? '0%' : `${Math.round((part / total) * 100)}%`);
const ownerWords = (ownership: string): string => ownership.replace('_', ' ');
const ranked = (item: RankedItem): string =>
  `  ${fmt.stars(item.rating).padEnd(6)} ${item.title}${item.context ? ` — ${item.context}` : ''} [${item.key}] (${ownerWords(item.ownership)})`;

/** The page's model card (partials/model-fit.eta over fitView). */
function formatModel(fit: ModelFit): string[] {
  const v = fitView(fit);
  const lines = ['How well the model predicts your ratings', `  In use: ${v.chosenLabel}. ${v.reason}`];
  if (v.classicOnly) lines.push('  Sagewire uses the classic model, as the rating spec defines it, without comparing it with others.');
  if (v.candidates.some((c) => c.error !== null)) {
    lines.push(`  ${'Model'.padEnd(40)} ${'Expected error'.padStart(14)} ${'Bias'.padStart(7)}`);
    for (const c of v.candidates) {
      const name = `${c.chosen ? '* ' : '  '}${c.label} (${c.detail})`;
      lines.push(`  ${name.padEnd(40)} ${(c.error ?? '—').padStart(14)} ${(c.bias ?? '—').padStart(7)}`);
    }
    lines.push(
      `  Expected error: how far off Sagewire would be, typically, on a track rating you have not given yet ` +
        `(one in ${v.folds} of your ${fmt.number(v.ratings)} track ratings hidden at a time; lower is better). ` +
        'Bias: the average gap with its sign.',
    );
  }
  lines.push('  What the model in use learned:');
  for (const value of v.values) lines.push(`    ${value.label}: ${value.value} — ${value.meaning}`);
  if (v.unused) lines.push(`  ${v.unused}`);
  lines.push(
    `  From ${fmt.number(v.ratings)} track rating${v.ratings === 1 ? '' : 's'} of yours${v.folds > 0 ? `, checked in ${v.folds} rounds` : ''}.`,
  );
  return lines;
}

function formatReports(r: Reports, fit: ModelFit, kind: ItemKind): string {
  const lines: string[] = [`Reports · μ ${fmt.stars(r.mu)}`, ...formatModel(fit)];

  lines.push('Coverage');
  lines.push(
    `  ${'kind'.padEnd(8)} ${'manual'.padStart(8)} ${'inferred'.padStart(8)} ${'unrated'.padStart(8)} ${'opted out'.padStart(9)} ${'total'.padStart(8)}`,
  );
  for (const row of r.coverage) {
    const c = row.counts;
    lines.push(
      `  ${`${row.kind}s`.padEnd(8)} ${fmt.number(c.manual).padStart(8)} ${fmt.number(c.inferred).padStart(8)} ` +
        `${fmt.number(c.unrated).padStart(8)} ${fmt.number(c.opted_out).padStart(9)} ${fmt.number(row.total).padStart(8)}  ` +
        `${share(c.manual + c.inferred, row.total)} rated`,
    );
  }

  const hist = r.histograms[kind];
  lines.push(`Rating histogram: ${kind}s (--kind track, album or artist)`);
  lines.push(`  ${'stars'.padEnd(11)} ${'manual'.padStart(8)} ${'inferred'.padStart(8)}`);
  for (let i = 0; i < BINS; i++) {
    const range = `${((i * 10) / BINS / 2).toFixed(2)}–${(((i + 1) * 10) / BINS / 2).toFixed(2)}`;
    lines.push(`  ${range.padEnd(11)} ${String(hist.manual[i]).padStart(8)} ${String(hist.inferred[i]).padStart(8)}`);
  }

  lines.push('Twins inventory');
  lines.push(
    `  Clusters: ${fmt.number(r.twins.clusters)} · Tracks in clusters: ${fmt.number(r.twins.tracks)} · ` +
      `Anchored by a rating of yours: ${fmt.number(r.twins.anchored)}`,
  );
  if (r.twins.largest.length > 0) {
    lines.push('  The largest clusters:');
    for (const c of r.twins.largest)
      lines.push(
        `    ${c.members[0].title} × ${c.size}${c.anchored ? ' (anchored)' : ''}: ${c.members.map((m) => `${m.album} [${m.key}]`).join(', ')}`,
      );
  }

  lines.push(`Dissenters: ${fmt.number(r.dissenters.total)} tracks you rated ${DISSENT / 2}★ or more away from their album's value`);
  if (r.dissenters.shown.length === 0) lines.push('  None: your track ratings agree with their albums.');
  for (const d of r.dissenters.shown) {
    lines.push(
      `  ${d.title} [${d.key}] — ${d.album} [${d.albumKey}]: yours ${fmt.stars(d.rating)}, album ${fmt.stars(d.albumValue)}, ` +
        `${(d.distance / 2).toFixed(2)}★ apart`,
    );
  }

  lines.push("Top and bottom (by your rating, else the model's value; only items with ratings of yours behind them)");
  for (const [heading, list] of [
    ['Top artists', r.top.artists],
    ['Bottom artists', r.bottom.artists],
    ['Top albums', r.top.albums],
    ['Bottom albums', r.bottom.albums],
  ] as const) {
    lines.push(`${heading}:`);
    if (list.length === 0) lines.push('  Nothing rated yet.');
    for (const item of list) lines.push(ranked(item));
  }
  return `${lines.join('\n')}\n`;
}
