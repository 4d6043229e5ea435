// Evidence and the prior μ (RATING-MODEL.md, "Evidence" and step 1).
//   contributing(a) = manual ratings of a's tracks that the exclusion rules keep;
//                     when every manual track of a is excluded, all of a's manual tracks
//   E_a = contributing(a), n_a = |E_a|;  μ = ΣE / ΣN over the library, 6.0 when there is none
// Ratings are summed as integer thousandths of a point ("milli-points"): the sums are exact, so they do
// not depend on summation order, and a running tally updated one event at a time gives bit for bit the
// μ of a full pass, however many events it has seen.
// In the learned mode each rating enters shifted by its listening terms (terms.ts); the shifts are summed
// as integer micro-points (`adjustMicro`), exact for the same reason. An excluded album has no evidence.
import type { LibraryIndex } from './library-index.js';
import type { ModelTerms } from './terms.js';
import type { OwnershipView } from './types.js';

export const PRIOR_WITHOUT_EVIDENCE = 6.0;

export interface AlbumEvidence {
  /** Σ of the contributing ratings, in thousandths of a point. */
  sumMilli: number;
  count: number;
  /** Σ of the listening shifts of those ratings, in millionths of a point; 0 in the classic model. */
  adjustMicro: number;
}

export type EvidenceTally = AlbumEvidence;

export const NO_EVIDENCE: Readonly<AlbumEvidence> = Object.freeze({ sumMilli: 0, count: 0, adjustMicro: 0 });

export const toMilli = (points: number): number => Math.round(points * 1000);

/** E_a of the album at `album` (a position in the index). */
export function albumEvidence(index: LibraryIndex, ownership: OwnershipView, album: number, terms?: ModelTerms): AlbumEvidence {
  if (index.albumExcluded[album] === 1) return NO_EVIDENCE;
  const { tracks } = index.snapshot;
  const shifted = terms?.shifted === true;
  let keptSum = 0;
  let keptCount = 0;
  let keptAdjust = 0;
  let allSum = 0;
  let allCount = 0;
  let allAdjust = 0;
  for (const t of index.tracksOfAlbum[album]) {
    const rating = ownership.manual.get(tracks[t].key);
    if (rating === undefined) continue;
    const milli = toMilli(rating);
    const adjust = shifted ? terms.evidenceAdjustMicro(t) : 0;
    allSum += milli;
    allCount += 1;
    allAdjust += adjust;
    if (index.trackExcluded[t] === 0) {
      keptSum += milli;
      keptCount += 1;
      keptAdjust += adjust;
    }
  }
  return keptCount > 0
    ? { sumMilli: keptSum, count: keptCount, adjustMicro: keptAdjust }
    : { sumMilli: allSum, count: allCount, adjustMicro: allAdjust };
}

/**
 * The all-excluded fallback is what album `album` counts: it has tracks rated by hand and the exclusion
 * rules exclude every one of them, so they all count.
 */
export function countsExcludedTracks(index: LibraryIndex, ownership: OwnershipView, album: number): boolean {
  if (index.albumExcluded[album] === 1) return false;
  let rated = 0;
  for (const t of index.tracksOfAlbum[album]) {
    if (!ownership.manual.has(index.snapshot.tracks[t].key)) continue;
    if (index.trackExcluded[t] === 0) return false;
    rated += 1;
  }
  return rated > 0;
}

/** ΣE_a in points, with the listening shifts taken out (exactly ΣE_a in the classic model). */
export function evidenceSum(evidence: AlbumEvidence): number {
  return evidence.adjustMicro === 0 ? evidence.sumMilli / 1000 : evidence.sumMilli / 1000 - evidence.adjustMicro / 1e6;
}

/** The contributing ratings themselves, in track order (for explanations; the computation uses sums). */
export function contributingRatings(index: LibraryIndex, ownership: OwnershipView, album: number): number[] {
  if (index.albumExcluded[album] === 1) return [];
  const manualTracks = index.tracksOfAlbum[album].filter((t) => ownership.manual.has(index.snapshot.tracks[t].key));
  const kept = manualTracks.filter((t) => index.trackExcluded[t] === 0);
  return (kept.length > 0 ? kept : manualTracks).map((t) => ownership.manual.get(index.snapshot.tracks[t].key)!);
}

/** Σ of E_a over every album: what a full pass derives μ from. */
export function tallyEvidence(index: LibraryIndex, ownership: OwnershipView, terms?: ModelTerms): EvidenceTally {
  let sumMilli = 0;
  let count = 0;
  let adjustMicro = 0;
  for (let a = 0; a < index.tracksOfAlbum.length; a++) {
    const evidence = albumEvidence(index, ownership, a, terms);
    sumMilli += evidence.sumMilli;
    count += evidence.count;
    adjustMicro += evidence.adjustMicro;
  }
  return { sumMilli, count, adjustMicro };
}

/** μ: the mean contributing rating (shifted by the listening terms in the learned mode). */
export function muOf(tally: EvidenceTally): number {
  if (tally.count === 0) return PRIOR_WITHOUT_EVIDENCE;
  return tally.adjustMicro === 0 ? tally.sumMilli / (1000 * tally.count) : (tally.sumMilli / 1000 - tally.adjustMicro / 1e6) / tally.count;
}

// O(1) maintenance of μ between full passes. A rating event changes the evidence of one album only, but
// not always by one rating: the all-excluded fallback means that rating the first non-excluded track of an
// album whose manual tracks were all excluded removes those from evidence (and clearing it brings them
// back). So the exact update is swapAlbumEvidence(tally, E_a before, E_a after), with both taken by
// albumEvidence (O(tracks of the album)). addRating/removeRating are the single-rating shortcut: correct
// only when E_a changes by exactly that one rating; when in doubt, swap the album's evidence.

export function swapAlbumEvidence(tally: EvidenceTally, before: AlbumEvidence, after: AlbumEvidence): EvidenceTally {
  return {
    sumMilli: tally.sumMilli - before.sumMilli + after.sumMilli,
    count: tally.count - before.count + after.count,
    adjustMicro: tally.adjustMicro - before.adjustMicro + after.adjustMicro,
  };
}

export function addRating(tally: EvidenceTally, points: number): EvidenceTally {
  return { sumMilli: tally.sumMilli + toMilli(points), count: tally.count + 1, adjustMicro: tally.adjustMicro };
}

export function removeRating(tally: EvidenceTally, points: number): EvidenceTally {
  return { sumMilli: tally.sumMilli - toMilli(points), count: tally.count - 1, adjustMicro: tally.adjustMicro };
}
