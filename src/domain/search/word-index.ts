// A typo-tolerant word index over N entries — the explorer's search over the whole library and the seed
// search over the playlist pool both stand on it. Fast on 300,000 tracks:
//   1. words: each entry's text is split into normalised words (`norm`); a sorted vocabulary maps each
//      distinct word to the entries that contain it (built once, at once or in slices)
//   2. each query word matches vocabulary words exactly (quality 1), as a prefix (0.9), or within a small edit
//      distance (0.7: 1 edit for words of 4–6 letters, 2 from 7; a swap of two letters is one edit)
//   3. best(): the entries that match the most query words, by total match quality, then the caller's tie-break
//      (shorter titles, say) — picked by counting, not by sorting every match of a common word
// Callers rank those few hundred finally (fuse.js on their own fields).
import { norm } from '../rating/text-match.js';

/** Entries indexed between two pauses of a build in slices. */
const SLICE = 25_000;
/** Tie-break keys are below this. */
export const TIE_BREAKS = 1024;
/** Query words considered. */
const MAX_TOKENS = 8;

export class WordIndex {
  // Scratch space for best(), one slot per entry, kept zeroed between calls (calls are synchronous).
  private scratch: { count: Uint8Array; score: Float32Array; best: Float32Array; histogram: Uint32Array } | null = null;

  private constructor(
    readonly size: number,
    /** Sorted distinct words, and per word the entries that contain it. */
    private readonly words: string[],
    private readonly postings: Int32Array[],
  ) {}

  /** Builds at once. */
  static build(size: number, textOf: (entry: number) => string): WordIndex {
    const steps = WordIndex.collect(size, textOf);
    let step = steps.next();
    while (!step.done) step = steps.next();
    return step.value;
  }

  /** Builds step by step: the generator yields after every slice, so a caller can let I/O run there. */
  static *collect(size: number, textOf: (entry: number) => string): Generator<void, WordIndex> {
    const lists = new Map<string, number[]>();
    for (let entry = 0; entry < size; entry++) {
      for (const word of new Set(norm(textOf(entry)).split(' '))) {
        if (!word) continue;
        const list = lists.get(word);
        if (list) list.push(entry);
        else lists.set(word, [entry]);
      }
      if (entry % SLICE === SLICE - 1) yield;
    }
    const words = [...lists.keys()].sort();
    yield;
    const postings: Int32Array[] = [];
    for (let i = 0; i < words.length; i++) {
      postings.push(Int32Array.from(lists.get(words[i])!));
      if (i % (SLICE * 4) === SLICE * 4 - 1) yield;
    }
    return new WordIndex(size, words, postings);
  }

  /** A query's words: normalised, distinct, at most eight. */
  static tokens(query: string): string[] {
    return [...new Set(norm(query).split(' ').filter(Boolean))].slice(0, MAX_TOKENS);
  }

  /**
   * At most `limit` entries, best first: those matching the most of the query's words; among them higher
   * total match quality, then a lower `tieBreak(entry)` (0 ≤ key < TIE_BREAKS), then earlier entries.
   * `accept` leaves entries out (a kind filter).
   */
  best(
    tokens: readonly string[],
    limit: number,
    options: { accept?: (entry: number) => boolean; tieBreak?: (entry: number) => number } = {},
  ): number[] {
    if (tokens.length === 0) return [];
    this.scratch ??= {
      count: new Uint8Array(this.size),
      score: new Float32Array(this.size),
      best: new Float32Array(this.size),
      histogram: new Uint32Array((MAX_TOKENS * 10 + 1) * TIE_BREAKS),
    };
    const { count, score, best, histogram } = this.scratch;
    const touched: number[] = [];
    try {
      for (const token of tokens) {
        const seen: number[] = [];
        for (const [word, quality] of this.matchingWords(token)) {
          for (const entry of this.postings[word]) {
            if (options.accept && !options.accept(entry)) continue;
            if (best[entry] === 0) seen.push(entry);
            if (best[entry] < quality) best[entry] = quality;
          }
        }
        for (const entry of seen) {
          if (count[entry] === 0) touched.push(entry);
          count[entry] += 1;
          score[entry] += best[entry];
          best[entry] = 0;
        }
      }
      let most = 0;
      for (const entry of touched) if (count[entry] > most) most = count[entry];
      // Order key, lower is better: match quality in tenths (at most eight words × 1.0), then the tie-break.
      const entries: number[] = [];
      const keys: number[] = [];
      for (const entry of touched) {
        if (count[entry] !== most) continue;
        entries.push(entry);
        keys.push(
          (MAX_TOKENS * 10 - Math.round(score[entry] * 10)) * TIE_BREAKS +
            Math.min(TIE_BREAKS - 1, Math.max(0, options.tieBreak?.(entry) ?? 0)),
        );
      }
      let chosen = entries.map((_, i) => i);
      if (entries.length > limit) {
        // The limit-th smallest key by counting; everything below it, then ties in entry order.
        for (const k of keys) histogram[k] += 1;
        let threshold = 0;
        for (let total = 0; threshold < histogram.length; threshold++) {
          total += histogram[threshold];
          if (total >= limit) break;
        }
        for (const k of keys) histogram[k] = 0;
        const below = chosen.filter((i) => keys[i] < threshold);
        const ties = chosen
          .filter((i) => keys[i] === threshold)
          .sort((x, y) => entries[x] - entries[y])
          .slice(0, limit - below.length);
        chosen = below.concat(ties);
      }
      return chosen.sort((x, y) => keys[x] - keys[y] || entries[x] - entries[y]).map((i) => entries[i]);
    } finally {
      for (const entry of touched) {
        count[entry] = 0;
        score[entry] = 0;
      }
    }
  }

  /** Vocabulary positions matching a query word, with a quality: exact 1, prefix 0.9, typo 0.7. */
  private matchingWords(token: string): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    const start = lowerBound(this.words, token);
    for (let i = start; i < this.words.length && this.words[i].startsWith(token); i++) {
      out.push([i, this.words[i] === token ? 1 : 0.9]);
      if (out.length > 2000) break;
    }
    const edits = token.length >= 7 ? 2 : token.length >= 4 ? 1 : 0;
    if (edits > 0) {
      const seen = new Set(out.map(([i]) => i));
      for (let i = 0; i < this.words.length; i++) {
        const word = this.words[i];
        if (seen.has(i) || Math.abs(word.length - token.length) > edits) continue;
        if (withinEdits(token, word, edits)) out.push([i, 0.7]);
      }
    }
    return out;
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Edit distance ≤ max, counting a swap of two neighbouring letters as one edit (optimal string alignment). */
export function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
      row.push(value);
      if (value < best) best = value;
    }
    if (best > max) return false;
    before = previous;
    previous = row;
  }
  return previous[b.length] <= max;
}
