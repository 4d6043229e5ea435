// `sagewire report [--json]`: the Reports page in a terminal — coverage by kind and owner, the library mean
// μ, the learned model (its candidates' cross-validated error and the choice), twin clusters, tracks far from
// their album, and the best and worst rated artists and albums. Reads the
// library cache and Sagewire's state only (the library as of the last sync); Plex is not asked.
import { parseArgs } from 'node:util';
import { openRatingReadModels } from '../app/read-models.js';
import type { Config } from '../config.js';
import type { ModelFit } from '../domain/rating/index.js';
import { stars } from '../web/read-models/explain-stars.js';
import { DISSENT, type RankedItem, type Reports } from '../web/read-models/reports.js';
import { userError } from './progress.js';

export async function runReport(args: string[], config: Config, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const models = await openRatingReadModels(config);
  try {
    if (models.model.index.snapshot.tracks.length === 0) throw userError('report: the library cache is empty; run sagewire sync first');
    const reports = await models.reports();
    const { fit } = models.model;
    out.write(values.json ? `${JSON.stringify({ ...reports, model: fit })}\n` : formatReports(reports, fit));
    return 0;
  } finally {
    await models.close();
  }
}

const share = (part: number, total: number): string => (total === 0 ? '0%' : `${Math.round((part / total) * 100)}%`);
const ranked = (item: RankedItem): string =>
  `  ${stars(item.rating).padEnd(7)} ${item.title}${item.context ? ` — ${item.context}` : ''} [${item.key}]`;

const CANDIDATE: Record<ModelFit['chosen'], string> = {
  classic: 'classic (C = 3)',
  estimated: 'estimated confidence',
  listening: 'estimated confidence + listening',
};

function formatModel(fit: ModelFit): string[] {
  const lines = [`Model in use: ${CANDIDATE[fit.chosen]} — ${fit.reason}`];
  for (const c of fit.candidates) {
    if (c.cvRmse === null) continue;
    const { cAlbum, cArtist, beta } = c.constants;
    lines.push(
      `  ${(c.name === fit.chosen ? '* ' : '  ') + CANDIDATE[c.name].padEnd(34)} expected error ${stars(c.cvRmse)}, ` +
        `C ${cAlbum.toFixed(2)} (albums) ${cArtist.toFixed(2)} (artists)${beta !== 0 ? `, plays β ${beta.toFixed(2)}` : ''}`,
    );
  }
  if (fit.folds > 0) lines.push(`  (${fit.folds}-fold cross-validation on ${fit.ratings} track ratings of yours)`);
  return lines;
}

function formatReports(r: Reports, fit: ModelFit): string {
  const lines: string[] = ['Coverage (items with a rating, and who gave it):'];
  for (const row of r.coverage) {
    const { manual, inferred, unrated, opted_out: optedOut } = row.counts;
    const parts = [`${manual} by you`, `${inferred} inferred`, `${unrated} unrated`, ...(optedOut > 0 ? [`${optedOut} opted out`] : [])];
    lines.push(
      `  ${`${row.kind}s`.padEnd(8)} ${String(row.total).padStart(8)}  ${share(manual + inferred, row.total)} rated: ${parts.join(', ')}`,
    );
  }
  lines.push(`Library mean μ: ${stars(r.mu)}`);
  lines.push(...formatModel(fit));
  lines.push(
    `Twins: ${r.twins.clusters} clusters of the same recording, ${r.twins.tracks} tracks, ` +
      `${r.twins.anchored} anchored by a rating of yours`,
  );
  lines.push(`Tracks you rated ${stars(DISSENT)} or more away from their album's value: ${r.dissenters.total}`);
  for (const d of r.dissenters.shown) {
    lines.push(`  ${stars(d.rating)} vs album ${stars(d.albumValue)}  ${d.title} — ${d.album} [${d.key}]`);
  }
  for (const [heading, list] of [
    ['Best rated artists', r.top.artists],
    ['Best rated albums', r.top.albums],
    ['Lowest rated artists', r.bottom.artists],
    ['Lowest rated albums', r.bottom.albums],
  ] as const) {
    if (list.length === 0) continue;
    lines.push(`${heading}:`);
    for (const item of list) lines.push(ranked(item));
  }
  return `${lines.join('\n')}\n`;
}
