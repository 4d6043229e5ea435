// The plan of a pass as people read it: counts by kind and reason, a sample of changes with names, and
// the whole plan as CSV (points, as Plex stores them; names are text cells, neutralised by domain/csv-cell).
import { toCsv, type CsvCell } from '../../domain/csv-cell.js';
import type { PlannedWrite } from '../../domain/rating/index.js';
import type { PassPlan } from './full-pass.js';

export interface NamedChange {
  key: string;
  kind: PlannedWrite['kind'];
  artist: string;
  album: string;
  title: string;
  reason: PlannedWrite['reason'];
  before: number | null;
  after: number;
  computed: number;
}

export function countsByKindAndReason(plan: PassPlan): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const kind of ['artist', 'album', 'track']) out[kind] = { new: 0, moved: 0 };
  for (const w of plan.writes) out[w.kind][w.reason] += 1;
  return out;
}

/** Names for planned writes (the snapshot carries them; built lazily, only when shown). */
export function namedChanges(plan: PassPlan, writes: readonly PlannedWrite[] = plan.writes): NamedChange[] {
  const artists = new Map(plan.snapshot.artists.map((a) => [a.key, a.title]));
  const albums = new Map(plan.snapshot.albums.map((a) => [a.key, a]));
  const tracks = new Map(plan.snapshot.tracks.map((t) => [t.key, t]));
  return writes.map((w) => {
    let artist = '';
    let album = '';
    let title = '';
    if (w.kind === 'artist') title = artists.get(w.key) ?? '';
    else if (w.kind === 'album') {
      const a = albums.get(w.key);
      title = a?.title ?? '';
      artist = a ? (artists.get(a.artistKey) ?? '') : '';
    } else {
      const t = tracks.get(w.key);
      title = t?.title ?? '';
      artist = t?.trackArtist ?? '';
      album = t ? (albums.get(t.albumKey)?.title ?? '') : '';
    }
    return { key: w.key, kind: w.kind, artist, album, title, reason: w.reason, before: w.previous, after: w.value, computed: w.computed };
  });
}

/** An evenly spread sample, so a big plan shows artists, albums and tracks. */
export function sampleWrites(plan: PassPlan, size = 12): PlannedWrite[] {
  if (plan.writes.length <= size) return plan.writes;
  const step = plan.writes.length / size;
  return Array.from({ length: size }, (_, i) => plan.writes[Math.floor(i * step)]);
}

export const PLAN_CSV_COLUMNS = [
  'ratingKey',
  'kind',
  'artist',
  'album',
  'title',
  'reason',
  'beforePoints',
  'afterPoints',
  'computedPoints',
];

export function planCsvRows(plan: PassPlan): CsvCell[][] {
  return namedChanges(plan).map((c) => [
    c.key,
    c.kind,
    c.artist,
    c.album,
    c.title,
    c.reason,
    c.before ?? '',
    c.after,
    Number(c.computed.toFixed(4)),
  ]);
}

/** The whole plan as CSV text, header first: what `infer --dry-run --csv` writes and the Ratings page offers. */
export function planCsv(plan: PassPlan): string {
  return toCsv([PLAN_CSV_COLUMNS, ...planCsvRows(plan)]);
}
