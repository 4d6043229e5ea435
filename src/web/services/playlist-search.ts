// Typo-tolerant track search for the seed flow, over the pool index (the tracks the pipeline can use),
// fast on 300,000 tracks: a word index (domain/search) over each track's title, artist and album finds the
// tracks matching the most query words, best matches and shorter titles first; those are ranked by fuse.js
// on title, artist and album, so the closest spelling of the whole query comes first.
import Fuse from 'fuse.js';
import { TIE_BREAKS, WordIndex } from '../../domain/search/word-index.js';
import type { ResultTrack } from '../../playlists/index.js';
import type { PoolIndex } from '../../playlists/pool-index.js';

/** A track found by title, artist or album: a playlist's track without the model's reason. */
export type TrackHit = Omit<ResultTrack, 'reason' | 'filled'>;

const CANDIDATES = 3000;

export class TrackSearch {
  private readonly words: WordIndex;

  constructor(private readonly index: PoolIndex) {
    this.words = WordIndex.build(index.size, (i) => `${index.titles[i]} ${index.artists[i]} ${index.albums[i]}`);
  }

  search(query: string, limit = 20): TrackHit[] {
    const { titles, artists, albums, keys, years, thumbs } = this.index;
    const best = this.words.best(WordIndex.tokens(query), CANDIDATES, { tieBreak: (i) => Math.min(titles[i].length, TIE_BREAKS - 1) });
    const shortlist = best.map((i) => ({ i, title: titles[i], artist: artists[i], album: albums[i] }));
    const fuse = new Fuse(shortlist, {
      keys: [{ name: 'title', weight: 3 }, { name: 'artist', weight: 2 }, 'album'],
      includeScore: true,
      ignoreLocation: true,
      threshold: 1,
    });
    return fuse.search(query.slice(0, 100), { limit }).map(({ item: { i } }) => ({
      ratingKey: keys[i],
      title: titles[i],
      artist: artists[i],
      album: albums[i],
      year: years[i] || null,
      thumb: thumbs[i],
    }));
  }
}
