// The write plan of a pass: which computed values go to Plex, and why.
//   for every computed value of an item that is neither manual nor opted out (by its verdict):
//     decideWrite(v, c, ε) → a planned write ('new' | 'moved') or a drift-skip
//   takeovers and opt-outs are counted from the verdicts (the engine acts on them: state dropped, tag removed)
//   values of a kind the person keeps out of inference (infer.kinds) are not written; excluded albums, their
//   tracks and excluded artists have no value at all: both are counted in `outside`, so the plan says why
// Order: artists, then albums, then tracks, each in the order of the computed values (snapshot order).
import type { LibraryIndex } from './library-index.js';
import type { OwnershipVerdict } from './ownership.js';
import type { ItemKind, RatingValues } from './types.js';
import { decideWrite } from './write-rule.js';

export interface PlannedWrite {
  key: string;
  kind: ItemKind;
  /** The value to write, on the grid. */
  value: number;
  /** The unrounded computed value. */
  computed: number;
  /** Plex's value before the write, or null. */
  previous: number | null;
  reason: 'new' | 'moved';
}

export interface WritePlan {
  writes: PlannedWrite[];
  driftSkipped: number;
  takeovers: number;
  optOuts: number;
  /** Items with a computed value left alone because they are manual or opted out. */
  protectedItems: number;
  outside: OutsideCounts;
}

/** Items the plan leaves alone because the person limited inference. */
export interface OutsideCounts {
  /** Values not written because their kind is not in infer.kinds. */
  kinds: number;
  /** Items (artists, albums, tracks) excluded by genre, artist or album, counted over the index. */
  excluded: number;
}

export interface PlanInput {
  values: Pick<RatingValues, 'artists' | 'albums' | 'tracks'>;
  /** Verdict per item; an item without one is unrated. */
  verdicts: ReadonlyMap<string, OwnershipVerdict>;
  /** Plex's current userRating per item; absent = unrated. */
  current: ReadonlyMap<string, number>;
  epsilon: number;
  grid?: number;
  /** The kinds that get inferred ratings; all three when absent. */
  kinds?: readonly ItemKind[];
  /** For counting the excluded items of a full plan (a subtree's plan leaves it out). */
  index?: LibraryIndex;
}

export function planWrites(input: PlanInput): WritePlan {
  const plan: WritePlan = {
    writes: [],
    driftSkipped: 0,
    takeovers: 0,
    optOuts: 0,
    protectedItems: 0,
    outside: { kinds: 0, excluded: input.index ? excludedItems(input.index) : 0 },
  };
  const kinds = new Set(input.kinds ?? ['artist', 'album', 'track']);
  for (const verdict of input.verdicts.values()) {
    if (verdict.transition === 'takeover') plan.takeovers += 1;
    else if (verdict.transition === 'opt_out') plan.optOuts += 1;
  }
  const byKind: Array<[ItemKind, Map<string, number>]> = [
    ['artist', input.values.artists],
    ['album', input.values.albums],
    ['track', input.values.tracks],
  ];
  for (const [kind, values] of byKind) {
    if (!kinds.has(kind)) {
      plan.outside.kinds += values.size;
      continue;
    }
    for (const [key, computed] of values) {
      const ownership = input.verdicts.get(key)?.ownership ?? 'unrated';
      if (ownership === 'manual' || ownership === 'opted_out') {
        plan.protectedItems += 1;
        continue;
      }
      const previous = input.current.get(key) ?? null;
      const decision = decideWrite(computed, previous, input.epsilon, input.grid);
      if (decision.write) plan.writes.push({ key, kind, value: decision.value, computed, previous, reason: decision.reason });
      else plan.driftSkipped += 1;
    }
  }
  return plan;
}

function excludedItems(index: LibraryIndex): number {
  let count = 0;
  for (let g = 0; g < index.groups.length; g++) if (index.groupExcluded[g] === 1 && index.groups[g].artist >= 0) count += 1;
  for (let a = 0; a < index.albumExcluded.length; a++) {
    if (index.albumExcluded[a] === 1) count += 1 + index.tracksOfAlbum[a].length;
  }
  return count;
}
