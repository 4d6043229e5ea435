// The first invariant, checked once more just before a request carries an item, on the read made
// immediately before that request: Sagewire never writes an item that is `manual` (Plex holds a value
// Sagewire's state does not claim) or `opted_out`.
import type { ItemClaim } from '../../db/engine-state-repo.js';
import { sameRating } from '../core/values.js';

export class OwnershipViolation extends Error {
  constructor(message: string) {
    super(`ownership guard: ${message}`);
    this.name = 'OwnershipViolation';
  }
}

/** Throws unless the item is `unrated` or `inferred` given its claim and Plex's current value. */
export function assertWritable(claim: ItemClaim | null, current: number | null): void {
  if (claim?.optedOut) throw new OwnershipViolation('the person opted this item out');
  if (current === null) return;
  if (claim?.writtenValue == null || !sameRating(current, claim.writtenValue)) {
    throw new OwnershipViolation(`Plex holds ${current}, which Sagewire did not write`);
  }
}
