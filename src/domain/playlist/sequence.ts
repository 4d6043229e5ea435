// A listening order without a model: greedy, each next track the one closest to the previous while
// following an energy arc (start calm-ish, rise to ~60 %, settle).
//   distance(a, b) = (1 − jaccard(tags a, tags b)) + |year a − year b| / 15 (capped at 1) + 2·|energy b − target(i)|
//   energy = share of energetic moods minus calm ones, mapped to [0, 1]; 0.5 without moods
//   target(i) = 0.35 + 0.4·sin(π·i / (n − 1))
import type { PoolTrack } from './types.js';

const ENERGETIC = new Set([
  'energetic',
  'aggressive',
  'rousing',
  'fiery',
  'lively',
  'hedonistic',
  'confident',
  'swaggering',
  'joyous',
  'uplifting',
  'playful',
  'rebellious',
  'passionate',
  'cathartic',
  'tense/anxious',
]);
const CALM = new Set([
  'mellow',
  'laid-back/mellow',
  'soothing',
  'dreamy',
  'ethereal',
  'reflective',
  'intimate',
  'melancholy',
  'gloomy',
  'wistful',
  'atmospheric',
  'brooding',
  'sentimental',
  'nocturnal',
  'bittersweet',
  'yearning',
]);

export function energy(track: PoolTrack): number {
  let score = 0;
  let counted = 0;
  for (const mood of track.tags.moods) {
    const m = mood.toLowerCase();
    if (ENERGETIC.has(m)) {
      score++;
      counted++;
    } else if (CALM.has(m)) {
      score--;
      counted++;
    }
  }
  return counted === 0 ? 0.5 : 0.5 + score / (2 * counted);
}

function tagSet(track: PoolTrack): Set<string> {
  return new Set([...track.tags.genres, ...track.tags.styles, ...track.tags.moods].map((t) => t.toLowerCase()));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

export function sequenceTracks<T extends { track: PoolTrack }>(items: readonly T[]): T[] {
  const n = items.length;
  if (n <= 2) return [...items];
  const tags = items.map((i) => tagSet(i.track));
  const energies = items.map((i) => energy(i.track));
  const target = (pos: number) => 0.35 + 0.4 * Math.sin((Math.PI * pos) / (n - 1));
  const left = new Set(items.keys());
  let current = [...left].reduce((best, i) => (Math.abs(energies[i] - target(0)) < Math.abs(energies[best] - target(0)) ? i : best), 0);
  const order = [current];
  left.delete(current);
  while (left.size > 0) {
    const pos = order.length;
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const i of left) {
      const a = items[current].track;
      const b = items[i].track;
      const years = a.year === null || b.year === null ? 0.5 : Math.min(1, Math.abs(a.year - b.year) / 15);
      const distance = 1 - jaccard(tags[current], tags[i]) + years + 2 * Math.abs(energies[i] - target(pos));
      if (distance < bestDistance) {
        bestDistance = distance;
        best = i;
      }
    }
    order.push(best);
    left.delete(best);
    current = best;
  }
  return order.map((i) => items[i]);
}
