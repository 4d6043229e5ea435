// The constants a pass computes with, and the listening terms they imply (the learned mode; see
// docs/rating-model-learned.md). The classic model (RATING-MODEL.md) is the special case
//   cAlbum = cArtist = C, β = γ_level = γ_unplayed = 0,
// in which every shift below is skipped, so its arithmetic is exactly the spec's.
//   trackShift(t) = β·d_t                                          a track's listening relative to its album
//   albumShift(a) = γ_level·(S_a − L̄) for a played album, γ_unplayed for an album never played
//   groupShift(g) = mean albumShift over the artist's albums
// The model works in "shifted" space: a manual track rating r enters the evidence as r − trackShift −
// albumShift (so tracks rated because they are loved, and played more, do not lift their album), and every
// value written is the shifted value plus its item's shift. Evidence adjustments are integer micro-points,
// so the evidence sums (and μ) stay exact whatever order they are added in.
import type { LibraryIndex } from './library-index.js';
import { CLASSIC_C, type RatingParams } from './params.js';

export interface ModelConstants {
  /** Confidence of an album's own track evidence (C in v_a and e_a). */
  cAlbum: number;
  /** Confidence of an artist's album evidence (C in v_r). */
  cArtist: number;
  /** β: points per unit of play signal, within an album. */
  beta: number;
  /** γ_level: points per unit of an album's listening level, among played albums. */
  gammaLevel: number;
  /** γ_unplayed: points for an album never played, against a played album of average level. */
  gammaUnplayed: number;
}

export interface ModelTerms {
  constants: ModelConstants;
  /** False for the classic model: no shift anywhere. */
  shifted: boolean;
  trackShift(track: number): number;
  albumShift(album: number): number;
  groupShift(group: number): number;
  /** round(10⁶ × (trackShift + albumShift)) of a track on an album. */
  evidenceAdjustMicro(track: number): number;
}

export function classicConstants(C: number): ModelConstants {
  return { cAlbum: C, cArtist: C, beta: 0, gammaLevel: 0, gammaUnplayed: 0 };
}

/** The classic terms with a numeric C (what a caller without a fit gets); `auto` falls back to the spec's C. */
export function defaultTerms(index: LibraryIndex, params: RatingParams): ModelTerms {
  return modelTerms(index, classicConstants(typeof params.C === 'number' ? params.C : CLASSIC_C));
}

const zero = (): number => 0;

export function modelTerms(index: LibraryIndex, constants: ModelConstants): ModelTerms {
  const { beta, gammaLevel, gammaUnplayed } = constants;
  const listening = index.listening;
  if ((beta === 0 && gammaLevel === 0 && gammaUnplayed === 0) || listening === null) {
    return { constants, shifted: false, trackShift: zero, albumShift: zero, groupShift: zero, evidenceAdjustMicro: zero };
  }
  const albumShift = (a: number): number =>
    listening.albumPlayed[a] === 1 ? gammaLevel * (listening.albumLevel[a] - listening.playedMean) : gammaUnplayed;
  const trackShift = (t: number): number => beta * listening.withinAlbum[t];
  const groupShifts = new Float64Array(index.groups.length).fill(Number.NaN);
  const groupShift = (g: number): number => {
    if (Number.isNaN(groupShifts[g])) {
      const albums = index.groups[g].albums;
      let sum = 0;
      for (const a of albums) sum += albumShift(a);
      groupShifts[g] = albums.length > 0 ? sum / albums.length : 0;
    }
    return groupShifts[g];
  };
  return {
    constants,
    shifted: true,
    trackShift,
    albumShift,
    groupShift,
    evidenceAdjustMicro: (t) => {
      const a = index.trackAlbum[t];
      return Math.round(1e6 * (trackShift(t) + (a >= 0 ? albumShift(a) : 0)));
    },
  };
}
