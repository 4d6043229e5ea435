// The write plan of a pass: which computed values go to Plex, and why.
//   for every computed value of an item that is neither manual nor opted out (by its verdict):
//     decideWrite(v, c, ε) → a planned write ('new' | 'moved') or a drift-skip
//   takeovers and opt-outs are counted from the verdicts (the engine acts on them: state dropped, tag removed)
// Order: artists, then albums, then tracks, each in the order of the computed values (snapshot order).
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
}

export interface PlanInput {
  values: Pick<RatingValues, 'artists' | 'albums' | 'tracks'>;
  /** Verdict per item; an item without one is unrated. */
  verdicts: ReadonlyMap<string, OwnershipVerdict>;
  /** Plex's current userRating per item; absent = unrated. */
  current: ReadonlyMap<string, number>;
  epsilon: number;
  grid?: number;
}

export function planWrites(input: PlanInput): WritePlan {
  const plan: WritePlan = { writes: [], driftSkipped: 0, takeovers: 0, optOuts: 0, protectedItems: 0 };
  for (const verdict of input.verdicts.values()) {
    if (verdict.transition === 'takeover') plan.takeovers += 1;
    else if (verdict.transition === 'opt_out') plan.optOuts += 1;
  }
  const kinds: Array<[ItemKind, Map<string, number>]> = [
    ['artist', input.values.artists],
    ['album', input.values.albums],
    ['track', input.values.tracks],
  ];
  for (const [kind, values] of kinds) {
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
