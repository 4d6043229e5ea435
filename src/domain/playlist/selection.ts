// Turning picks into the playlist: match each pick, then keep it only if it is not a duplicate, not a
// twin of a kept track and within the caps. What was dropped is counted by cause for the review and the
// history. Top-up and fill continue from the same ledger, so the caps hold over the whole playlist.
import type { PoolMatcher, MatchMethod } from './match.js';
import type { DiversityLedger, RankedTrack } from './rank.js';
import type { Pick } from './reply.js';
import type { PoolTrack } from './types.js';

export interface ChosenTrack {
  track: PoolTrack;
  reason: string;
  /** Added from the ranked pool because the model(s) left the playlist short. */
  filled: boolean;
  method: MatchMethod | 'fill';
}

export type DropCause = 'unmatched' | 'duplicate' | 'twin' | 'artist cap' | 'album cap' | 'over count';

export interface SelectionStats {
  picks: number;
  matched: Record<MatchMethod, number>;
  dropped: Record<DropCause, number>;
}

export const emptyStats = (): SelectionStats => ({
  picks: 0,
  matched: { id: 0, exact: 0, fuzzy: 0 },
  dropped: { unmatched: 0, duplicate: 0, twin: 0, 'artist cap': 0, 'album cap': 0, 'over count': 0 },
});

/** Applies `picks` in order to `chosen` (mutated), up to `count` tracks in all. */
export function acceptPicks(
  picks: readonly Pick[],
  matcher: PoolMatcher,
  ledger: DiversityLedger,
  chosen: ChosenTrack[],
  count: number,
  stats: SelectionStats,
): void {
  for (const pick of picks) {
    stats.picks++;
    const match = matcher.match(pick);
    if (!match) {
      stats.dropped.unmatched++;
      continue;
    }
    stats.matched[match.method]++;
    const refusal = ledger.refusal(match.track);
    if (refusal !== null) {
      stats.dropped[refusal]++;
      continue;
    }
    if (chosen.length >= count) {
      stats.dropped['over count']++;
      continue;
    }
    ledger.add(match.track);
    chosen.push({ track: match.track, reason: pick.reason, filled: false, method: match.method });
  }
}

/** The sent tracks that could still join, with the ids they were sent under. */
export function topUpCandidates(sent: readonly PoolTrack[], ledger: DiversityLedger): { id: string; track: PoolTrack }[] {
  const open: { id: string; track: PoolTrack }[] = [];
  sent.forEach((track, i) => {
    if (ledger.refusal(track) === null) open.push({ id: String(i + 1), track });
  });
  return open;
}

/**
 * Fills `chosen` up to `count` from the ranked pool, best first: under the caps first, then with the
 * album cap and then the artist cap lifted (a short playlist is worse than a second track by an artist).
 * Twins and duplicates are never admitted.
 */
export function fillFromPool(
  ranked: readonly RankedTrack[],
  ledger: DiversityLedger,
  chosen: ChosenTrack[],
  count: number,
  reason: (t: PoolTrack) => string,
): number {
  let added = 0;
  for (const relax of [0, 1, 2]) {
    for (const { track } of ranked) {
      if (chosen.length >= count) return added;
      if (ledger.refusal(track, relax) !== null) continue;
      ledger.add(track);
      chosen.push({ track, reason: reason(track), filled: true, method: 'fill' });
      added++;
    }
  }
  return added;
}
