// The person's manual track ratings as the estimator reads them: per album with evidence, its contributing
// ratings (the same rule as evidence.ts, the all-excluded fallback included), in track order. Built once in
// O(tracks); a cross-validation fold is a filter of it in O(ratings).
import { toMilli, type AlbumEvidence } from '../evidence.js';
import type { LibraryIndex } from '../library-index.js';
import type { ModelTerms } from '../terms.js';

export interface EvidenceTable {
  /** Album positions with at least one contributing rating, in album order. */
  albums: number[];
  /** albums[i]'s contributing tracks are track[start[i] .. start[i + 1]). */
  start: number[];
  track: number[];
  rating: number[];
  /**
   * Every manual track rating of those albums, excluded ones too (removing a kept rating can bring the
   * excluded ones back through the fallback): albums[i]'s are allTrack[allStart[i] .. allStart[i + 1]).
   */
  allStart: number[];
  allTrack: number[];
  allRating: number[];
}

const emptyTable = (): EvidenceTable => ({ albums: [], start: [0], track: [], rating: [], allStart: [0], allTrack: [], allRating: [] });

/** Every contributing manual track rating of the library. */
export function evidenceTable(index: LibraryIndex, manual: ReadonlyMap<string, number>): EvidenceTable {
  const { tracks } = index.snapshot;
  const rated: Array<[number, number]> = [];
  const table = emptyTable();
  for (let a = 0; a < index.tracksOfAlbum.length; a++) {
    if (index.albumExcluded[a] === 1) continue;
    rated.length = 0;
    for (const t of index.tracksOfAlbum[a]) {
      const rating = manual.get(tracks[t].key);
      if (rating !== undefined) rated.push([t, rating]);
    }
    pushAlbum(index, table, a, rated);
  }
  return table;
}

/** The table without the ratings of `held` tracks (the fallback re-applied per album): O(ratings). */
export function withoutTracks(index: LibraryIndex, table: EvidenceTable, held: ReadonlySet<number>): EvidenceTable {
  const out = emptyTable();
  const rated: Array<[number, number]> = [];
  for (let i = 0; i < table.albums.length; i++) {
    rated.length = 0;
    for (let j = table.allStart[i]; j < table.allStart[i + 1]; j++) {
      if (!held.has(table.allTrack[j])) rated.push([table.allTrack[j], table.allRating[j]]);
    }
    pushAlbum(index, out, table.albums[i], rated);
  }
  return out;
}

function pushAlbum(index: LibraryIndex, table: EvidenceTable, album: number, rated: ReadonlyArray<[number, number]>): void {
  if (rated.length === 0) return;
  const kept = rated.filter(([t]) => index.trackExcluded[t] === 0);
  for (const [t, rating] of kept.length > 0 ? kept : rated) {
    table.track.push(t);
    table.rating.push(rating);
  }
  for (const [t, rating] of rated) {
    table.allTrack.push(t);
    table.allRating.push(rating);
  }
  table.albums.push(album);
  table.start.push(table.track.length);
  table.allStart.push(table.allTrack.length);
}

/** E_a of each album of the table, exactly as albumEvidence() computes it (integer sums). */
export function albumEvidenceOf(table: EvidenceTable, terms: ModelTerms): Map<number, AlbumEvidence> {
  const out = new Map<number, AlbumEvidence>();
  for (let i = 0; i < table.albums.length; i++) {
    let sumMilli = 0;
    let adjustMicro = 0;
    for (let j = table.start[i]; j < table.start[i + 1]; j++) {
      sumMilli += toMilli(table.rating[j]);
      if (terms.shifted) adjustMicro += terms.evidenceAdjustMicro(table.track[j]);
    }
    out.set(table.albums[i], { sumMilli, count: table.start[i + 1] - table.start[i], adjustMicro });
  }
  return out;
}
