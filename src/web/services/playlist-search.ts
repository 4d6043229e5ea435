// Typo-tolerant track search for the seed flow, over the pool index (the tracks the pipeline can use),
// fast on 300,000 tracks. Strategy, in order:
//   1. words: each track's title, artist and album are split into normalised words (`norm`); a sorted
//      vocabulary maps each distinct word to the tracks that contain it (built once per index)
//   2. each query word matches vocabulary words exactly, as a prefix, or within a small edit distance
//      (1 for 4–6 letters, 2 from 7) — the typo tolerance
//   3. tracks that match every query word (or, when none does, the most words) are ranked by fuse.js on
//      title, artist and album, so the closest spelling of the whole query comes first
import Fuse from 'fuse.js';
import { norm } from '../../domain/rating/text-match.js';
import type { ResultTrack } from '../../playlists/index.js';
import type { PoolIndex } from '../../playlists/pool-index.js';

/** A track found by title, artist or album: a playlist's track without the model's reason. */
export type TrackHit = Omit<ResultTrack, 'reason' | 'filled'>;

const CANDIDATES = 300;

/** Edit distance ≤ max, counting a swap of two neighbouring letters as one edit ("teh" → "the"). */
function withinDistance(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
      best = Math.min(best, row[j]);
    }
    if (best > max) return false;
    before = prev;
    prev = row;
  }
  return prev[b.length] <= max;
}

export class TrackSearch {
  private readonly words: string[];
  private readonly postings: Int32Array[];

  constructor(private readonly index: PoolIndex) {
    const lists = new Map<string, number[]>();
    for (let i = 0; i < index.size; i++) {
      const seen = new Set(norm(`${index.titles[i]} ${index.artists[i]} ${index.albums[i]}`).split(' '));
      for (const word of seen) {
        if (!word) continue;
        let list = lists.get(word);
        if (!list) lists.set(word, (list = []));
        list.push(i);
      }
    }
    this.words = [...lists.keys()].sort();
    this.postings = this.words.map((w) => Int32Array.from(lists.get(w)!));
  }

  /** Vocabulary positions matching one query word: exact, prefix, or within the typo distance. */
  private matching(word: string): number[] {
    const out: number[] = [];
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.words[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    for (let p = lo; p < this.words.length && this.words[p].startsWith(word); p++) out.push(p);
    const max = word.length >= 7 ? 2 : word.length >= 4 ? 1 : 0;
    if (max > 0) {
      for (let p = 0; p < this.words.length; p++) {
        const w = this.words[p];
        if (!w.startsWith(word) && withinDistance(word, w, max)) out.push(p);
      }
    }
    return out;
  }

  search(query: string, limit = 20): TrackHit[] {
    const words = [...new Set(norm(query).split(' ').filter(Boolean))].slice(0, 8);
    if (words.length === 0) return [];
    const hits = new Map<number, number>();
    for (const word of words) {
      const tracks = new Set<number>();
      for (const p of this.matching(word)) for (const i of this.postings[p]) tracks.add(i);
      for (const i of tracks) hits.set(i, (hits.get(i) ?? 0) + 1);
    }
    let best = 0;
    for (const n of hits.values()) best = Math.max(best, n);
    const candidates: number[] = [];
    for (const [i, n] of hits) if (n === best) candidates.push(i);
    const shortlist = candidates.slice(0, CANDIDATES * 10).map((i) => ({
      i, title: this.index.titles[i], artist: this.index.artists[i], album: this.index.albums[i],
    }));
    const fuse = new Fuse(shortlist, { keys: [{ name: 'title', weight: 3 }, { name: 'artist', weight: 2 }, 'album'], includeScore: true, ignoreLocation: true, threshold: 1 });
    return fuse.search(query.slice(0, 100), { limit }).map(({ item: { i } }) => ({
      ratingKey: this.index.keys[i], title: this.index.titles[i], artist: this.index.artists[i], album: this.index.albums[i],
      year: this.index.years[i] || null, thumb: this.index.thumbs[i],
    }));
  }
}
