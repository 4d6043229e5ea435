// `sagewire explain KEY|TITLE [--json]`: one item as the Explorer's item page shows it, section by section
// with the page's numbers (the same read model, the same formatting): where it sits, whether its rating
// counts as evidence, its rating in Plex, who owns it and what Sagewire would write, how that value is
// computed (with μ and ε), its twins, its albums or tracks, and its journal history. Reads the library cache
// and Sagewire's state only (the library as of the last sync); Plex is not asked.
import { parseArgs } from 'node:util';
import { openRatingReadModels } from '../app/read-models.js';
import type { Config } from '../config.js';
import type { Ownership } from '../domain/rating/index.js';
import type { ItemLink, ItemView } from '../web/read-models/explain.js';
import { fmt } from '../web/format.js';
import type { RatingModel } from '../web/read-models/ui-model.js';
import { userError } from './progress.js';

const OWNERSHIP: Record<Ownership, string> = {
  manual: 'rated by you; Sagewire never changes it',
  inferred: "Sagewire's inferred rating",
  unrated: 'unrated',
  opted_out: 'opted out: you cleared the rating Sagewire gave it',
};
const SHOWN_MATCHES = 20;
const SHOWN_HISTORY = 10;

export async function runExplain(args: string[], config: Config, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const wanted = positionals.join(' ').trim();
  if (!wanted) throw userError('explain: name an item: sagewire explain RATING_KEY (or its exact title)');
  const models = await openRatingReadModels(config);
  try {
    if (models.model.index.snapshot.tracks.length === 0) throw userError('explain: the library cache is empty; run sagewire sync first');
    const keys = models.model.current.has(wanted) || isKnownKey(models.model, wanted) ? [wanted] : keysTitled(models.model, wanted);
    if (keys.length === 0) throw userError(`explain: no artist, album or track has the rating key or title "${wanted}"`);
    if (keys.length > 1) {
      out.write(`explain: ${keys.length} items are titled "${wanted}"; name one by its rating key:\n`);
      for (const key of keys.slice(0, SHOWN_MATCHES)) {
        const view = models.explain(key);
        if (view) out.write(`  ${key}  ${describe(view)}\n`);
      }
      if (keys.length > SHOWN_MATCHES) out.write(`  … and ${keys.length - SHOWN_MATCHES} more\n`);
      return 2;
    }
    const view = models.explain(keys[0]);
    if (!view) throw userError(`explain: "${wanted}" is not in the library cache`);
    out.write(values.json ? `${JSON.stringify(view)}\n` : formatView(view));
    return 0;
  } finally {
    await models.close();
  }
}

function isKnownKey(model: RatingModel, key: string): boolean {
  const { index } = model;
  return index.artistPosition.has(key) || index.albumPosition.has(key) || index.trackPosition.has(key);
}

/** Items whose title is `title`, ignoring case: artists, then albums, then tracks. */
function keysTitled(model: RatingModel, title: string): string[] {
  const wanted = title.toLocaleLowerCase();
  const { artists, albums, tracks } = model.index.snapshot;
  return [...artists, ...albums, ...tracks].filter((item) => item.title.toLocaleLowerCase() === wanted).map((item) => item.key);
}

const named = (link: ItemLink): string => `${link.kind} "${link.title}" [${link.key}]`;
const owner = (ownership: Ownership): string => ownership.replace('_', ' ');

function describe(view: ItemView): string {
  const place = [view.album ? `on "${view.album.title}"` : '', view.artist ? `by "${view.artist.title}"` : ''].filter(Boolean).join(' ');
  return `${named(view.item)}${place ? ` ${place}` : ''}`;
}

function formatView(view: ItemView): string {
  const lines: string[] = [describe(view)];
  if (view.evidenceNote) lines.push(view.evidenceNote);
  const { item } = view;
  lines.push(
    `Rating in Plex: ${fmt.stars(item.rating)} · Owned by: ${owner(item.ownership)} (${OWNERSHIP[item.ownership]}) · ` +
      `Sagewire would write: ${view.target === null ? '—' : fmt.stars(view.target)}`,
  );
  if (view.explanation) {
    lines.push(`How the value is computed: ${view.explanation.line}`);
    for (const step of view.explanation.steps) lines.push(`  · ${step}`);
  }
  lines.push(
    `μ ${fmt.stars(view.mu)} (${fmt.points(view.mu)}) · ε ${fmt.points(view.epsilon, 3)}` +
      `${view.written !== null ? ` · Sagewire wrote ${fmt.stars(view.written)}` : ''} · Plex stores points (0–10); a star is 2 points.`,
  );
  if (view.twins.length > 0) {
    lines.push('Twins (the same recording elsewhere):');
    for (const twin of view.twins) lines.push(`  ${twin.title} [${twin.key}] · ${fmt.stars(twin.rating)} ${owner(twin.ownership)}`);
  }
  if (view.childCount > 0) {
    lines.push(`${item.kind === 'artist' ? 'Albums' : 'Tracks'} (${fmt.number(view.childCount)}): in Plex, owned by, the model's value`);
    for (const child of view.children.slice(0, SHOWN_MATCHES))
      lines.push(
        `  ${fmt.stars(child.rating).padEnd(5)} ${owner(child.ownership).padEnd(9)} ${fmt.stars(child.value).padEnd(5)} ${named(child)}`,
      );
    if (view.childCount > SHOWN_MATCHES) lines.push(`  … and ${view.childCount - SHOWN_MATCHES} more (--json lists up to 200)`);
  }
  if (view.history.length > 0) {
    lines.push('History (newest first):');
    for (const row of view.history.slice(0, SHOWN_HISTORY)) {
      const when = new Date(row.at).toISOString().replace('T', ' ').slice(0, 16);
      // Tag rows carry no rating: only the rating rows say what moved.
      const change = row.operation.startsWith('tag') ? '' : `  ${fmt.stars(row.before)} → ${fmt.stars(row.after)}`;
      const status = `${row.status}${row.undone ? ', undone' : ''}`;
      const note = row.note ? ` (${row.note})` : '';
      lines.push(`  ${when}  run ${row.runId} (${row.runKind})  ${row.operation.replace('_', ' ')}${note}${change}  ${status}`);
    }
  } else {
    lines.push('History: Sagewire has not written this item.');
  }
  return `${lines.join('\n')}\n`;
}
