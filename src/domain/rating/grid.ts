// Written values and the precision ε (RATING-MODEL.md, "Writing values").
//   w = floor(v·10 + 0.5) / 10; a whole k becomes k + 0.1 when v ≥ k, else k − 0.1; clamp to [0.1, 9.9]
//   ε = 0.02 for N < 1000 tracks, else 0.02·(log10 N − 2)  (0.0695 at 300,000); `fixed:X` → X
// The grid is worked in integer steps (tenths for the default 0.1) and divided once at the end, so 6.9 comes
// out as the same double as the literal 6.9 and no float error can land a value on a whole point.
import type { Precision } from './params.js';

/** The grid as whole steps per point (10 for 0.1). */
const stepsPerPoint = (grid: number): number => Math.round(1 / grid);

export function gridValue(v: number, grid = 0.1): number {
  const steps = stepsPerPoint(grid);
  let w = Math.floor(v * steps + 0.5);
  if (w % steps === 0) w = v >= w / steps ? w + 1 : w - 1;
  return Math.min(10 * steps - 1, Math.max(1, w)) / steps;
}

/** Two written values are the same when they round to the same grid step (Plex may store 6.9 as 6.900000095). */
export function sameGridValue(a: number, b: number, grid = 0.1): boolean {
  const steps = stepsPerPoint(grid);
  return Math.round(a * steps) === Math.round(b * steps);
}

export function epsilonFor(trackCount: number, precision: Precision = 'dynamic'): number {
  if (precision !== 'dynamic') return Number(precision.slice('fixed:'.length));
  return trackCount < 1000 ? 0.02 : 0.02 * (Math.log10(trackCount) - 2);
}
