// The explorer's typo-tolerant search over every artist, album and track, fast on 300,000 tracks: a word
// index (domain/search) over each entry's title (with its artist, and a track's artist) finds the entries
// matching the most query words, best matches first, then artists before albums before tracks and shorter
// titles first; those few hundred are ranked by fuse.js on title and context, so the closest spelling of
// the whole query wins. Precision over recall: an entry must match every query word when any entry does.
import Fuse from 'fuse.js';
import type { ItemKind, LibrarySnapshot } from '../../domain/rating/index.js';
import { WordIndex } from '../../domain/search/word-index.js';
import { yieldToIo } from '../../util/yield-to-io.js';

export interface SearchHit {
  kind: ItemKind;
  key: string;
  title: string;
  /** Artist (of an album), "artist — album" (of a track). */
  context: string;
}

const KINDS: ItemKind[] = ['artist', 'album', 'track'];
const CANDIDATES = 300;

/** The entries (artists, then albums, then tracks) and their searchable text. */
interface Entries {
  kinds: Uint8Array;
  keys: string[];
  titles: string[];
  contexts: string[];
  texts: string[];
}

function entriesOf(snapshot: LibrarySnapshot): Entries {
  const total = snapshot.artists.length + snapshot.albums.length + snapshot.tracks.length;
  const out: Entries = { kinds: new Uint8Array(total), keys: [], titles: [], contexts: [], texts: [] };
  const artistTitle = new Map(snapshot.artists.map((a) => [a.key, a.title]));
  const albumTitle = new Map(snapshot.albums.map((a) => [a.key, a.title]));
  const add = (kind: number, key: string, title: string, context: string, text: string) => {
    out.kinds[out.keys.length] = kind;
    out.keys.push(key);
    out.titles.push(title);
    out.contexts.push(context);
    out.texts.push(text);
  };
  for (const a of snapshot.artists) add(0, a.key, a.title, '', a.title);
  for (const a of snapshot.albums) {
    const artist = artistTitle.get(a.artistKey) ?? '';
    add(1, a.key, a.title, artist, `${a.title} ${artist}`);
  }
  for (const t of snapshot.tracks)
    add(2, t.key, t.title, `${t.trackArtist} — ${albumTitle.get(t.albumKey) ?? ''}`, `${t.title} ${t.trackArtist}`);
  return out;
}

/** Collects the entries, then the word index step by step (see WordIndex.collect). */
function* collect(snapshot: LibrarySnapshot): Generator<void, { entries: Entries; words: WordIndex; buildMs: number }> {
  let started = performance.now();
  let spent = 0;
  const entries = entriesOf(snapshot);
  const steps = WordIndex.collect(entries.keys.length, (i) => entries.texts[i]);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) {
      entries.texts = []; // only the index needs them
      return { entries, words: step.value, buildMs: spent + performance.now() - started };
    }
    spent += performance.now() - started;
    yield;
    started = performance.now();
  }
}

export class SearchIndex {
  private readonly entries: Entries;
  private readonly words: WordIndex;
  /** CPU time the build took (pauses excluded). */
  readonly buildMs: number;

  /** Builds at once (O(library); about a second on 300,000 tracks). */
  constructor(source: LibrarySnapshot | { entries: Entries; words: WordIndex; buildMs: number }) {
    let built: { entries: Entries; words: WordIndex; buildMs: number };
    if ('artists' in source) {
      const steps = collect(source);
      let step = steps.next();
      while (!step.done) step = steps.next();
      built = step.value;
    } else built = source;
    ({ entries: this.entries, words: this.words, buildMs: this.buildMs } = built);
  }

  /** Builds in slices that let waiting I/O (webhooks, other pages) run between them. */
  static async build(snapshot: LibrarySnapshot): Promise<SearchIndex> {
    const steps = collect(snapshot);
    let step = steps.next();
    while (!step.done) {
      await yieldToIo();
      step = steps.next();
    }
    return new SearchIndex(step.value);
  }

  get size(): number {
    return this.entries.keys.length;
  }

  search(query: string, limit = 30, kind?: ItemKind): SearchHit[] {
    const { kinds, keys, titles, contexts } = this.entries;
    const kindCode = kind ? KINDS.indexOf(kind) : -1;
    const best = this.words.best(WordIndex.tokens(query), CANDIDATES, {
      accept: kindCode >= 0 ? (entry) => kinds[entry] === kindCode : undefined,
      tieBreak: (entry) => kinds[entry] * 256 + Math.min(titles[entry].length, 255),
    });
    const candidates: SearchHit[] = best.map((entry) => ({
      kind: KINDS[kinds[entry]],
      key: keys[entry],
      title: titles[entry],
      context: contexts[entry],
    }));
    const fuse = new Fuse(candidates, {
      keys: [
        { name: 'title', weight: 0.75 },
        { name: 'context', weight: 0.25 },
      ],
      includeScore: true,
      ignoreLocation: true,
      threshold: 1,
    });
    const rank = new Map(fuse.search(query).map((r) => [r.item, r.score ?? 1]));
    return candidates
      .map((hit, order) => ({ hit, order, score: rank.get(hit) ?? 1 }))
      .sort((x, y) => x.score - y.score || x.order - y.order)
      .slice(0, limit)
      .map((x) => x.hit);
  }
}
