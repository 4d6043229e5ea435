// Whether an item that may be written is written (RATING-MODEL.md, "Write rule"):
//   write when c is absent ('new'), or when w ≠ c and |v − c| ≥ ε ('moved'); otherwise drift-skipped
// (which includes items already holding w). `w ≠ c` compares grid steps, not doubles.
import { gridValue, sameGridValue } from './grid.js';

export type WriteDecision =
  | { write: true; reason: 'new' | 'moved'; value: number }
  | { write: false; reason: 'drift_skipped'; value: number };

export function decideWrite(v: number, current: number | null, epsilon: number, grid = 0.1): WriteDecision {
  const value = gridValue(v, grid);
  if (current === null) return { write: true, reason: 'new', value };
  if (!sameGridValue(value, current, grid) && Math.abs(v - current) >= epsilon) return { write: true, reason: 'moved', value };
  return { write: false, reason: 'drift_skipped', value };
}
