// The number functions of RATING-MODEL.md, "The computation", one per formula:
//   crit(b, a)  = (b·W_global + clamp(b + (critic_a − κ), 0, 10)·W_critic) / (W_global + W_critic)
//                 when album a has a critic rating (> 0) and W_critic > 0, else b
//   estimate    = (C·p + ΣE) / (C + n)          (e_a with p = p⁰_a; v_a with p = p_a; n = 0 → p exactly)
//   gravity     = R·(1 − g) + μ·g              (album under a manual artist, track under a manual album)
//   v_r         = (C·μ + ΣX_r) / (C + m)
//   twin mean   = Σ values / count, in cluster member order
import { evidenceSum, type AlbumEvidence } from './evidence.js';
import type { RatingParams } from './params.js';
import type { ModelAlbum } from './types.js';

export function hasCriticSignal(album: ModelAlbum, kappa: number | null, params: RatingParams): boolean {
  return album.criticRating !== null && album.criticRating > 0 && params.W_critic > 0 && kappa !== null;
}

export function crit(base: number, album: ModelAlbum, kappa: number | null, params: RatingParams): number {
  if (!hasCriticSignal(album, kappa, params)) return base;
  const shifted = Math.min(10, Math.max(0, base + (album.criticRating! - kappa!)));
  return (base * params.W_global + shifted * params.W_critic) / (params.W_global + params.W_critic);
}

/** (C·p + ΣE) / (C + n); with no evidence simply p (not C·p/C, which can differ in the last bit). */
export function estimate(p: number, evidence: AlbumEvidence, C: number): number {
  if (evidence.count === 0) return p;
  return (C * p + evidenceSum(evidence)) / (C + evidence.count);
}

export function gravity(rating: number, mu: number, g: number): number {
  return rating * (1 - g) + mu * g;
}

export function artistEstimate(mu: number, sumX: number, m: number, C: number): number {
  return (C * mu + sumX) / (C + m);
}
