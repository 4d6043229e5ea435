// One item as the explorer shows it: what it is and where it sits (artist → album → track), its rating and
// who owns it, what Sagewire would write, how that value is computed (in stars), and its journal history.
// Reads the cached model (ui-model.ts), so explaining any item of a 300,000-track library is a lookup and
// one recomputation of its artist group, not a pass.
import type SQLite from 'better-sqlite3';
import { itemJournalHistory } from '../../db/journal-reads.js';
import { explainItem, type ItemKind, type Ownership } from '../../domain/rating/index.js';
import { explainInStars, type StarExplanation } from './explain-stars.js';
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
  excluded: boolean;
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
    twins,
    history: historyOf(sqlite, key),
  };
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
