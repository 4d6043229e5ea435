// Who owns an item's rating (RATING-MODEL.md, "Ownership check"), from what Sagewire's state remembers and
// what Plex holds now:
//   state opted out:  c absent → opted_out;  c present → manual ('rated_after_opt_out': the person rated it)
//   state wrote s:    c absent → opted_out ('opt_out');  |c − s| < 0.05 → inferred;  else manual ('takeover')
//   no state:         c present → manual;  c absent → unrated ('manual_cleared' when it was manual before)
// The 0.05 tolerance absorbs Plex storing a value rounded to one decimal (or as a float32): written values sit
// on the 0.1 grid and never on a whole point, so no rounding can make them look like the person's.
import type { Ownership } from './types.js';

export const TAKEOVER_TOLERANCE = 0.05;

export type OwnershipTransition = 'none' | 'takeover' | 'opt_out' | 'rated_after_opt_out' | 'manual_cleared';

export interface OwnershipFacts {
  /** The value Sagewire wrote and still holds in its state, or null. */
  written: number | null;
  /** The state records that the person cleared a value Sagewire wrote. */
  optedOut: boolean;
  /** Plex's current userRating, or null when unrated. */
  current: number | null;
  /** The ownership last derived for this item, when known (to tell a cleared manual rating). */
  previous?: Ownership;
}

export interface OwnershipVerdict {
  ownership: Ownership;
  transition: OwnershipTransition;
}

export function deriveOwnership(facts: OwnershipFacts): OwnershipVerdict {
  const { written, optedOut, current } = facts;
  if (optedOut) {
    return current === null ? { ownership: 'opted_out', transition: 'none' } : { ownership: 'manual', transition: 'rated_after_opt_out' };
  }
  if (written !== null) {
    if (current === null) return { ownership: 'opted_out', transition: 'opt_out' };
    if (Math.abs(current - written) < TAKEOVER_TOLERANCE) return { ownership: 'inferred', transition: 'none' };
    return { ownership: 'manual', transition: 'takeover' };
  }
  if (current !== null) return { ownership: 'manual', transition: 'none' };
  return { ownership: 'unrated', transition: facts.previous === 'manual' ? 'manual_cleared' : 'none' };
}
