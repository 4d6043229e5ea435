// Matching picks to the tracks that were sent — never to the rest of the library. In priority order,
// preferring precision to recall:
//   1. an id that was sent;
//   2. normalised artist + title equal to a sent track's (reissue markers ignored);
//   3. fuzzy (fuse.js) on artist and title together, best score wins, and only under MATCH_THRESHOLD.
// Free text ("Artist - Title", "Title by Artist") is split both ways and the better match kept.
import Fuse, { type Expression } from 'fuse.js';
import { norm } from '../rating/text-match.js';
import type { Pick } from './reply.js';
import { songTitle } from './twin-key.js';
import type { PoolTrack } from './types.js';

/** fuse.js score (0 = exact, 1 = nothing alike) a fuzzy match must stay under. */
export const MATCH_THRESHOLD = 0.3;

export type MatchMethod = 'id' | 'exact' | 'fuzzy';

export interface Match {
  track: PoolTrack;
  method: MatchMethod;
}

interface Entry {
  track: PoolTrack;
  artist: string;
  title: string;
}

const nameKey = (artist: string, title: string): string => `${norm(artist)}\u0000${norm(songTitle(title))}`;

export class PoolMatcher {
  private readonly byId = new Map<string, PoolTrack>();
  private readonly byName = new Map<string, PoolTrack>();
  private readonly fuse: Fuse<Entry>;

  /** `tracks[i]` was sent with id `String(i + 1)`. */
  constructor(tracks: readonly PoolTrack[]) {
    tracks.forEach((track, i) => {
      this.byId.set(String(i + 1), track);
      const key = nameKey(track.artist, track.title);
      if (!this.byName.has(key)) this.byName.set(key, track);
    });
    const entries = tracks.map((track) => ({ track, artist: norm(track.artist), title: norm(songTitle(track.title)) }));
    this.fuse = new Fuse(entries, {
      keys: [
        { name: 'title', weight: 0.6 },
        { name: 'artist', weight: 0.4 },
      ],
      includeScore: true,
      ignoreLocation: true,
      threshold: 0.45,
    });
  }

  match(pick: Pick): Match | null {
    if (pick.id !== null) {
      const track = this.byId.get(pick.id);
      if (track) return { track, method: 'id' };
    }
    const candidates = this.nameCandidates(pick);
    for (const [artist, title] of candidates) {
      const exact = this.byName.get(nameKey(artist, title));
      if (exact) return { track: exact, method: 'exact' };
    }
    let best: { track: PoolTrack; score: number } | null = null;
    for (const [artist, title] of candidates) {
      const query: Expression =
        artist === '' ? { title: norm(songTitle(title)) } : { $and: [{ artist: norm(artist) }, { title: norm(songTitle(title)) }] };
      const [top] = this.fuse.search(query, { limit: 1 });
      if (top && top.score !== undefined && (best === null || top.score < best.score)) best = { track: top.item.track, score: top.score };
    }
    return best !== null && best.score <= MATCH_THRESHOLD ? { track: best.track, method: 'fuzzy' } : null;
  }

  /** (artist, title) readings of a pick; artist '' when only a title is known. */
  private nameCandidates(pick: Pick): [string, string][] {
    if (pick.title !== null) return [[pick.artist ?? '', pick.title]];
    const text = pick.text;
    if (text === null) return [];
    const dash = /\s+[-–—]\s+/.exec(text);
    if (dash) {
      const left = text.slice(0, dash.index);
      const right = text.slice(dash.index + dash[0].length);
      return [
        [left, right],
        [right, left],
      ];
    }
    const by = /\s+by\s+/i.exec(text);
    if (by) return [[text.slice(by.index + by[0].length), text.slice(0, by.index)]];
    return [['', text]];
  }
}
