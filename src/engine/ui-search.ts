// Typo-tolerant search over every artist, album and track, fast on 300,000 tracks. Strategy, in order:
//   1. words: each entry's title (and its artist, and a track's album) is split into normalised words
//      (domain `norm`); a vocabulary maps each distinct word to the entries that contain it (built once)
//   2. each query word matches vocabulary words exactly, as a prefix, or within a small edit distance
//      (1 for words of 4–6 letters, 2 from 7; a swap of two letters is one edit) — the typo tolerance; a few ms over tens of thousands of words
//   3. entries score by how many query words they match and how well; the best few hundred (picked by
//      counting, not by sorting every match) are ranked by fuse.js on title and context (so the closest
//      spelling of the whole query wins)
// Precision over recall: an entry must match every query word when any entry does.
import Fuse from 'fuse.js';
import { norm, type ItemKind, type LibrarySnapshot } from '../domain/rating/index.js';

export interface SearchHit {
  kind: ItemKind;
  key: string;
  title: string;
  /** Artist (of an album), "artist — album" (of a track). */
  context: string;
}

const KINDS: ItemKind[] = ['artist', 'album', 'track'];
const CANDIDATES = 300;

/** The index's arrays, collected from a snapshot (see collect()). */
interface Parts {
  kinds: Uint8Array;
  keys: string[];
  titles: string[];
  contexts: string[];
  words: string[];
  postings: Int32Array[];
  buildMs: number;
}

/** Entries collected between two pauses when the index is built in the background. */
const SLICE = 25_000;

/** Collects the index from a snapshot, yielding after every SLICE entries (build() pauses there). */
function* collect(snapshot: LibrarySnapshot): Generator<void, Parts> {
  let started = performance.now();
  let spent = 0;
  const total = snapshot.artists.length + snapshot.albums.length + snapshot.tracks.length;
  const kinds = new Uint8Array(total);
  const keys: string[] = [];
  const titles: string[] = [];
  const contexts: string[] = [];
  const artistTitle = new Map(snapshot.artists.map((a) => [a.key, a.title]));
  const albumTitle = new Map(snapshot.albums.map((a) => [a.key, a.title]));
  const lists = new Map<string, number[]>();
  const add = (kind: number, key: string, title: string, context: string, text: string) => {
    const id = keys.length;
    kinds[id] = kind;
    keys.push(key);
    titles.push(title);
    contexts.push(context);
    for (const word of new Set(norm(text).split(' '))) {
      if (!word) continue;
      const list = lists.get(word);
      if (list) list.push(id);
      else lists.set(word, [id]);
    }
  };
  const pause = function* () {
    spent += performance.now() - started;
    yield;
    started = performance.now();
  };
  for (const a of snapshot.artists) add(0, a.key, a.title, '', a.title);
  for (const a of snapshot.albums) {
    const artist = artistTitle.get(a.artistKey) ?? '';
    add(1, a.key, a.title, artist, `${a.title} ${artist}`);
    if (keys.length % SLICE === 0) yield* pause();
  }
  for (const t of snapshot.tracks) {
    const album = albumTitle.get(t.albumKey) ?? '';
    add(2, t.key, t.title, `${t.trackArtist} — ${album}`, `${t.title} ${t.trackArtist}`);
    if (keys.length % SLICE === 0) yield* pause();
  }
  const words = [...lists.keys()].sort();
  yield* pause();
  const postings: Int32Array[] = [];
  for (let i = 0; i < words.length; i++) {
    postings.push(Int32Array.from(lists.get(words[i])!));
    if (i % (SLICE * 4) === SLICE * 4 - 1) yield* pause();
  }
  return { kinds, keys, titles, contexts, words, postings, buildMs: spent + performance.now() - started };
}

export class SearchIndex {
  private readonly kinds: Uint8Array;
  private readonly keys: string[];
  private readonly titles: string[];
  private readonly contexts: string[];
  /** Sorted distinct words, and per word the entries that contain it. */
  private readonly words: string[];
  private readonly postings: Int32Array[];
  /** CPU time the build took (pauses excluded). */
  readonly buildMs: number;

  /** Builds at once (O(library); about a second on 300,000 tracks). */
  constructor(source: LibrarySnapshot | Parts) {
    let parts: Parts;
    if ('artists' in source) {
      const steps = collect(source);
      let step = steps.next();
      while (!step.done) step = steps.next();
      parts = step.value;
    } else parts = source;
    ({ kinds: this.kinds, keys: this.keys, titles: this.titles, contexts: this.contexts, words: this.words, postings: this.postings, buildMs: this.buildMs } = parts);
  }

