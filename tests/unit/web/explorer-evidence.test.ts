// The explorer on excluded tracks: a track the exclusion rules leave out (short, or "Outro" in its title) is
// said to be excluded, and, where every track of its album rated by hand is excluded, that its album counts
// it anyway (the all-excluded fallback); the album's explanation says the same. Table-driven over the domain's
// explanation, then the item page as rendered.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { describe, expect, it } from 'vitest';
import {
  buildLibraryIndex,
  classicConstants,
  computeAll,
  explainItem,
  modelTerms,
  ratingParamsFromOverrides,
  type AlbumExplanation,
  type TrackExplanation,
} from '../../../src/domain/rating/index.js';
import { fmt } from '../../../src/web/format.js';
import { itemView } from '../../../src/web/read-models/explain.js';
import type { RatingModel } from '../../../src/web/read-models/ui-model.js';
import { LibraryBuilder, owned } from '../rating/support/library-builder.js';

const lib = new LibraryBuilder()
  .artist('r1', 'Artist One')
  // Every rated track excluded: they all count.
  .album('fallback', 'r1', { title: 'Interludes' })
  .track('f-intro', 'fallback', { title: 'Intro' })
  .track('f-outro', 'fallback', { title: 'Outro' })
  .track('f-song', 'fallback', { title: 'A Song' })
  // A rated song too: the outro does not count.
  .album('mixed', 'r1', { title: 'Mixed' })
  .track('m-outro', 'mixed', { title: 'Outro' })
  .track('m-song', 'mixed', { title: 'Another Song' })
  // Short tracks only.
  .album('short', 'r1', { title: 'Sketches' })
  .track('s-short', 'short', { title: 'Sketch', durationMs: 42_000 })
  // An excluded track nobody rated, next to a rated song.
  .album('unrated', 'r1', { title: 'Unrated Outro' })
  .track('u-outro', 'unrated', { title: 'Outro (Reprise)' })
  .track('u-song', 'unrated', { title: 'Third Song' })
  // Excluded from inference as a whole: no evidence at all.
  .album('skipped', 'r1', { title: 'Never Played' })
  .track('x-outro', 'skipped', { title: 'Outro' });
const ownership = owned({ 'f-intro': 8, 'f-outro': 6, 'm-outro': 4, 'm-song': 8, 's-short': 7, 'u-song': 6, 'x-outro': 9 });
const params = ratingParamsFromOverrides({ 'exclude.albums': 'Never Played' });
const index = buildLibraryIndex(lib.snapshot, params);
const values = computeAll(index, ownership, params);
const explain = (key: string) => explainItem(index, ownership, params, key, values)!;

describe('exclusion and the all-excluded fallback in explanations', () => {
  it.each([
    ['f-intro', 'the word "intro" in its title', true],
    ['f-outro', 'the word "outro" in its title', true],
    ['f-song', null, false],
    ['m-outro', 'the word "outro" in its title', false],
    ['m-song', null, true],
    ['s-short', 'shorter than 80 s', true],
    ['u-outro', 'the word "outro" in its title', false],
    ['u-song', null, true],
    ['x-outro', 'the word "outro" in its title', false],
  ] as const)('track %s: excluded because %s, counts %s', (key, excludedBecause, counts) => {
    expect((explain(key) as TrackExplanation).evidence).toEqual({ excludedBecause, counts });
  });

  it.each([
    ['fallback', true, [8, 6]],
    ['mixed', false, [8]],
    ['short', true, [7]],
    ['unrated', false, [6]],
    ['skipped', false, []],
  ] as const)('album %s: fallback %s, evidence %j', (key, fallback, evidence) => {
    const album = explain(key) as AlbumExplanation;
    expect(album.allExcludedFallback).toBe(fallback);
    expect(album.evidence).toEqual(evidence);
    expect(album.line.includes('(the all-excluded fallback)')).toBe(fallback);
  });
});

const model: RatingModel = {
  index,
  params,
  current: new Map(ownership.manual),
  claims: new Map(),
  ownership,
  values,
  fit: undefined as unknown as RatingModel['fit'],
  terms: modelTerms(index, classicConstants(3)),
  epsilon: 0.02,
  builtAt: 0,
  buildMs: 0,
  ownershipOf: (key) => (ownership.manual.has(key) ? 'manual' : 'unrated'),
};
// No journal: the item's history is empty.
const noJournal = { prepare: () => ({ all: () => [] }) } as unknown as Parameters<typeof itemView>[1];

// The item page alone, in a bare layout: the frame around it is the layout's business.
const views = new Eta({ views: fileURLToPath(new URL('../../../src/views/', import.meta.url)), autoEscape: true });
views.readFile = (path: string) =>
  path.endsWith('/layout.eta') ? '<div id="bare-layout"><%~ it.body %></div>' : readFileSync(path, 'utf8');
const page = (key: string) => {
  const view = itemView(model, noJournal, key)!;
  return { view, html: views.render('pages/item', { fmt, csrfToken: 't', page: { view, now: 0 } }) };
};
const note = (html: string) => /<p class="small" data-evidence-note>([^<]+)<\/p>/.exec(html)?.[1] ?? null;

describe('the explorer item page', () => {
  it.each([
    [
      'f-outro',
      /^Excluded from its album&#39;s evidence \(the word &quot;outro&quot; in its title\), but counted: every track of its album rated by hand is excluded, so all of them count/,
    ],
    ['s-short', /^Excluded from its album&#39;s evidence \(shorter than 80 s\), but counted: /],
    [
      'm-outro',
      /^Excluded from its album&#39;s evidence \(the word &quot;outro&quot; in its title\): its rating does not count toward the album/,
    ],
    ['u-outro', /^Excluded from its album&#39;s evidence \(the word &quot;outro&quot; in its title\): rated, it would count only while/],
    ['m-song', null],
    ['x-outro', null], // its album is excluded from inference as a whole: the explanation says so
  ] as const)('track %s: %s', (key, expected) => {
    const { html } = page(key);
    expect(html.startsWith('<div id="bare-layout">')).toBe(true);
    if (expected === null) expect(note(html)).toBeNull();
    else expect(note(html)).toMatch(expected);
  });

  it('the album counting its excluded tracks says why, in the steps of its explanation', () => {
    const { view, html } = page('fallback');
    expect(view.evidenceNote).toBeNull();
    const step = view.explanation!.steps.find((s) => s.includes('all-excluded fallback'));
    expect(step).toMatch(/^Every track of this album rated by hand is excluded from evidence .*so all of them count/);
    expect(html).toContain('(the all-excluded fallback).</li>');
    expect(page('mixed').view.explanation!.steps.join(' ')).not.toContain('all-excluded fallback');
  });
});
