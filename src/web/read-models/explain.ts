// One item as the explorer shows it: what it is and where it sits (artist → album → track), its rating and
// who owns it, what Sagewire would write, how that value is computed (in stars), and its journal history.
// Reads the cached model (ui-model.ts), so explaining any item of a 300,000-track library is a lookup and
// one recomputation of its artist group, not a pass.
import type SQLite from 'better-sqlite3';
import { itemJournalHistory } from '../../db/journal-reads.js';
import { explainItem, type ItemKind, type Ownership, type TrackEvidence } from '../../domain/rating/index.js';
import { ALL_EXCLUDED_FALLBACK, explainInStars, type StarExplanation } from './explain-stars.js';
import type { RatingModel } from './ui-model.js';

export interface ItemLink {
  kind: ItemKind;
  key: string;
  title: string;
  rating: number | null;
  ownership: Ownership;
  /** The model's value for an item Sagewire may rate, in points. */
  value: number | null;
}

export interface HistoryRow {
  id: number;
  runId: number;
  runKind: string;
  operation: string;
  before: number | null;
  after: number | null;
  status: string;
  note: string | null;
  at: number;
  undone: boolean;
}

export interface ItemView {
  item: ItemLink;
  artist: ItemLink | null;
  album: ItemLink | null;
  /** Albums of an artist, tracks of an album (at most 200). */
  children: ItemLink[];
  childCount: number;
  /** What Sagewire would write now (on the grid), or null. */
  target: number | null;
  /** The value Sagewire's state says it wrote. */
  written: number | null;
  mu: number;
  epsilon: number;
  explanation: StarExplanation | null;
  /** A track the exclusion rules leave out of its album's evidence (short, or a keyword in its title). */
  excluded: boolean;
  /** For such a track: why, and whether its album counts it anyway (the all-excluded fallback); else null. */
  evidenceNote: string | null;
  twins: ItemLink[];
  history: HistoryRow[];
}

const CHILDREN_SHOWN = 200;

export function itemView(model: RatingModel, sqlite: SQLite.Database, key: string): ItemView | null {
  const { index } = model;
  const { artists, albums, tracks } = index.snapshot;
  const link = (kind: ItemKind, itemKey: string, title: string): ItemLink => ({
    kind,
    key: itemKey,
    title,
    rating: model.current.get(itemKey) ?? null,
    ownership: model.ownershipOf(itemKey),
    value: valueIn(model, kind, itemKey),
  });
  const artistLink = (artistKey: string) => {
    const at = index.artistPosition.get(artistKey);
    return at === undefined ? null : link('artist', artistKey, artists[at].title);
  };
  let item: ItemLink;
  let artist: ItemLink | null = null;
  let album: ItemLink | null = null;
  let children: number[] = [];
  let childKind: ItemKind = 'album';
  let excluded = false;
  let twins: ItemLink[] = [];
  const t = index.trackPosition.get(key);
  const a = index.albumPosition.get(key);
  const r = index.artistPosition.get(key);
  if (t !== undefined) {
    const track = tracks[t];
    item = link('track', key, track.title);
    artist = artistLink(track.artistKey);
    const albumAt = index.trackAlbum[t];
    album = albumAt >= 0 ? link('album', albums[albumAt].key, albums[albumAt].title) : null;
    excluded = index.trackExcluded[t] === 1;
    const cluster = index.trackTwin[t];
    if (cluster >= 0) {
      twins = index.twinClusters[cluster]
        .filter((m) => m !== t)
        .map((m) => {
          const twin = link('track', tracks[m].key, tracks[m].title);
          const twinAlbum = index.trackAlbum[m];
          return { ...twin, title: `${tracks[m].title} — ${twinAlbum >= 0 ? albums[twinAlbum].title : '?'}` };
        });
    }
  } else if (a !== undefined) {
    item = link('album', key, albums[a].title);
    artist = artistLink(albums[a].artistKey);
    children = index.tracksOfAlbum[a];
    childKind = 'track';
  } else if (r !== undefined) {
    item = link('artist', key, artists[r].title);
    const group = index.groupOfArtist.get(key);
    children = group === undefined ? [] : index.groups[group].albums;
  } else return null;

  const childLinks = children
    .slice(0, CHILDREN_SHOWN)
    .map((c) => (childKind === 'track' ? link('track', tracks[c].key, tracks[c].title) : link('album', albums[c].key, albums[c].title)));
  const explanation = explainItem(index, model.ownership, model.params, key, model.values, model.terms);
  const evidenceNote =
    explanation?.kind === 'track' && t !== undefined && index.trackAlbum[t] >= 0 && index.albumExcluded[index.trackAlbum[t]] === 0
      ? trackEvidenceNote(explanation.evidence, model.ownership.manual.has(key))
      : null;
  const albumManual = album ? (model.ownership.manual.get(album.key) ?? null) : null;
  return {
    item,
    artist,
    album,
    children: childLinks,
    childCount: children.length,
    target: explanation?.written ?? null,
    written: model.claims.get(key)?.writtenValue ?? null,
    mu: model.values.mu,
    epsilon: model.epsilon,
    explanation: explanation ? explainInStars(explanation, model.params, { mu: model.values.mu, albumManual }) : null,
    excluded,
    evidenceNote,
    twins,
    history: historyOf(sqlite, key),
  };
}

/** The explorer's sentence for a track the exclusion rules leave out; null for a track they keep. */
function trackEvidenceNote(evidence: TrackEvidence, rated: boolean): string | null {
  if (evidence.excludedBecause === null) return null;
  const excluded = `Excluded from its album's evidence (${evidence.excludedBecause})`;
  if (evidence.counts)
    return `${excluded}, but counted: every track of its album rated by hand is excluded, so all of them count: ${ALL_EXCLUDED_FALLBACK}.`;
  if (rated) return `${excluded}: its rating does not count toward the album, whose other tracks rated by hand do.`;
  return `${excluded}: rated, it would count only while every track of its album rated by hand is excluded too (the all-excluded fallback).`;
}

function valueIn(model: RatingModel, kind: ItemKind, key: string): number | null {
  const map = kind === 'artist' ? model.values.artists : kind === 'album' ? model.values.albums : model.values.tracks;
  return map.get(key) ?? null;
}

export function historyOf(sqlite: SQLite.Database, key: string, limit = 50): HistoryRow[] {
  return itemJournalHistory(sqlite, key, limit).map((row) => ({
    id: row.id,
    runId: row.run_id,
    runKind: row.run_kind ?? '?',
    operation: row.operation,
    before: row.value_before,
    after: row.value_after,
    status: row.status,
    note: row.note,
    at: row.created_at,
    undone: row.undone_by_run_id !== null,
  }));
}