  /** Builds in slices that let waiting I/O (webhooks, other pages) run between them. */
  static async build(snapshot: LibrarySnapshot): Promise<SearchIndex> {
    const steps = collect(snapshot);
    let step = steps.next();
    while (!step.done) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      step = steps.next();
    }
    return new SearchIndex(step.value);
  }

  get size(): number {
    return this.keys.length;
  }

  search(query: string, limit = 30, kind?: ItemKind): SearchHit[] {
    const tokens = [...new Set(norm(query).split(' ').filter(Boolean))].slice(0, 8);
    if (tokens.length === 0) return [];
    const candidates = this.candidates(tokens, kind ? KINDS.indexOf(kind) : -1).map((id) => this.hit(id));
    const fuse = new Fuse(candidates, { keys: [{ name: 'title', weight: 0.75 }, { name: 'context', weight: 0.25 }], includeScore: true, ignoreLocation: true, threshold: 1 });
    const rank = new Map(fuse.search(query).map((r) => [r.item, r.score ?? 1]));
    return candidates
      .map((hit, order) => ({ hit, order, score: rank.get(hit) ?? 1 }))
      .sort((x, y) => x.score - y.score || x.order - y.order)
      .slice(0, limit)
      .map((x) => x.hit);
  }

  // Scratch space for candidates(), one slot per entry, kept zeroed between searches (searches are synchronous).
  private scratch: { tokens: Uint8Array; score: Float32Array; best: Float32Array } | null = null;

  /**
   * The best CANDIDATES entries, best first: those matching the most query words, by total match quality,
   * then artists before albums before tracks, then shorter titles. O(matches), no sort of every match: a
   * common word ("the") matches a large part of a 300,000-track library.
   */
  private candidates(tokens: readonly string[], kindCode: number): number[] {
    const n = this.keys.length;
    this.scratch ??= { tokens: new Uint8Array(n), score: new Float32Array(n), best: new Float32Array(n) };
    const { tokens: count, score, best } = this.scratch;
    const touched: number[] = [];
    try {
      for (const token of tokens) {
        const seen: number[] = [];
        for (const [word, quality] of this.matchingWords(token)) {
          for (const id of this.postings[word]) {
            if (kindCode >= 0 && this.kinds[id] !== kindCode) continue;
            if (best[id] === 0) seen.push(id);
            if (best[id] < quality) best[id] = quality;
          }
        }
        for (const id of seen) {
          if (count[id] === 0) touched.push(id);
          count[id] += 1;
          score[id] += best[id];
          best[id] = 0;
        }
      }
      let most = 0;
      for (const id of touched) if (count[id] > most) most = count[id];
      // Order key: fewer is better. Match quality in tenths (≤ 8 words × 1.0), kind, title length (capped).
      const order = (id: number) => (80 - Math.round(score[id] * 10)) * 768 + this.kinds[id] * 256 + Math.min(this.titles[id].length, 255);
      const keyed: number[] = [];
      const keys: number[] = [];
      for (const id of touched) {
        if (count[id] !== most) continue;
        keyed.push(id);
        keys.push(order(id));
      }
      let chosen = keyed.map((_, i) => i);
      if (keyed.length > CANDIDATES) {
        // The CANDIDATES-th smallest key by counting; everything below it, then ties in library order.
        const histogram = new Uint32Array(81 * 768);
        for (const k of keys) histogram[k] += 1;
        let threshold = 0;
        for (let total = 0; threshold < histogram.length; threshold++) {
          total += histogram[threshold];
          if (total >= CANDIDATES) break;
        }
        const below = chosen.filter((i) => keys[i] < threshold);
        const ties = chosen.filter((i) => keys[i] === threshold).slice(0, CANDIDATES - below.length);
        chosen = below.concat(ties);
      }
      return chosen.sort((x, y) => keys[x] - keys[y] || keyed[x] - keyed[y]).map((i) => keyed[i]);
    } finally {
      for (const id of touched) {
        count[id] = 0;
        score[id] = 0;
      }
    }
  }

  private hit(id: number): SearchHit {
    return { kind: KINDS[this.kinds[id]], key: this.keys[id], title: this.titles[id], context: this.contexts[id] };
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
