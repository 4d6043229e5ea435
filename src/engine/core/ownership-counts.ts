// Ownership counts, one definition for every place that shows them (the CLI's dry run and summary,
// GET /api/status, the dashboard): every artist, album and track of the library cache, counted per kind
// by who owns its rating — manual (the person's), inferred (Sagewire's value, still held in Plex), opted
// out (the person cleared Sagewire's value), unrated (neither) — and the total over the three kinds.
import type { ItemKind, Ownership } from '../../domain/rating/types.js';

export interface OwnershipTally {
  manual: number;
  inferred: number;
  unrated: number;
  optedOut: number;
}

export interface OwnershipCounts {
  artists: OwnershipTally;
  albums: OwnershipTally;
  tracks: OwnershipTally;
  /** The sum of the three kinds. */
  total: OwnershipTally;
}

export const KIND_FIELD: Record<ItemKind, 'artists' | 'albums' | 'tracks'> = { artist: 'artists', album: 'albums', track: 'tracks' };

export function tallyField(ownership: Ownership): keyof OwnershipTally {
  return ownership === 'opted_out' ? 'optedOut' : ownership;
}

const emptyTally = (): OwnershipTally => ({ manual: 0, inferred: 0, unrated: 0, optedOut: 0 });

export function emptyOwnershipCounts(): OwnershipCounts {
  return { artists: emptyTally(), albums: emptyTally(), tracks: emptyTally(), total: emptyTally() };
}

/** Counts every item of the library by `ownershipOf`, per kind and in total. */
export function countOwnership(
  library: { artists: Iterable<{ key: string }>; albums: Iterable<{ key: string }>; tracks: Iterable<{ key: string }> },
  ownershipOf: (key: string, kind: ItemKind) => Ownership,
): OwnershipCounts {
  const counts = emptyOwnershipCounts();
  for (const kind of ['artist', 'album', 'track'] as const) {
    const tally = counts[KIND_FIELD[kind]];
    for (const { key } of library[KIND_FIELD[kind]]) tally[tallyField(ownershipOf(key, kind))] += 1;
  }
  counts.total = sumTallies([counts.artists, counts.albums, counts.tracks]);
  return counts;
}

/** Moves one item of `kind` from one ownership to another, keeping the total in step. */
export function moveOwnership(counts: OwnershipCounts, kind: ItemKind, from: Ownership, to: Ownership): void {
  if (from === to) return;
  for (const tally of [counts[KIND_FIELD[kind]], counts.total]) {
    tally[tallyField(from)] -= 1;
    tally[tallyField(to)] += 1;
  }
}

export function copyOwnershipCounts(counts: OwnershipCounts): OwnershipCounts {
  return { artists: { ...counts.artists }, albums: { ...counts.albums }, tracks: { ...counts.tracks }, total: { ...counts.total } };
}

function sumTallies(tallies: OwnershipTally[]): OwnershipTally {
  const sum = emptyTally();
  for (const t of tallies) for (const field of Object.keys(sum) as Array<keyof OwnershipTally>) sum[field] += t[field];
  return sum;
}

/** The CLI's wording: one line per kind and one for all items. */
export function ownershipLines(counts: OwnershipCounts, indent = '  '): string[] {
  const line = (label: string, t: OwnershipTally) =>
    `${indent}  ${label.padEnd(8)} ${t.manual} manual, ${t.inferred} inferred, ${t.unrated} unrated, ${t.optedOut} opted out`;
  return [
    `${indent}ownership (who owns each item's rating):`,
    line('artists', counts.artists),
    line('albums', counts.albums),
    line('tracks', counts.tracks),
    line('all', counts.total),
  ];
}
